// sw.js with fake chrome.* APIs and a fake WebSocket (the test plays the
// backend): the order of start and the debugger's commands, stop then
// detach, the ends of a recording (the bar closed, the tab closed, the
// backend gone), and a worker that restarts with a recording left over.
import { test } from "node:test";
import assert from "node:assert/strict";
import { base64url, proof } from "../lib/protocol.js";

const enc = new TextEncoder();
const SN = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const CODE = "7KQ2M4XVZP0HJWR9C3ABTN6YED";
const BACKEND_LOST = "the backend stopped: the calls that completed are in its journal (gradiorec recover)";
const BACKEND_STOPPED = "gradiorec stopped and saved the calls that completed: its output says where";
globalThis.navigator ??= { userAgent: "node" };

function waiter() {
  let waiting = [];
  return {
    next: () => new Promise((r) => waiting.push(r)),
    fire(v) {
      const w = waiting;
      waiting = [];
      for (const r of w) r(v);
    },
  };
}

function event() {
  const listeners = [];
  return { addListener: (f) => listeners.push(f), fire: (...a) => listeners.map((f) => f(...a)) };
}

function area(init) {
  const data = structuredClone(init);
  return {
    data,
    get: async (k) => (k in data ? { [k]: structuredClone(data[k]) } : {}),
    set: async (o) => Object.assign(data, structuredClone(o)),
    remove: async (k) => delete data[k],
  };
}

// load starts a fresh worker on fake chrome APIs; order logs what reaches
// the debugger and the backend, in order.
async function load({ local = {}, session = {}, targets = [] } = {}) {
  const order = [];
  // sockets.next() is the next socket the worker opens, even one opened already.
  const made = [];
  const arrived = waiter();
  const sockets = { next: async () => { while (made.length === 0) await arrived.next(); return made.shift(); } };
  class FakeWS {
    constructor(url) {
      this.url = url;
      this.readyState = 1;
      this.sends = waiter();
      made.push(this);
      arrived.fire();
    }
    send(s) {
      const m = JSON.parse(s);
      order.push(`ws ${m.t}${m.reason ? ` ${m.reason}` : ""}`);
      this.sends.fire(m);
    }
    close() {
      this.readyState = 3;
    }
    recv(m) {
      this.onmessage({ data: JSON.stringify(m) });
    }
    drop(code = 1006) {
      this.readyState = 3;
      this.onclose({ code, reason: "" });
    }
  }
  const chrome = {
    runtime: {
      id: "ext", getURL: (p) => `chrome-extension://ext/${p}`, onMessage: event(),
      sendMessage: async () => { throw new Error("Could not establish connection. Receiving end does not exist."); },
    },
    storage: { local: area(local), session: area(session) },
    debugger: {
      attach: async (t, v) => { order.push(`attach ${t.tabId} ${v}`); },
      detach: async (t) => { order.push(`detach ${t.tabId}`); },
      sendCommand: async (t, method) => { order.push(`cdp ${method}`); return {}; },
      getTargets: async () => targets,
      onEvent: event(),
      onDetach: event(),
    },
    tabs: { onRemoved: event() },
    sidePanel: { setPanelBehavior: async () => {} },
  };
  globalThis.chrome = chrome;
  globalThis.WebSocket = FakeWS;
  await import(`../sw.js?worker=${Math.random()}`);
  const hooks = globalThis.gradiorec;
  await hooks.ready;
  // panel sends a panel request as the side panel would.
  const panel = (msg) => new Promise((resolve) => {
    chrome.runtime.onMessage.fire(msg, { id: "ext", url: "chrome-extension://ext/panel.html" }, resolve);
  });
  return { chrome, hooks, order, sockets, panel };
}

async function secretOf(m) {
  const key = await crypto.subtle.importKey("raw", enc.encode(CODE), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(["gradiorec secret v1", SN, m.nonce, m.install].join("\n"))));
}

// paired pairs the worker with the test's backend and returns its socket.
async function paired(w, port = 7100) {
  const p = w.hooks.pair(port, CODE);
  const ws = await w.sockets.next();
  const first = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  const m = await first;
  const secret = await secretOf(m);
  ws.recv({ t: "welcome", v: 1, server: "gradiorec test", proof: await proof(secret, ["gradiorec server v1", SN, m.nonce]) });
  await p;
  return ws;
}

// backend answers start with started and stop with stopped.
function serve(ws, log = []) {
  const loop = async () => {
    for (;;) {
      const m = await ws.sends.next();
      log.push(m);
      if (m.t === "start") ws.recv({ t: "started", rec: m.rec, path: `/rec/${m.rec}.json` });
      if (m.t === "stop" && m.reason === "user") ws.recv({ t: "stopped", rec: m.rec, path: `/rec/${m.rec}.json`, calls: 1, ok: true });
    }
  };
  loop();
  return log;
}

const tab = { id: "T1", tabId: 5, type: "page", url: "http://127.0.0.1:7860/", title: "App" };

test("record: attach, start, then the domains; stop: stop, then detach", async () => {
  const w = await load({ targets: [tab, { id: "W", type: "service_worker", url: "chrome-extension://ext/sw.js" }] });
  await assert.rejects(w.hooks.record("T1"), /not connected to gradiorec: run `gradiorec serve`/);
  assert.deepEqual(w.order, [], "nothing attached without a backend");
  const ws = await paired(w);
  const log = serve(ws);
  await assert.rejects(w.hooks.record("W"), /no tab has the target id "W"/);
  const rec = await w.hooks.record("T1");
  assert.match(rec, /^[A-Za-z0-9_-]{1,64}$/);
  assert.deepEqual(w.order, [
    "ws pair", "attach 5 1.3", "ws start",
    "cdp Network.enable", "cdp Page.enable", "cdp Runtime.enable", "cdp Target.setAutoAttach",
  ]);
  assert.deepEqual(log[0], { t: "start", rec, tab: { url: "http://127.0.0.1:7860/", title: "App" } });
  let st = await w.hooks.state();
  assert.deepEqual(st.recordings, [{ rec, tabId: 5, phase: "recording", path: `/rec/${rec}.json`, calls: 0 }]);
  assert.equal(st.connection, "paired");
  await assert.rejects(w.hooks.record("T1"), /being recorded already/);

  // The tab's traffic goes to the backend; other tabs' does not.
  const sent = ws.sends.next();
  w.chrome.debugger.onEvent.fire({ tabId: 5 }, "Network.requestWillBeSent", {
    requestId: "9", request: { method: "POST", url: "http://127.0.0.1:7860/gradio_api/queue/join", headers: {}, postDataEntries: [{ bytes: "e30=" }] },
  });
  w.chrome.debugger.onEvent.fire({ tabId: 6 }, "Network.requestWillBeSent", {
    requestId: "9", request: { method: "POST", url: "http://127.0.0.1:7860/gradio_api/queue/join", headers: {} },
  });
  assert.deepEqual(await sent, { t: "requestSent", rec, id: ":9", ts: (await sent).ts, method: "POST", url: "http://127.0.0.1:7860/gradio_api/queue/join", headers: {}, body: "e30=" });

  const stopped = await w.hooks.stop(rec);
  assert.deepEqual(stopped, { t: "stopped", rec, path: `/rec/${rec}.json`, calls: 1, ok: true });
  assert.deepEqual(w.order.slice(-3), ["ws requestSent", "ws stop user", "detach 5"]);
  st = await w.hooks.state();
  assert.deepEqual(st.recordings, []);
  assert.deepEqual(st.ended, [{ rec, reason: "user", message: "" }]);
  await assert.rejects(w.hooks.stop(rec), /is running: it ended already/);
  assert.deepEqual(await w.panel({ type: "disconnect" }), { ok: true, result: null });
});

test("the bar closed, the tab closed, the tab gone: each ends the recording once, without re-attaching", async () => {
  const w = await load({ targets: [tab] });
  const ws = await paired(w);
  const log = serve(ws);
  for (const [fire, reason] of [
    [() => w.chrome.debugger.onDetach.fire({ tabId: 5 }, "canceled_by_user"), "canceled-by-user"],
    [() => w.chrome.tabs.onRemoved.fire(5, {}), "tab-closed"],
    [() => { w.chrome.debugger.onDetach.fire({ tabId: 5 }, "target_closed"); w.chrome.tabs.onRemoved.fire(5, {}); }, "tab-closed"],
    [() => w.chrome.debugger.onDetach.fire({ tabId: 5 }, "something_else"), "detached"],
  ]) {
    const rec = await w.hooks.record("T1");
    const before = w.order.length;
    fire();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(w.order.slice(before), [`ws stop ${reason}`], `${reason}: one stop, no detach, no attach`);
    assert.deepEqual(log.at(-1), { t: "stop", rec, reason });
    assert.deepEqual((await w.hooks.state()).recordings, []);
  }
  const st = await w.hooks.state();
  assert.match(st.ended[3].message, /you closed the debugging bar, so the recording stopped; press Record to record again/);
  assert.match(st.ended[2].message, /the tab was closed/);
  await w.panel({ type: "disconnect" });
});

test("gradiorec shutting down mid-recording (1001): the panel says it saved the calls", async () => {
  const w = await load({ targets: [tab] });
  const ws = await paired(w);
  serve(ws);
  const rec = await w.hooks.record("T1");
  ws.drop(1001);
  await new Promise((r) => setImmediate(r));
  const st = await w.hooks.state();
  assert.deepEqual(st.recordings, []);
  assert.deepEqual(st.ended[0], { rec, reason: "detached", message: BACKEND_STOPPED });
});

test("the backend gone mid-recording: capture stops, the tab is let go, the panel says where the calls are", async () => {
  const w = await load({ targets: [tab] });
  const ws = await paired(w);
  serve(ws);
  const rec = await w.hooks.record("T1");
  const before = w.order.length;
  ws.drop();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(w.order.slice(before), ["detach 5"]);
  const st = await w.hooks.state();
  assert.deepEqual(st.recordings, []);
  assert.deepEqual(st.ended[0], { rec, reason: "detached", message: BACKEND_LOST });
  assert.equal(st.connection, "disconnected");
  // Events after that go nowhere and start nothing.
  w.chrome.debugger.onEvent.fire({ tabId: 5 }, "Target.attachedToTarget", { sessionId: "S", targetInfo: { type: "iframe" } });
  assert.deepEqual(w.order.slice(before), ["detach 5"]);
  await w.panel({ type: "disconnect" });
});

test("nothing the backend sends drives the debugger", async () => {
  const w = await load({ targets: [tab] });
  const ws = await paired(w);
  const before = w.order.length;
  for (const m of [
    { t: "start", rec: "x", tab: {} }, { t: "record", tabId: 5 }, { t: "started", rec: "x", path: "/p" },
    { t: "stopped", rec: "x" }, { t: "call", rec: "x", kind: "started", call: { id: 1 } },
    { t: "error", code: "x", message: "m" }, { t: "attach", tabId: 5 }, { t: "sendCommand", method: "Runtime.evaluate" },
  ]) ws.recv(m);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(w.order.slice(before), []);
  await w.panel({ type: "disconnect" });
});

test("a restarted worker lets go of the tab and tells the backend once connected", async () => {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const x = await load({
    local: { secrets: { 7101: base64url(secret) }, port: 7101, install: "install-0123456789abcdef" },
    session: { active: [{ rec: "old-rec", tabId: 9, port: 7101 }] },
  });
  const ws = await x.sockets.next();
  assert.deepEqual(x.order, ["detach 9"]);
  const first = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  const hello = await first;
  assert.equal(hello.t, "hello");
  const stop = ws.sends.next();
  ws.recv({ t: "welcome", v: 1, server: "gradiorec test", proof: await proof(secret, ["gradiorec server v1", SN, hello.nonce]) });
  assert.deepEqual(await stop, { t: "stop", rec: "old-rec", reason: "worker-restarted" });
  const st = await x.hooks.state();
  assert.match(st.ended[0].message, /the recording ended because the extension restarted/);
  assert.deepEqual(x.chrome.storage.session.data.active, []);
  await x.panel({ type: "disconnect" });
});

test("the panel's requests: only from the extension's own pages; errors say what to do", async () => {
  const w = await load({ targets: [{ ...tab, url: "chrome://settings/" }] });
  const ws = await paired(w);
  serve(ws);
  assert.equal(w.chrome.runtime.onMessage.fire({ type: "state" }, { id: "other", url: "https://evil.example/" }, () => {})[0], false);
  assert.match((await w.panel({ type: "record", tabId: 5 })).error, /records web pages only/);
  assert.match((await w.panel({ type: "record", tabId: "5" })).error, /no tab to record/);
  assert.match((await w.panel({ type: "nope" })).error, /reload the extension/);
  const st = await w.panel({ type: "state" });
  assert.equal(st.result.connection, "paired");
  assert.equal(st.result.recordedBefore, false);
  await w.panel({ type: "disconnect" });
});

test("a recording that ends before gradiorec confirms it fails its Record at once", async () => {
  const w = await load({ targets: [tab] });
  const ws = await paired(w);
  const start = ws.sends.next();
  const p = w.hooks.record("T1");
  await start; // no started comes back
  w.chrome.tabs.onRemoved.fire(5, {});
  await assert.rejects(p, /the tab was closed: the recording stopped/);
  assert.deepEqual((await w.hooks.state()).recordings, []);
  // gradiorec refusing the recording fails it too, with its message.
  const start2 = ws.sends.next();
  const q = w.hooks.record("T1");
  const m = await start2;
  ws.recv({ t: "error", rec: m.rec, code: "busy", message: "gradiorec records one tab at a time: stop the other recording first" });
  await assert.rejects(q, /^Error: gradiorec records one tab at a time: stop the other recording first$/);
  assert.deepEqual((await w.hooks.state()).recordings, []);
  assert.equal(w.order.at(-1), "detach 5");
  await w.panel({ type: "disconnect" });
});
