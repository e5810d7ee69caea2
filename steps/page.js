// The page side of package steps (pageCall in run.go): finds the element a
// step names in Gradio's DOM (4.44, 5.x and 6.x), marks it with the attribute
// data-gradiorec so that the Go side can act on it with real input events,
// and reads components' values. It is evaluated as one function expression
// called with (op, arg); it changes nothing on the page but the marks, and
// closes the Gradio toasts that cover an element to click (see point).
(op, arg) => {
  const MARK = "data-gradiorec";

  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  // loose drops case, emoji (Gradio 4's chat buttons read "🔄 Retry") and a
  // trailing colon.
  const loose = (s) =>
    norm((s || "").replace(/[\p{Extended_Pictographic}\uFE0F\u200D]/gu, ""))
      .replace(/:$/, "")
      .toLowerCase();

  const root = () => document.querySelector("gradio-app") || document.body;
  // visible: on the page and not inside a copy kept for measuring (Gradio 6's
  // tabs keep their buttons twice, the copy "visually hidden" with
  // aria-hidden).
  const visible = (el) =>
    !!el &&
    el.isConnected &&
    el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== "hidden" &&
    !el.closest('[aria-hidden="true"]');
  const inChrome = (el) => !!el.closest("footer, .toast-wrap, .api-docs");

  // blockOf returns the component an element belongs to: Gradio wraps every
  // component in a div.block or fieldset.block (a Number's inner label also
  // has the class "block", hence the tag test).
  const blockOf = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      if (e.classList.contains("block") && e.tagName !== "LABEL") return e;
    }
    return el;
  };

  // describe names a match for a message: how it matched and its id, or
  // its place among the matches when it has no id (Gradio 6 renders
  // elem_id only).
  const describe = (m, i) => {
    const b = blockOf(m.el);
    const id = m.el.id || (b && b.id);
    const what = m.text ? m.what + " " + JSON.stringify(m.text) : m.el.tagName.toLowerCase();
    const nth = ["1st", "2nd", "3rd"][i] || i + 1 + "th";
    return what + (id ? " #" + id : " (" + nth + ")");
  };

  // labels lists the components' labels in document order. A label hidden
  // for screen readers only (show_label=False) can be matched but is not
  // listed as a candidate.
  const labels = () => {
    const out = [];
    const add = (text, block, el, hidden) => {
      text = norm(text);
      if (!text || !visible(block) || inChrome(block)) return;
      if (out.some((l) => l.block === block && l.text === text)) return;
      out.push({ text, block, el, hidden });
    };
    for (const el of root().querySelectorAll('[data-testid="block-info"], [data-testid="block-label"]')) {
      add(el.textContent, blockOf(el), el, el.classList.contains("sr-only") || el.classList.contains("hide"));
    }
    // A checkbox shows its label next to the box, not as a block title.
    for (const input of root().querySelectorAll('input[type="checkbox"][data-testid="checkbox"]')) {
      const label = input.closest("label");
      if (label) add(label.textContent, blockOf(input), input, false);
    }
    return out.sort((a, b) => (a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  };

  const buttons = () => {
    const out = [];
    for (const el of root().querySelectorAll('button, [role="button"], [role="tab"]')) {
      if (!visible(el) || inChrome(el)) continue;
      out.push({
        text: norm(el.innerText),
        aria: norm(el.getAttribute("aria-label") || el.getAttribute("title")),
        el,
        // Buttons inside a component (upload areas, icon buttons) are not
        // listed as candidates, but they can be clicked.
        own: !el.parentElement.closest(".block"),
      });
    }
    return out;
  };

  const placeholders = () => {
    const out = [];
    for (const el of root().querySelectorAll("textarea[placeholder], input[placeholder]")) {
      const text = norm(el.getAttribute("placeholder"));
      if (text && visible(el) && !inChrome(el)) out.push({ text, el });
    }
    return out;
  };

  const uniq = (xs) => [...new Set(xs)];

  const candidates = () => ({
    labels: uniq(labels().filter((l) => !l.hidden).map((l) => l.text)),
    buttons: uniq(buttons().filter((b) => b.own && b.text).map((b) => b.text)),
    placeholders: uniq(placeholders().map((p) => p.text)),
  });

  // find returns the elements a locator matches at the first tier that
  // matches anything, with the kind of match.
  const find = (kind, text) => {
    if (kind === "id") {
      const el = document.getElementById(text);
      return el && visible(el) ? [{ el, what: "id" }] : [];
    }
    if (kind === "css") {
      let els;
      try {
        els = [...document.querySelectorAll(text)];
      } catch (e) {
        throw new Error("invalid CSS selector: " + e.message);
      }
      return els.filter(visible).map((el) => ({ el, what: "css" }));
    }
    const want = norm(text);
    const ls = kind === "" || kind === "label" ? labels() : [];
    const bs = kind === "" || kind === "text" ? buttons() : [];
    const ps = kind === "" || kind === "placeholder" ? placeholders() : [];
    const tiers = [];
    for (const eq of [(a) => a === want, (a) => a !== "" && loose(a) === loose(want)]) {
      tiers.push(ls.filter((l) => eq(l.text)).map((l) => ({ el: l.block, what: "label", text: l.text })));
      tiers.push(bs.filter((b) => eq(b.text)).map((b) => ({ el: b.el, what: "button", text: b.text })));
      tiers.push(ps.filter((p) => eq(p.text)).map((p) => ({ el: p.el, what: "placeholder", text: p.text })));
      tiers.push(
        bs.filter((b) => !b.text && eq(b.aria)).map((b) => ({ el: b.el, what: "button", text: b.aria })),
      );
    }
    for (const t of tiers) {
      const els = uniq(t.map((m) => m.el));
      if (els.length) return els.map((el) => t.find((m) => m.el === el));
    }
    return [];
  };

  const TEXTLIKE =
    'textarea, input:not([type]), input[type="text"], input[type="password"], input[type="email"], ' +
    'input[type="search"], input[type="url"], input[type="tel"], input[type="number"]';

  const firstVisible = (el, sel) => [...el.querySelectorAll(sel)].find(visible);

  const isTag = (el, ...tags) => tags.includes(el.tagName);

  // control picks, in a matched element, the element an action works on.
  const control = (el, need) => {
    // A button stands for itself: a gr.Button is in no block, and a button
    // inside a component is not the component.
    const block = isTag(el, "INPUT", "TEXTAREA", "SELECT") ? blockOf(el) : el;
    switch (need) {
      case "present":
        return { el };
      case "textbox":
      case "number": {
        let c = el.matches(TEXTLIKE) ? el : null;
        if (need === "number" && !c) c = firstVisible(block, 'input[type="number"]') || block.querySelector('input[type="range"]');
        if (!c) c = firstVisible(block, TEXTLIKE);
        if (!c) return { error: need === "number" ? "it has no number or slider input" : "it is not a textbox" };
        if (c.disabled || c.readOnly) return { error: "it is not editable (an output, or interactive=False)" };
        return { el: c, kind: c.type === "range" ? "range" : c.tagName.toLowerCase() };
      }
      case "choice": {
        if (block.querySelector('input[type="radio"]')) return { el: block, kind: "radio" };
        const boxes = block.querySelectorAll('input[type="checkbox"]');
        if (block.querySelector('[data-testid="checkbox-group"]') || boxes.length > 1) return { el: block, kind: "group" };
        const input = block.querySelector('input[role="combobox"], input[role="listbox"], .secondary-wrap input, .wrap-inner input');
        if (input) {
          if (input.disabled) return { error: "it is not interactive" };
          return { el: input, kind: "dropdown" };
        }
        return { error: "it is not a dropdown, radio or checkbox group" };
      }
      case "checkbox": {
        const c = el.matches('input[type="checkbox"]') ? el : block.querySelector('input[type="checkbox"]');
        if (!c) return { error: "it is not a checkbox" };
        if (c.disabled) return { error: "it is not interactive" };
        return { el: c, kind: "checkbox", checked: c.checked };
      }
      case "file": {
        let c = el.matches('input[type="file"]') ? el : block.querySelector('input[type="file"]');
        // An UploadButton keeps its input next to the button.
        if (!c && el.parentElement) c = el.parentElement.querySelector('input[type="file"]');
        if (!c) return { error: "it has no file input (is it interactive?)" };
        return { el: c, kind: "file" };
      }
      case "click": {
        if (el !== block || isTag(el, "BUTTON", "A")) return { el };
        const c = firstVisible(block, 'button, input:not([type="file"]), textarea, select, [role="button"]');
        return { el: c || el };
      }
    }
    return { error: "unknown need " + need };
  };

  const clearMarks = () => {
    for (const el of document.querySelectorAll("[" + MARK + "]")) el.removeAttribute(MARK);
  };
  const mark = (el) => {
    window.__gradiorecMarks = (window.__gradiorecMarks || 0) + 1;
    const tok = "m" + window.__gradiorecMarks;
    el.setAttribute(MARK, tok);
    return tok;
  };
  const marked = (tok) => document.querySelector("[" + MARK + '="' + tok + '"]');

  const optionText = (label) => {
    const input = label.querySelector("input");
    return { text: norm(label.textContent), value: input ? input.value : "" };
  };

  const valueOf = (el) => {
    if (el.matches('input[type="checkbox"]')) return String(el.checked);
    if (el.matches("input, textarea")) return el.value;
    const block = el;
    const radios = [...block.querySelectorAll('input[type="radio"]')];
    if (radios.length) {
      const on = radios.find((r) => r.checked);
      return on ? norm(on.closest("label") ? on.closest("label").textContent : on.value) : "";
    }
    const boxes = [...block.querySelectorAll('input[type="checkbox"]')];
    if (boxes.length > 1 || block.querySelector('[data-testid="checkbox-group"]')) {
      return boxes.filter((b) => b.checked).map((b) => norm(b.closest("label").textContent)).join(", ");
    }
    if (boxes.length === 1) return String(boxes[0].checked);
    const tokens = [...block.querySelectorAll(".token")].map((t) => norm(t.textContent));
    const field = firstVisible(block, "textarea, input:not([type=file]):not([type=range])");
    if (tokens.length) return tokens.join(", ");
    if (field) return field.value;
    // Anything else (JSON, Markdown, Chatbot, Label, HTML): the visible text
    // without the block's own title.
    const copy = block.cloneNode(true);
    for (const t of copy.querySelectorAll('[data-testid="block-label"], [data-testid="block-info"], [data-testid="status-tracker"], .wrap.default, .wrap.center')) t.remove();
    document.body.appendChild(copy);
    copy.style.position = "absolute";
    copy.style.left = "-10000px";
    const text = norm(copy.innerText);
    copy.remove();
    return text;
  };

  // pageText is what the page shows and says: its text, the values of its
  // fields and its accessible names (a File component shows "sample.stats"
  // and ".txt" in two spans, labelled "sample.stats.txt").
  const pageText = () => {
    const parts = [document.body.innerText];
    for (const f of document.querySelectorAll("textarea, input")) {
      if (visible(f) && f.type !== "hidden") parts.push(f.value);
    }
    for (const el of document.querySelectorAll("[aria-label], [title], img[alt]")) {
      if (visible(el)) parts.push(el.getAttribute("aria-label") || el.getAttribute("title") || el.getAttribute("alt"));
    }
    return norm(parts.join("\n"));
  };

  switch (op) {
    // resolve finds a step's target and marks the element to act on.
    case "resolve": {
      clearMarks();
      let found;
      try {
        found = find(arg.kind, arg.text);
      } catch (e) {
        return { problem: "invalid", message: e.message };
      }
      // A target keeps naming the element it matched before while that is
      // on the page: Gradio 5 and 6 drop the chat box's placeholder once the
      // chat has messages.
      const seen = (window.__gradiorecSeen = window.__gradiorecSeen || new Map());
      const key = arg.kind + "\u0000" + arg.text;
      if (found.length === 0) {
        const before = seen.get(key);
        if (before && before.el.isConnected && visible(before.el)) found = [before];
      }
      if (found.length === 0) return { problem: "missing", candidates: candidates() };
      if (found.length > 1) {
        return {
          problem: "ambiguous",
          matches: found.map(describe),
          what: found[0].what,
        };
      }
      seen.set(key, found[0]);
      const m = found[0];
      const c = control(m.el, arg.need);
      if (c.error) return { problem: "unsuitable", message: c.error, what: m.what };
      const out = { mark: mark(c.el), kind: c.kind || "", what: m.what, checked: !!c.checked };
      if (arg.need === "present" && arg.value) out.value = valueOf(m.el);
      return out;
    }
    // ready reports whether the Gradio app (or its login form) has rendered
    // its components.
    case "ready": {
      if (document.readyState === "loading") return false;
      const app = document.querySelector(".gradio-container");
      return !!app && [...app.querySelectorAll(".block, button")].some((el) => visible(el) && !inChrome(el));
    }
    // text reports whether a text shows on the page (fields included).
    case "text":
      return pageText().includes(norm(arg.text));
    // value reads the value of the component marked tok.
    case "value": {
      const el = marked(arg.tok);
      return el ? { ok: true, value: valueOf(el) } : { ok: false };
    }
    // blur takes the focus from the marked element.
    case "blur": {
      const el = marked(arg.tok);
      if (el && document.activeElement === el) el.blur();
      return true;
    }
    // focus focuses the marked field and selects its content, so that what
    // is typed next replaces it.
    case "focus": {
      const el = marked(arg.tok);
      if (!el) return false;
      el.focus();
      if (typeof el.select === "function") {
        try {
          el.select();
        } catch (e) {}
      }
      return document.activeElement === el;
    }
    // choices lists the options of a marked radio or checkbox group and
    // marks each; the Go side clicks the ones to change.
    case "choices": {
      const block = marked(arg.tok);
      if (!block) return [];
      const sel = arg.kind === "radio" ? 'input[type="radio"]' : 'input[type="checkbox"]';
      return [...block.querySelectorAll(sel)].map((input) => {
        const label = input.closest("label") || input;
        const o = optionText(label);
        return { text: o.text, value: o.value, checked: input.checked, mark: mark(label) };
      });
    }
    // options lists the open options of a dropdown and marks each.
    case "options": {
      const input = marked(arg.tok);
      if (!input) return [];
      const block = blockOf(input);
      let list = block.querySelector("ul.options");
      if (!list || !visible(list)) {
        const id = input.getAttribute("aria-controls");
        list = (id && document.getElementById(id)) || [...document.querySelectorAll("ul.options")].find(visible);
      }
      if (!list) return [];
      return [...list.querySelectorAll("li")].filter(visible).map((li) => ({
        text: norm(li.getAttribute("aria-label") || li.textContent).replace(/^✓\s*/, ""),
        value: li.getAttribute("data-value") || "",
        mark: mark(li),
      }));
    }
    // tokens lists the chosen values of a multiselect dropdown and marks
    // their remove buttons.
    case "tokens": {
      const input = marked(arg.tok);
      if (!input) return [];
      return [...blockOf(input).querySelectorAll(".token")].map((t) => {
        const remove = t.querySelector(".token-remove, [role='button'], button");
        const text = norm(t.querySelector("span") ? t.querySelector("span").textContent : t.textContent);
        return { text, mark: remove ? mark(remove) : "" };
      });
    }
    // uploading reports whether the marked file input's component still
    // uploads (or waits for its first preview).
    case "uploading": {
      const input = marked(arg.tok);
      if (!input) return false;
      const block = blockOf(input);
      return !!block.querySelector('.uploading, [data-testid="upload-progress"], .progress-bar, .file-progress, progress');
    }
    // point scrolls the marked element into view and returns the point a
    // click on it goes to (the centre of its first box), with what covers
    // it there, if anything does: a toast, a dialog, an overlay. A click on
    // a covered element goes to the cover instead. With arg.close it also
    // closes the Gradio toasts over the element (their close buttons).
    case "point": {
      const el = marked(arg.tok);
      if (!el || !visible(el)) return { gone: true };
      const box = () => el.getClientRects()[0];
      let r = box();
      if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
        el.scrollIntoView({ block: "center", inline: "center" });
        r = box();
      }
      const x = (r.left + r.right) / 2;
      const y = (r.top + r.bottom) / 2;
      let hit = document.elementFromPoint(x, y);
      while (hit && hit.shadowRoot) {
        const inner = hit.shadowRoot.elementFromPoint(x, y);
        if (!inner || inner === hit) break;
        hit = inner;
      }
      // A click on a checkbox's or radio's own label reaches it too.
      const reaches = (h) =>
        !!h && (h === el || el.contains(h) || (!!el.labels && [...el.labels].some((l) => l.contains(h))));
      if (reaches(hit)) return { x, y };
      if (!hit) return { x, y, cover: { tag: "", id: "", cls: "", text: "", toast: false, offscreen: true } };
      const wrap = hit.closest(".toast-wrap");
      let closed = 0;
      if (wrap && arg.close) {
        for (const b of wrap.querySelectorAll(".toast-close")) {
          const t = b.closest('[data-testid="toast-body"], .toast-body') || b.parentElement;
          const tr = t.getBoundingClientRect();
          if (tr.left < r.right && tr.right > r.left && tr.top < r.bottom && tr.bottom > r.top) {
            b.click();
            closed++;
          }
        }
      }
      return {
        x,
        y,
        closed,
        cover: {
          tag: hit.tagName.toLowerCase(),
          id: hit.id || "",
          cls: [...hit.classList].filter((c) => !c.startsWith("svelte-")).join(" "),
          text: norm(hit.innerText || hit.textContent).slice(0, 80),
          toast: !!wrap,
        },
      };
    }
    // busy names a component that shows a call in progress, or returns "".
    case "busy": {
      const name = (el) => {
        const b = blockOf(el);
        const l = b.querySelector('[data-testid="block-info"], [data-testid="block-label"]');
        return l && norm(l.textContent) ? JSON.stringify(norm(l.textContent)) : "a component";
      };
      for (const t of document.querySelectorAll('[data-testid="status-tracker"], .wrap.default, .wrap.center')) {
        if (!t.classList.contains("hide") && visible(t) && !t.querySelector(".error")) {
          return name(t) + " shows its progress (" + norm(t.innerText).slice(0, 60) + ")";
        }
      }
      const p = document.querySelector(".generating, .dot-flashing, .message.pending, .pending .loader");
      return p ? name(p) + " shows a pending call" : "";
    }
  }
  throw new Error("unknown op " + op);
}
