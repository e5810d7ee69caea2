// gradiorec's service worker: the connection to gradiorec (lib/relay.js),
// the recordings of tabs (lib/capture.js, lib/page.js through
// chrome.debugger), the side panel's requests, and the automation hooks on
// globalThis.gradiorec that tests drive through DevTools.
//
// The backend never drives the browser: a chrome.debugger command is only
// ever sent for a recording the user started (Record in the panel, or the
// record hook), and a backend message can at most end such a recording.

import { Relay } from "./lib/relay.js";
import { Capture } from "./lib/capture.js";
import { PageWatcher } from "./lib/page.js";
import { randomID } from "./lib/protocol.js";

const log = (...args) => console.log(...args); // never a secret, a code or a proof
const MAX_CALLS = 2000; // calls kept per recording for the panel
const MAX_ENDED = 10; // ended recordings kept for the panel
const START_TIMEOUT = 60_000;
const RESTARTED = "the recording ended because the extension restarted: gradiorec saves the calls that completed and says where once it reconnects";
const BACKEND_LOST = "the backend stopped: the calls that completed are in its journal (gradiorec recover)";
// gradiorec closes with 1001 when it shuts down, which saves every recording.
const BACKEND_STOPPED = "gradiorec stopped and saved the calls that completed: its output says where";

const relay = new Relay({ storage: chrome.storage.local, browser: navigator.userAgent, log });

/** Active recordings by rec, and the rec of each recorded tab. */
const recordings = new Map();
const byTab = new Map();
/** Recordings that ended, newest first, for the panel. */
let ended = [];
/** Recordings a previous worker left: [{rec, tabId, port}]; a stop goes out once connected. */
let leftovers = [];
/** Waiters for backend messages about a recording: "rec started" / "rec stopped". */
const waiters = new Map();
let recordedBefore = false;

// ---- the panel -------------------------------------------------------------

function snapshot() {
  return {
    connection: relay.state.connection,
    port: relay.state.port,
    paired: relay.state.paired,
    server: relay.state.server,
    message: relay.state.message,
    recordedBefore,
    recordings: [...recordings.values()].map((r) => ({
      rec: r.rec, tabId: r.tabId, phase: r.phase, path: r.path, calls: [...r.calls.values()],
    })),
    ended,
  };
}

function broadcast(extra) {
  chrome.runtime.sendMessage({ type: "state", state: snapshot(), ...extra }).catch(() => {
    // no panel is open
  });
}

relay.onState(() => {
  if (relay.state.connection === "paired") flushLeftovers();
  broadcast();
});

/** summary is what the panel shows of a call: the recording's call is the backend's word. */
function summary(call) {
  const c = call && typeof call === "object" ? call : {};
  const str = (v) => (typeof v === "string" ? v.slice(0, 500) : "");
  return {
    id: Number.isInteger(c.id) ? c.id : null,
    endpoint: str(c.api_name) || (Number.isInteger(c.fn_index) ? `fn ${c.fn_index}` : "?"),
    status: str(c.status) || "running",
    duration: typeof c.duration === "number" && Number.isFinite(c.duration) ? c.duration : null,
    error: c.error && typeof c.error === "object" ? str(c.error.message) : "",
  };
}

function wake(rec, t, msg, err) {
  const key = `${rec} ${t}`;
  const w = waiters.get(key);
  if (!w) return;
  waiters.delete(key);
  clearTimeout(w.timer);
  if (err) w.reject(err);
  else w.resolve(msg);
}

function waitFor(rec, t, what) {
  const key = `${rec} ${t}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(key);
      reject(new Error(`gradiorec did not ${what} within ${START_TIMEOUT / 1000} s: check its output`));
    }, START_TIMEOUT);
    waiters.set(key, { resolve, reject, timer });
  });
}

relay.onMessage((msg) => {
  if (msg.t === "closed") {
    // The connection is gone: no recording can go on.
    const why = msg.code === 1001 ? BACKEND_STOPPED : BACKEND_LOST;
    for (const r of [...recordings.values()]) end(r, "detached", { send: false, message: why });
    for (const key of [...waiters.keys()]) {
      const [rec, t] = key.split(" ");
      wake(rec, t, null, new Error(why));
    }
    broadcast();
    return;
  }
  const rec = typeof msg.rec === "string" ? msg.rec : "";
  const r = recordings.get(rec);
  switch (msg.t) {
    case "started":
      if (r && typeof msg.path === "string") r.path = msg.path.slice(0, 4096);
      wake(rec, "started", msg);
      break;
    case "call":
      if (r && r.calls.size < MAX_CALLS) {
        const s = summary(msg.call);
        r.calls.set(s.id ?? `n${r.calls.size}`, s);
      }
      break;
    case "stopped": {
      const text = (v, n) => (typeof v === "string" ? v.slice(0, n) : "");
      // The backend ended it (say, at its size limit): stop capturing.
      if (r) end(r, "detached", { send: false, message: `gradiorec ended the recording: ${text(msg.message, 2000) || "see its output"}` });
      const e = ended.find((x) => x.rec === rec);
      if (e) {
        e.path = text(msg.path, 4096) || e.path;
        e.ok = msg.ok === true;
        e.saved = text(msg.message, 2000);
        e.count = Number.isInteger(msg.calls) ? msg.calls : e.calls.length;
      }
      wake(rec, "stopped", msg);
      break;
    }
    case "error":
      if (rec) wake(rec, "started", null, new Error(typeof msg.message === "string" ? msg.message : "gradiorec refused the recording"));
      break;
  }
  broadcast({ backend: msg });
});

// ---- recording -------------------------------------------------------------

async function saveActive() {
  const active = [...recordings.values()].map((r) => ({ rec: r.rec, tabId: r.tabId, port: r.port }));
  await chrome.storage.session.set({ active: [...active, ...leftovers] });
}

function attachError(err) {
  const m = String((err && err.message) || err);
  if (/chrome:\/\/|chrome-extension:\/\/|Cannot access|Cannot attach to this target/i.test(m)) {
    return new Error("gradiorec cannot record this page (a browser or extension page): open the Gradio app in this tab and press Record");
  }
  if (/already attached/i.test(m)) {
    return new Error("another extension or tool is debugging this tab: close it and press Record again");
  }
  if (/policy/i.test(m)) {
    return new Error("your browser's policy does not allow debugging this page: ask its administrator, or record with `gradiorec record` instead");
  }
  return new Error(`could not attach to the tab (${m}): reload the tab and press Record again`);
}

/**
 * record starts recording a tab; only the user (or the test hook) calls it.
 * It resolves with the recording's id once gradiorec has started it.
 */
async function record(tabId) {
  await ready;
  if (!Number.isInteger(tabId) || tabId < 0) throw new Error("no tab to record: click in the tab of the Gradio app, then press Record");
  if (byTab.has(tabId)) throw new Error("this tab is being recorded already: press Stop first");
  if (!relay.connected()) {
    throw new Error("not connected to gradiorec: run `gradiorec serve`, then pair (or reconnect) in the panel");
  }
  const targets = await chrome.debugger.getTargets();
  const info = targets.find((t) => t.tabId === tabId && t.type === "page");
  const tab = { url: info ? String(info.url) : "", title: info ? String(info.title) : "" };
  // about:blank: a tab opened to record from its first page load.
  if (!/^https?:\/\//i.test(tab.url) && tab.url !== "about:blank") {
    throw new Error("gradiorec records web pages only: open the Gradio app in this tab, then press Record");
  }
  try {
    await chrome.debugger.attach({ tabId }, "1.3");
  } catch (err) {
    throw attachError(err);
  }
  const rec = randomID(16);
  const r = { rec, tabId, port: relay.state.port, phase: "starting", path: "", calls: new Map(), capture: null, page: null };
  // A body too big for one frame goes as null: gradiorec then fetches
  // uploaded files back from the app (recorder/source.go, rule 3).
  const emit = (m) => relay.send(m, (big) => ("body" in big ? { ...big, body: null } : big.t === "page" ? { ...big, info: null } : null));
  const send = (target, method, params) => chrome.debugger.sendCommand(target, method, params);
  r.capture = new Capture({ tabId, rec, send, emit, log });
  r.page = new PageWatcher({ tabId, rec, send, emit, log });
  recordings.set(rec, r);
  byTab.set(tabId, rec);
  recordedBefore = true;
  chrome.storage.local.set({ recordedBefore: true }).catch(() => {});
  await saveActive();
  const started = waitFor(rec, "started", "confirm the recording");
  started.catch(() => {}); // awaited below
  // The backend knows the recording before any of its events.
  if (!relay.send({ t: "start", rec, tab })) {
    await end(r, "detached", { send: false, message: BACKEND_LOST });
    throw new Error("the connection to gradiorec closed: run `gradiorec serve` and connect again");
  }
  broadcast();
  try {
    await r.capture.start();
  } catch (err) {
    if (r.phase !== "ended") await end(r, "detached", { message: `could not watch the tab's traffic (${err.message}): reload the tab and press Record again` });
    throw new Error(`could not watch the tab's traffic (${err.message}): reload the tab and press Record again`);
  }
  try {
    await started;
  } catch (err) {
    if (r.phase !== "ended") await end(r, "detached", { message: err.message });
    throw err;
  }
  if (r.phase === "starting") r.phase = "recording";
  broadcast();
  return rec;
}

/**
 * end ends a recording: stop capturing, tell the backend (send), let go of
 * the tab (detach).
 */
async function end(r, reason, { send = true, detach = true, message = "" } = {}) {
  if (r.phase === "ended") return;
  r.phase = "ended";
  r.capture.stop();
  r.page.stop();
  recordings.delete(r.rec);
  byTab.delete(r.tabId);
  if (send) relay.send({ t: "stop", rec: r.rec, reason });
  wake(r.rec, "started", null, new Error(message || `the recording ended (${reason}) before gradiorec confirmed it: press Record again`));
  ended = [{ rec: r.rec, tabId: r.tabId, reason, message, path: r.path, calls: [...r.calls.values()], ok: null }, ...ended].slice(0, MAX_ENDED);
  broadcast();
  if (detach) {
    try {
      await chrome.debugger.detach({ tabId: r.tabId });
    } catch {
      // gone already
    }
  }
  await saveActive().catch(() => {});
}

/** stop is the user's Stop: it resolves with the backend's stopped message. */
async function stop(rec) {
  await ready;
  const r = recordings.get(rec);
  if (!r) throw new Error(`no recording ${JSON.stringify(String(rec))} is running: it ended already (see the panel)`);
  const stopped = waitFor(rec, "stopped", "save the recording");
  stopped.catch(() => {});
  await end(r, "user");
  return stopped;
}

chrome.debugger.onEvent.addListener((source, method, params) => {
  const r = recordings.get(byTab.get(source.tabId));
  if (!r) return;
  r.capture.handle(source, method, params);
  r.page.handle(source, method, params);
});

chrome.debugger.onDetach.addListener((source, reason) => {
  const r = recordings.get(byTab.get(source.tabId));
  if (!r) return;
  if (reason === "target_closed") {
    end(r, "tab-closed", { detach: false, message: "the tab was closed: the recording stopped" });
  } else if (reason === "canceled_by_user") {
    // Never re-attach on our own after this: the user said no.
    end(r, "canceled-by-user", { detach: false, message: "you closed the debugging bar, so the recording stopped; press Record to record again" });
  } else {
    end(r, "detached", { detach: false, message: `the browser stopped the recording (${String(reason)}): press Record to record again` });
  }
});

chrome.tabs.onRemoved.addListener((tabId) => {
  const r = recordings.get(byTab.get(tabId));
  if (r) end(r, "tab-closed", { detach: false, message: "the tab was closed: the recording stopped" });
});

/** flushLeftovers tells the backend about recordings a previous worker lost. */
function flushLeftovers() {
  const port = relay.state.port;
  const now = leftovers.filter((l) => l.port === port);
  if (now.length === 0) return;
  for (const l of now) {
    if (relay.send({ t: "stop", rec: l.rec, reason: "worker-restarted" })) {
      leftovers = leftovers.filter((x) => x !== l);
    }
  }
  saveActive().catch(() => {});
}

// ---- start-up --------------------------------------------------------------

const ready = (async () => {
  chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch((err) => log("gradiorec: side panel:", err.message));
  try {
    const { recordedBefore: seen } = await chrome.storage.local.get("recordedBefore");
    recordedBefore = seen === true;
    const { active } = await chrome.storage.session.get("active");
    for (const a of Array.isArray(active) ? active : []) {
      if (!a || typeof a.rec !== "string" || !Number.isInteger(a.tabId)) continue;
      leftovers.push({ rec: a.rec, tabId: a.tabId, port: a.port });
      ended.push({ rec: a.rec, tabId: a.tabId, reason: "worker-restarted", message: RESTARTED, path: "", calls: [], ok: null });
      try {
        await chrome.debugger.detach({ tabId: a.tabId });
      } catch {
        // not attached any more
      }
    }
    await saveActive();
    await relay.init();
  } catch (err) {
    log("gradiorec: starting:", err.message);
  }
})();

// ---- the panel's requests ---------------------------------------------------

function noRecording(what) {
  if (recordings.size > 0) throw new Error(`stop the recording before you ${what}`);
}

async function handle(msg) {
  await ready;
  switch (msg && msg.type) {
    case "state":
      return snapshot();
    case "pair":
      noRecording("pair again");
      return relay.pair(Number(msg.port), String(msg.code ?? ""));
    case "connect":
      noRecording("connect again");
      return relay.connect(Number(msg.port));
    case "disconnect":
      noRecording("disconnect");
      return relay.disconnect();
    case "record":
      return record(msg.tabId);
    case "stop":
      return stop(msg.rec);
    case "code":
      return relay.request("code", { rec: String(msg.rec), lang: String(msg.lang), flavour: msg.flavour === "test" ? "test" : "script" });
    case "export":
      return relay.request("export", { rec: String(msg.rec) });
    case "replay":
      return relay.request("replay", { rec: String(msg.rec) });
    case "status":
      return relay.request("status");
  }
  throw new Error("the panel asked for something this worker does not know: reload the extension");
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // Only the extension's own pages (the panel) talk to the worker.
  if (sender.id !== chrome.runtime.id || !String(sender.url || "").startsWith(chrome.runtime.getURL(""))) return false;
  if (!msg || typeof msg !== "object") return false;
  handle(msg).then(
    (result) => sendResponse({ ok: true, result: result ?? null }),
    (err) => sendResponse({ ok: false, error: String((err && err.message) || err) }),
  );
  return true;
});

// ---- automation hooks (tests drive these through DevTools) -----------------

/** tabOf is the tab id of a DevTools page target. */
async function tabOf(targetId) {
  await ready;
  const t = (await chrome.debugger.getTargets()).find((x) => x.id === targetId);
  if (!t || !Number.isInteger(t.tabId)) {
    throw new Error(`no tab has the target id ${JSON.stringify(String(targetId))}: pass the id of a page target (Target.getTargets)`);
  }
  return t.tabId;
}

globalThis.gradiorec = Object.freeze({
  ready: ready.then(() => null),
  /** pair pairs with gradiorec on port with its code; it resolves once the welcome is verified. */
  pair: async (port, code) => {
    await ready;
    noRecording("pair again");
    return relay.pair(port, code);
  },
  /** connect connects to port with the stored secret. */
  connect: async (port) => {
    await ready;
    noRecording("connect again");
    return relay.connect(port);
  },
  /** record records the tab of DevTools target targetId; it resolves with the recording's id. */
  record: async (targetId) => record(await tabOf(targetId)),
  /** tabId is the tab id of DevTools target targetId, for panel.html?tab=ID. */
  tabId: async (targetId) => tabOf(targetId),
  /** stop stops recording rec; it resolves with the backend's stopped message. */
  stop: async (rec) => stop(rec),
  /** state is the connection and the active recordings. */
  state: async () => {
    await ready;
    return {
      connection: relay.state.connection,
      paired: relay.state.paired,
      port: relay.state.port,
      message: relay.state.message,
      recordings: [...recordings.values()].map((r) => ({ rec: r.rec, tabId: r.tabId, phase: r.phase, path: r.path, calls: r.calls.size })),
      ended: ended.map((e) => ({ rec: e.rec, reason: e.reason, message: e.message })),
    };
  },
});
