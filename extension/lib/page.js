// Finding the Gradio app in a recorded tab. Every frame's default execution
// context (in the tab's session and in its child sessions) is probed: the
// probe waits for window.gradio_config (or reads the app's /config), reads
// the app's /info?all_endpoints=true with the page's credentials, and the
// watcher adds the cookies the browser sends to the app. The result is the
// protocol's `page` message, once per document (a reload, such as the one after a login, is a new one).
//
// The probe runs in the page's own world, so everything it returns is the
// page's word: the watcher checks its shape, and that it speaks for the
// origin Chromium says the frame has, before anything is sent.

/** MAX_PROBE caps the probe's answer (config and /info as JSON), in characters. */
export const MAX_PROBE = 32 * 1024 * 1024;

/**
 * probe runs in a frame (serialised as PROBE): it resolves to a JSON string
 * {url, config, info}, or "" when the frame holds no Gradio app. g is the
 * page's global object (its clock, timers and fetch too); limits are in
 * milliseconds.
 */
export async function probe(g = globalThis, limits = { total: 30000, settle: 2000, every: 100, fetch: 15000 }) {
  const now = () => g.Date.now();
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const hasApp = () => {
    try {
      return !!g.document.querySelector("gradio-app, .gradio-container");
    } catch {
      return false;
    }
  };
  const getJSON = async (url) => {
    const ctl = new g.AbortController();
    const timer = g.setTimeout(() => ctl.abort(), limits.fetch);
    try {
      const r = await g.fetch(url, { credentials: "include", signal: ctl.signal });
      if (!r.ok) return null;
      const v = await r.json();
      return isObject(v) ? v : null;
    } catch {
      return null;
    } finally {
      g.clearTimeout(timer);
    }
  };
  const trimSlashes = (s) => s.replace(/\/+$/, "");
  let here;
  try {
    here = new g.URL(String(g.location.href));
  } catch {
    return "";
  }
  if (here.protocol !== "http:" && here.protocol !== "https:") return "";
  here.search = "";
  here.hash = "";
  const pageRoot = trimSlashes(here.href);

  // Wait for the config, or until the page has clearly no Gradio app.
  const start = now();
  let complete = -1; // when the page was first seen loaded
  let seen = false; // window.gradio_config was there
  let config = null;
  for (;;) {
    let c;
    try {
      c = g.gradio_config;
    } catch {
      c = undefined;
    }
    if (c) {
      seen = true;
      try {
        // Once the app ran, the config may have become circular.
        config = JSON.parse(JSON.stringify(c));
      } catch {
        config = null;
      }
      break;
    }
    const t = now();
    if (g.document.readyState === "complete") {
      if (complete < 0) complete = t;
      if (t - complete >= limits.settle) break;
    }
    if (t - start >= limits.total) break;
    await new Promise((r) => g.setTimeout(r, limits.every));
  }
  if (!isObject(config)) {
    // Server-side rendering does not inline the config; a circular one does
    // not serialise: the app serves it at /config.
    if (!seen && !hasApp()) return "";
    config = await getJSON(pageRoot + "/config");
    if (!isObject(config)) return "";
  }
  let root = pageRoot;
  if (typeof config.root === "string") {
    try {
      const u = new g.URL(config.root);
      if ((u.protocol === "http:" || u.protocol === "https:") && u.host !== "") root = trimSlashes(config.root);
    } catch {
      // a relative root: the page's own
    }
  }
  const prefix = typeof config.api_prefix === "string" ? config.api_prefix : "";
  const info = await getJSON(root + prefix + "/info?all_endpoints=true");
  return JSON.stringify({ url: String(g.location.href), config, info });
}

/** PROBE is the expression Runtime.evaluate runs in a frame. */
export const PROBE = `(${probe.toString()})()`;

/**
 * appRoot mirrors recorder's appRoot: the config's root when it is an
 * absolute http(s) URL, else the page's URL without query and fragment;
 * trailing slashes removed.
 */
export function appRoot(pageURL, configRoot) {
  try {
    const u = new URL(configRoot);
    if ((u.protocol === "http:" || u.protocol === "https:") && u.host !== "") return configRoot.replace(/\/+$/, "");
  } catch {
    // not absolute
  }
  try {
    const u = new URL(pageURL);
    u.search = "";
    u.hash = "";
    return u.href.replace(/\/+$/, "");
  } catch {
    return String(pageURL).replace(/\/+$/, "");
  }
}

function originOf(s) {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : "";
  } catch {
    return "";
  }
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * parsePage checks a probe's Runtime.evaluate result: it returns
 * {url, config, info, cookieURL} or null. The page must speak for its own
 * origin (contextOrigin, from Chromium): its URL must have that origin, and
 * cookies are read for the app's root only when the root has it too (else
 * for the page's root), so a page cannot have another site's cookies sent.
 */
export function parsePage(res, contextOrigin) {
  if (!res || res.exceptionDetails || !res.result) return null;
  const raw = res.result.value;
  if (typeof raw !== "string" || raw === "" || raw.length > MAX_PROBE) return null;
  let v;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v.url !== "string" || !isObject(v.config)) return null;
  const origin = originOf(v.url);
  if (origin === "" || (typeof contextOrigin === "string" && contextOrigin !== "" && contextOrigin !== origin)) return null;
  const root = appRoot(v.url, typeof v.config.root === "string" ? v.config.root : "");
  const cookieURL = originOf(root) === origin ? root : appRoot(v.url, "");
  return { url: v.url, config: v.config, info: isObject(v.info) ? v.info : null, cookieURL };
}

/**
 * PageWatcher follows the default execution contexts of a recorded tab's
 * sessions and emits a `page` message for each Gradio app it finds.
 */
export class PageWatcher {
  /**
   * @param {{tabId: number, rec: string,
   *   send: (target: object, method: string, params?: object) => Promise<any>,
   *   emit: (message: object) => void, log?: (...args: any[]) => void}} o
   */
  constructor({ tabId, rec, send, emit, log = () => {} }) {
    this.tabId = tabId;
    this.rec = rec;
    this.send = (target, method, params) => {
      try {
        return Promise.resolve(send(target, method, params));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    this.emit = emit;
    this.log = log;
    this.stopped = false;
    /** @type {Map<string, Map<number, {id: number, origin: string}>>} default contexts by session */
    this.contexts = new Map();
    this.probing = new Set(); // session + "/" + context id
    this.sent = new Set(); // the contexts (documents) a page message went out for
  }

  target(session) {
    return session ? { tabId: this.tabId, sessionId: session } : { tabId: this.tabId };
  }

  stop() {
    this.stopped = true;
    this.contexts.clear();
  }

  /** handle takes one debugger event; it never waits. */
  handle(source, method, params) {
    if (this.stopped || !params || typeof params !== "object") return;
    const session = (source && source.sessionId) || "";
    switch (method) {
      case "Runtime.executionContextCreated": {
        const c = params.context;
        if (!c || !c.auxData || c.auxData.isDefault !== true || typeof c.id !== "number") return;
        if (!this.contexts.has(session)) this.contexts.set(session, new Map());
        const ctx = { id: c.id, origin: typeof c.origin === "string" ? c.origin : "" };
        this.contexts.get(session).set(c.id, ctx);
        this.probe(session, ctx);
        return;
      }
      case "Runtime.executionContextDestroyed":
        this.contexts.get(session)?.delete(params.executionContextId);
        return;
      case "Runtime.executionContextsCleared":
        this.contexts.delete(session);
        return;
      case "Page.loadEventFired":
        for (const ctx of this.contexts.get(session)?.values() ?? []) this.probe(session, ctx);
        return;
      case "Target.detachedFromTarget":
        this.contexts.delete(params.sessionId);
        return;
    }
  }

  /** probe looks for a Gradio app in one context (once at a time per context). */
  async probe(session, ctx) {
    const key = `${session}/${ctx.id}`;
    if (this.probing.has(key)) return;
    this.probing.add(key);
    const target = this.target(session);
    try {
      const res = await this.send(target, "Runtime.evaluate", {
        expression: PROBE, contextId: ctx.id, awaitPromise: true, returnByValue: true,
      });
      const page = this.stopped ? null : parsePage(res, ctx.origin);
      if (!page || this.sent.has(key)) return;
      this.sent.add(key);
      let cookies = [];
      try {
        const r = await this.send(target, "Network.getCookies", { urls: [page.cookieURL] });
        cookies = (Array.isArray(r && r.cookies) ? r.cookies : [])
          .filter((c) => c && typeof c.name === "string" && typeof c.value === "string")
          .map((c) => ({ name: c.name, value: c.value }));
      } catch (err) {
        this.log("gradiorec: the app's cookies:", String(err && err.message));
      }
      if (this.stopped) return;
      this.emit({ t: "page", rec: this.rec, url: page.url, config: page.config, info: page.info, cookies });
    } catch (err) {
      // The frame went away, or navigated, while it was probed.
      this.log("gradiorec: probing a frame:", String(err && err.message));
    } finally {
      this.probing.delete(key);
    }
  }
}
