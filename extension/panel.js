// The side panel: pairing, Record/Stop for the window's active tab, the
// calls as they happen, the recording's code in four languages (from the
// backend), and Save, Export and Replay. Everything from the backend or the
// app is shown with textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const LANGS = ["python", "javascript", "go", "curl"];
const DEFAULT_PORT = 17860; // gradiorec serve's default port
const CODE_DELAY = 600; // ms: calls completing in a burst refresh the code once

let state = null; // the worker's snapshot
let tabId = null; // the window's active tab, or the tab the panel is pinned to
// panel.html?tab=ID is the panel pinned to tab ID, for a panel opened as a
// page of its own (a side panel cannot be opened headless: tests open it
// so, with the tab id from the worker's tabId hook).
const pinned = (() => {
  const v = new URLSearchParams(location.search).get("tab");
  return v !== null && /^[0-9]{1,10}$/.test(v) ? Number(v) : null;
})();
let lang = "python";
let codeTimer = null;
let codeShown = ""; // "rec lang" the code view holds
let portTyped = false; // the user typed in the port field

/** ask sends a request to the worker and resolves with its result. */
async function ask(msg) {
  const res = await chrome.runtime.sendMessage(msg);
  if (!res) throw new Error("the extension's worker did not answer: reload the extension in chrome://extensions");
  if (!res.ok) throw new Error(res.error);
  return res.result;
}

function say(text, kind = "error") {
  $("message").textContent = text;
  $("message").dataset.kind = kind;
}

/** act runs a button's work: busy while it runs, errors in #message. */
async function act(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  say("");
  try {
    await work();
  } catch (err) {
    say(String((err && err.message) || err));
  } finally {
    button.removeAttribute("aria-busy");
    render();
  }
}

/** current is the recording the panel shows: the active tab's, else the last one that ended there. */
function current() {
  if (!state) return null;
  const active = state.recordings.find((r) => r.tabId === tabId);
  if (active) return { ...active, active: true };
  const done = state.ended.find((e) => e.tabId === tabId) ?? state.ended[0];
  return done ? { ...done, active: false } : null;
}

function connectionText(s) {
  switch (s.connection) {
    case "paired":
      return `paired with gradiorec on port ${s.port}`;
    case "connecting":
      return `connecting to gradiorec on port ${s.port}…`;
    case "not paired":
      return s.message || "not paired: run `gradiorec serve` and paste the port and pairing code it shows";
    case "error":
      return s.message || "gradiorec refused the connection: check its output";
    default:
      return s.message || (s.port ? `not connected to gradiorec on port ${s.port}: run \`gradiorec serve\`, then Pair` : "not paired: run `gradiorec serve` and paste the port and pairing code it shows");
  }
}

function seconds(d) {
  return typeof d === "number" ? `${d.toFixed(d < 10 ? 2 : 1)} s` : "";
}

function renderCalls(calls) {
  const items = calls.map((c) => {
    const li = document.createElement("li");
    li.dataset.status = c.status;
    const name = document.createElement("span");
    name.className = "endpoint";
    name.textContent = c.endpoint;
    const status = document.createElement("span");
    status.className = "status";
    status.textContent = c.status;
    const took = document.createElement("span");
    took.className = "duration";
    took.textContent = seconds(c.duration);
    li.append(name, status, took);
    if (c.error) {
      const why = document.createElement("span");
      why.className = "why";
      why.textContent = c.error;
      li.append(why);
    }
    return li;
  });
  $("calls").replaceChildren(...items);
  $("no-calls").hidden = items.length > 0;
}

function render() {
  if (!state) return;
  const paired = state.connection === "paired";
  $("pair-state").textContent = connectionText(state);
  $("pair-state").dataset.connection = state.connection;
  // `gradiorec serve` listens on 17860 unless told otherwise.
  // Not once the user has typed in it: a state that arrives while they
  // retype the port must not put the old one back.
  if ($("port").value === "" && !portTyped) $("port").value = String(state.port || DEFAULT_PORT);
  $("pair").textContent = $("code").value.trim() === "" && state.paired ? "Connect" : "Pair";
  $("intro").hidden = state.recordedBefore;

  const r = current();
  const recording = !!r && r.active;
  $("record").disabled = recording || !paired || tabId === null;
  $("stop").disabled = !recording;
  $("pair").disabled = state.recordings.length > 0;
  let line = "";
  if (recording) {
    line = r.phase === "starting" ? "starting…" : `recording${r.path ? `: journaled at ${r.path}` : ""}`;
  } else if (r) {
    line = r.message || (r.reason === "user" ? "stopped" : `ended (${r.reason})`);
  } else if (!paired) {
    line = "pair with gradiorec first";
  }
  $("rec-state").textContent = line;
  renderCalls(r ? r.calls : []);

  // Save is what Stop does; afterwards it shows where.
  const saved = r && !r.active && r.path;
  $("save").disabled = !saved;
  $("save").textContent = saved ? "Copy saved path" : "Saved at Stop";
  $("saved").textContent = saved
    ? `${r.ok === false ? "Not saved whole" : "Saved"} to ${r.path}${Number.isInteger(r.count) ? ` (${r.count} calls)` : ""}${r.saved && r.ok !== true ? `: ${r.saved}` : ""}`
    : recording ? "gradiorec journals every call as it completes and saves the recording when you press Stop." : "";
  $("export").disabled = !r || !paired;
  $("replay").disabled = !r || r.active || !paired;
  for (const b of $("code-tabs").querySelectorAll("button")) {
    const on = b.dataset.lang === lang;
    b.setAttribute("aria-selected", String(on));
    b.tabIndex = on ? 0 : -1;
  }
  if (r && paired && codeShown !== `${r.rec} ${lang}`) refreshCode(0);
  if (!r) {
    codeShown = "";
    $("code-view").textContent = "";
  }
}

/** refreshCode fetches the current recording's code after delay ms (debounced). */
function refreshCode(delay = CODE_DELAY) {
  clearTimeout(codeTimer);
  codeTimer = setTimeout(async () => {
    const r = current();
    if (!r || !state || state.connection !== "paired") return;
    const want = `${r.rec} ${lang}`;
    codeShown = want;
    try {
      const res = await ask({ type: "code", rec: r.rec, lang, flavour: "script" });
      if (codeShown === want) $("code-view").textContent = res && typeof res.code === "string" ? res.code : "";
    } catch (err) {
      if (codeShown === want) $("code-view").textContent = `No code yet: ${err.message}`;
    }
  }, delay);
}

async function activeTab() {
  if (pinned !== null) {
    tabId = pinned;
    return;
  }
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  tabId = tab && Number.isInteger(tab.id) ? tab.id : null;
}

$("pair-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const port = Number($("port").value);
  const code = $("code").value;
  act($("pair"), async () => {
    if (code.trim() === "") {
      await ask({ type: "connect", port });
    } else {
      await ask({ type: "pair", port, code });
      $("code").value = ""; // used once
    }
    say("");
  });
});
$("code").addEventListener("input", render);
$("port").addEventListener("input", () => {
  portTyped = true;
});

$("record").addEventListener("click", () => act($("record"), async () => {
  await activeTab();
  await ask({ type: "record", tabId });
}));

$("stop").addEventListener("click", () => act($("stop"), async () => {
  const r = current();
  if (r && r.active) await ask({ type: "stop", rec: r.rec });
  refreshCode(0);
}));

$("save").addEventListener("click", () => act($("save"), async () => {
  const r = current();
  if (!r || !r.path) return;
  await navigator.clipboard.writeText(r.path).then(
    () => say(`copied ${r.path}`, "info"),
    () => say(`the recording is saved at ${r.path}`, "info"),
  );
}));

$("export").addEventListener("click", () => act($("export"), async () => {
  const r = current();
  const res = await ask({ type: "export", rec: r.rec });
  $("result").hidden = false;
  $("result").textContent = `Exported to ${res && res.dir}`;
}));

$("replay").addEventListener("click", () => act($("replay"), async () => {
  const r = current();
  $("result").hidden = false;
  $("result").textContent = "Replaying against the app…";
  const res = await ask({ type: "replay", rec: r.rec });
  const passed = Number(res && res.passed) || 0;
  const failed = Number(res && res.failed) || 0;
  $("result").textContent = `Replay: ${passed} passed, ${failed} failed\n\n${res && typeof res.report === "string" ? res.report : ""}`;
  $("result").dataset.outcome = failed > 0 ? "failed" : "passed";
}));

$("code-tabs").addEventListener("click", (ev) => {
  const b = ev.target.closest("button[data-lang]");
  if (!b) return;
  lang = b.dataset.lang;
  render();
});
$("code-tabs").addEventListener("keydown", (ev) => {
  if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
  const i = (LANGS.indexOf(lang) + (ev.key === "ArrowRight" ? 1 : LANGS.length - 1)) % LANGS.length;
  lang = LANGS[i];
  render();
  $("code-tabs").querySelector(`button[data-lang="${lang}"]`).focus();
});

chrome.runtime.onMessage.addListener((msg) => {
  if (!msg || msg.type !== "state" || !msg.state) return;
  state = msg.state;
  const b = msg.backend;
  const r = current();
  if (b && r && b.rec === r.rec) {
    if (b.t === "call" && b.kind === "completed") refreshCode();
    if (b.t === "stopped") refreshCode(0);
    if (b.t === "error" && typeof b.message === "string") say(b.message);
  } else if (b && b.t === "error" && !b.rec && typeof b.message === "string") {
    say(b.message);
  }
  render();
});

chrome.tabs.onActivated.addListener(async () => {
  await activeTab();
  render();
});

(async () => {
  try {
    await activeTab();
    state = await ask({ type: "state" });
  } catch (err) {
    say(String(err.message || err));
  }
  render();
})();
