// relay.js against a fake WebSocket (the test plays the backend), fake
// timers and a fake chrome.storage.local: the handshake, replies, pings,
// frame limits, forgetting a refused secret, and reconnecting with backoff.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Relay, MAX_FRAME, MAX_SEND, REQUEST_TIMEOUT } from "../lib/relay.js";
import { base64url, fromBase64url, proof } from "../lib/protocol.js";

const enc = new TextEncoder();
const SN = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const CODE = "7KQ2M4XVZP0HJWR9C3ABTN6YED";

// waiter makes "the next x" promises.
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

function world() {
  const created = waiter();
  const sockets = [];
  class FakeWS {
    constructor(url) {
      this.url = url;
      this.readyState = 1;
      this.sent = [];
      this.sends = waiter();
      this.closedWith = null;
      sockets.push(this);
      queueMicrotask(() => created.fire(this));
    }
    send(s) {
      const m = JSON.parse(s);
      this.sent.push(m);
      this.sends.fire(m);
    }
    close(code) {
      this.closedWith = code;
      this.readyState = 3;
    }
    // The backend's side.
    recv(m) {
      this.onmessage({ data: typeof m === "string" ? m : JSON.stringify(m) });
    }
    drop(reason = "") {
      this.readyState = 3;
      this.onclose({ code: 1006, reason });
    }
  }
  const store = {};
  const storage = {
    get: async (k) => (k in store ? { [k]: structuredClone(store[k]) } : {}),
    set: async (o) => Object.assign(store, structuredClone(o)),
    remove: async (k) => delete store[k],
  };
  const timers = [];
  const logs = [];
  const relay = new Relay({
    storage, WebSocket: FakeWS, browser: "Chromium test", log: (...a) => logs.push(a.join(" ")),
    setTimeout: (fn, ms) => timers.push({ fn, ms, live: true }) - 1,
    clearTimeout: (i) => { if (timers[i]) timers[i].live = false; },
  });
  const states = waiter();
  relay.onState((s) => states.fire(s));
  const messages = [];
  relay.onMessage((m) => messages.push(m));
  const until = async (conn) => { for (;;) { const s = await states.next(); if (s.connection === conn) return s; } };
  const live = () => timers.filter((t) => t.live);
  const fire = () => { const t = live()[0]; t.live = false; t.fn(); return t.ms; };
  return { relay, store, created, sockets, until, live, fire, logs, messages };
}

// pairAs plays the backend's side of a pairing; it returns the secret.
async function backendPair(ws, { welcome = true } = {}) {
  const msg = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  const m = await msg;
  assert.equal(m.t, "pair");
  const key = enc.encode(CODE);
  assert.equal(m.proof, await proof(key, ["gradiorec pair v1", SN, m.nonce, m.install]));
  const secret = fromBase64url(base64url(new Uint8Array(await crypto.subtle.sign("HMAC",
    await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
    enc.encode(["gradiorec secret v1", SN, m.nonce, m.install].join("\n"))))));
  if (welcome) ws.recv({ t: "welcome", v: 1, server: "gradiorec test", proof: await proof(secret, ["gradiorec server v1", SN, m.nonce]) });
  return { m, secret };
}

async function backendHello(ws, secret) {
  const msg = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  const m = await msg;
  assert.equal(m.t, "hello");
  assert.equal(m.proof, await proof(secret, ["gradiorec client v1", SN, m.nonce]));
  ws.recv({ t: "welcome", v: 1, server: "gradiorec test", proof: await proof(secret, ["gradiorec server v1", SN, m.nonce]) });
  return m;
}

test("pairing: the code's proof, the secret stored by port, nothing sent before the welcome", async () => {
  const w = world();
  const p = w.relay.pair(7011, "7kq2m-4xvzp-0hjwr-9c3ab-tn6ye-d");
  const ws = await w.created.next();
  assert.equal(ws.url, "ws://127.0.0.1:7011/v1/ext");
  assert.equal(w.relay.state.connection, "connecting");
  assert.equal(w.relay.send({ t: "status" }), false, "nothing goes out before the welcome");
  const { m, secret } = await backendPair(ws);
  assert.deepEqual(await p, { server: "gradiorec test", port: 7011 });
  assert.match(m.install, /^[A-Za-z0-9_-]{16,64}$/);
  assert.equal(m.browser, "Chromium test");
  assert.equal(w.store.install, m.install, "the install id is kept");
  assert.deepEqual(w.store.secrets, { 7011: base64url(secret) });
  assert.equal(w.store.port, 7011);
  assert.equal(w.relay.state.connection, "paired");
  assert.equal(ws.sent.length, 1);
  assert.equal(w.relay.send({ t: "start", rec: "r" }), true);
  for (const line of w.logs) assert.doesNotMatch(line, new RegExp(`${CODE}|${m.proof}|${base64url(secret)}`));
});

test("a welcome without the right proof: refused, nothing stored, nothing sent", async () => {
  const w = world();
  const p = w.relay.pair(7012, CODE);
  const ws = await w.created.next();
  const msg = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  await msg;
  ws.recv({ t: "welcome", v: 1, server: "squatter", proof: "0".repeat(64) });
  await assert.rejects(p, /did not prove it is the gradiorec you paired with: check the port/);
  assert.equal(w.store.secrets, undefined);
  assert.equal(ws.closedWith, 1000);
  assert.equal(w.relay.state.connection, "error");
  assert.equal(ws.sent.length, 1);
  assert.equal(w.live().length, 0, "no retry");
});

test("a message other than the welcome before it is refused", async () => {
  const w = world();
  const p = w.relay.pair(7012, CODE);
  const ws = await w.created.next();
  const msg = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  await msg;
  ws.recv({ t: "call", rec: "r", kind: "started", call: {} });
  await assert.rejects(p, /did not prove/);
  assert.deepEqual(w.messages, []);
});

test("a wrong code: the backend's message, not paired", async () => {
  const w = world();
  const p = w.relay.pair(7013, CODE);
  const ws = await w.created.next();
  const msg = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  await msg;
  ws.recv({ t: "error", code: "bad-code", message: "the pairing code is wrong, used or expired: run gradiorec serve again for a new one" });
  ws.drop();
  await assert.rejects(p, /the pairing code is wrong, used or expired/);
  assert.equal(w.relay.state.connection, "not paired");
  assert.equal(w.live().length, 0, "a code is not tried twice");
});

test("a pairing refused because no code is open keeps the earlier secret", async () => {
  const w = world();
  w.store.secrets = { 7013: base64url(new Uint8Array(32)) };
  const p = w.relay.pair(7013, CODE);
  const ws = await w.created.next();
  const msg = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  await msg;
  ws.recv({ t: "error", code: "unpaired", message: "no pairing code is open: ask gradiorec for one" });
  ws.drop();
  await assert.rejects(p, /^Error: no pairing code is open: ask gradiorec for one$/);
  assert.deepEqual(Object.keys(w.store.secrets), ["7013"]);
  assert.equal(w.relay.state.connection, "error");
});

test("a code that is no code is refused before anything is sent", async () => {
  const w = world();
  await assert.rejects(w.relay.pair(7013, "12345"), /26 letters and digits/);
  await assert.rejects(w.relay.pair(7013, "HELLO"), /never holds the letters I, L, O or U/);
  assert.equal(w.sockets.length, 0);
  await assert.rejects(w.relay.pair(0, CODE), /enter the port/);
});

test("hello with the stored secret; unpaired makes it forget the secret", async () => {
  const w = world();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  w.store.secrets = { 7014: base64url(secret), 9: "x" };
  let p = w.relay.connect(7014);
  let ws = await w.created.next();
  await backendHello(ws, secret);
  await p;
  assert.equal(w.relay.state.connection, "paired");
  w.relay.close("test");

  p = w.relay.connect(7014);
  ws = await w.created.next();
  const msg = ws.sends.next();
  ws.recv({ t: "challenge", v: 1, nonce: SN });
  await msg;
  ws.recv({ t: "error", code: "unpaired", message: "this browser is not paired with this gradiorec (or its pairing was revoked): pair it again with the code gradiorec shows" });
  ws.drop();
  await assert.rejects(p, /^Error: this browser is not paired with this gradiorec \(or its pairing was revoked\): pair it again with the code gradiorec shows$/);
  assert.deepEqual(w.store.secrets, { 9: "x" });
  assert.equal(w.relay.state.connection, "not paired");
  assert.equal(w.live().length, 0);
  // A message that does not say what to do gets it added.
  w.store.secrets = { 7014: base64url(secret) };
  const p2 = w.relay.connect(7014);
  const ws2 = await w.created.next();
  const msg2 = ws2.sends.next();
  ws2.recv({ t: "challenge", v: 1, nonce: SN });
  await msg2;
  ws2.recv({ t: "error", code: "bad-proof", message: "bad proof" });
  await assert.rejects(p2, /^Error: bad proof: pair again with the code `gradiorec serve` shows$/);
  assert.deepEqual(w.store.secrets, {});
  await assert.rejects(w.relay.connect(7014), /not paired with gradiorec on port 7014: run `gradiorec serve` and paste its pairing code/);
});

test("requests get their replies, in any order; errors and timeouts reject; pings are answered", async () => {
  const w = world();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  w.store.secrets = { 7015: base64url(secret) };
  const p = w.relay.connect(7015);
  const ws = await w.created.next();
  await backendHello(ws, secret);
  await p;
  const a = w.relay.request("code", { rec: "r", lang: "go", flavour: "script" });
  const b = w.relay.request("status");
  const c = w.relay.request("export", { rec: "r" });
  const d = w.relay.request("replay", { rec: "r" });
  const [ma, mb, mc, md] = ws.sent.slice(1);
  assert.deepEqual(ma, { rec: "r", lang: "go", flavour: "script", t: "code", req: ma.req });
  assert.equal(new Set([ma.req, mb.req, mc.req, md.req]).size, 4);
  ws.recv({ t: "reply", req: mb.req, ok: true, result: { server: "s" } });
  ws.recv({ t: "reply", req: 999, ok: true, result: {} }); // unknown: ignored
  ws.recv({ t: "reply", req: ma.req, ok: true, result: { lang: "go", code: "package main" } });
  ws.recv({ t: "reply", req: mc.req, ok: false, error: "export r: the folder exists: choose another" });
  assert.deepEqual(await b, { server: "s" });
  assert.deepEqual(await a, { lang: "go", code: "package main" });
  await assert.rejects(c, /the folder exists: choose another/);
  const timer = w.live().find((t) => t.ms === REQUEST_TIMEOUT);
  timer.live = false;
  timer.fn();
  await assert.rejects(d, /did not answer "replay" within 60 s/);
  const pong = ws.sends.next();
  ws.recv({ t: "ping" });
  assert.deepEqual(await pong, { t: "pong" });
  ws.recv({ t: "stopped", rec: "r", path: "/x", calls: 2, ok: true });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(w.messages, [{ t: "stopped", rec: "r", path: "/x", calls: 2, ok: true }]);
});

test("frames too big, binary or not a message are ignored and logged", async () => {
  const w = world();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  w.store.secrets = { 7016: base64url(secret) };
  const p = w.relay.connect(7016);
  const ws = await w.created.next();
  await backendHello(ws, secret);
  await p;
  ws.recv(JSON.stringify({ t: "call", pad: "x".repeat(MAX_FRAME) }));
  ws.onmessage({ data: new ArrayBuffer(4) });
  ws.recv("[1]");
  ws.recv("nope");
  ws.recv({ t: "started", rec: "r", path: "/p" });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(w.messages, [{ t: "started", rec: "r", path: "/p" }]);
  assert.equal(w.logs.length, 4);
  assert.match(w.logs[0], /ignored a frame of \d+ characters/);
});

test("a lost connection fails pending requests, tells the listeners and reconnects with backoff", async () => {
  const w = world();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  w.store.secrets = { 7017: base64url(secret) };
  const p = w.relay.connect(7017);
  let ws = await w.created.next();
  await backendHello(ws, secret);
  await p;
  const r = w.relay.request("status");
  const down = w.until("disconnected");
  ws.drop("gradiorec stopped");
  await assert.rejects(r, /closed before it answered/);
  assert.match((await down).message, /closed \(gradiorec stopped\); trying again in 1 s/);
  assert.deepEqual(w.messages, [{ t: "closed", port: 7017, reason: "lost", code: 1006 }]);

  // Nobody listens: 1 s, 2 s, 4 s … up to 30 s.
  const waits = [];
  for (let i = 0; i < 7; i++) {
    const next = w.created.next();
    waits.push(w.fire());
    ws = await next;
    const again = w.until("disconnected");
    ws.drop();
    assert.match((await again).message, /not answering on port 7017/);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  // Back: the backoff starts again from 1 s.
  const next = w.created.next();
  w.fire();
  ws = await next;
  await backendHello(ws, secret);
  await w.until("paired");
  ws.drop();
  await w.until("disconnected");
  assert.equal(w.live()[0].ms, 1000);
  // disconnect stops it.
  await w.relay.disconnect();
  assert.equal(w.live().length, 0);
  assert.equal(w.store.port, undefined);
});

test("init reconnects to the stored port with its secret", async () => {
  const w = world();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  w.store.secrets = { 7018: base64url(secret) };
  w.store.port = 7018;
  w.store.install = "install-id-0123456789";
  await w.relay.init();
  const ws = await w.created.next();
  const hello = await backendHello(ws, secret);
  assert.equal(hello.install, "install-id-0123456789");
  await w.until("paired");

  const v = world();
  v.store.port = 7019;
  await v.relay.init();
  assert.equal(v.relay.state.connection, "not paired");
  assert.equal(v.sockets.length, 0);
});

test("a message too big for gradiorec goes without its body, or not at all", async () => {
  const w = world();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  w.store.secrets = { 7020: base64url(secret) };
  const p = w.relay.connect(7020);
  const ws = await w.created.next();
  await backendHello(ws, secret);
  await p;
  const big = { t: "requestSent", rec: "r", id: ":1", body: "A".repeat(MAX_SEND) };
  assert.equal(w.relay.send(big, (m) => ({ ...m, body: null })), true);
  assert.deepEqual(ws.sent.at(-1), { ...big, body: null });
  assert.equal(w.relay.send(big), false);
  assert.equal(w.relay.send(big, () => null), false);
  assert.equal(ws.sent.length, 2);
  assert.match(w.logs.join("\n"), /too big for gradiorec: sent without its body[^]*dropped a "requestSent" message too big/);
});

test("timers are called as a browser allows: not as methods of the relay", async () => {
  const w = world();
  const strict = [];
  // Like a browser's setTimeout: "Illegal invocation" on another `this`.
  const setT = function (fn, ms) {
    if (this !== undefined && this !== globalThis) throw new TypeError("Illegal invocation");
    strict.push(ms);
    return strict.length;
  };
  const clearT = function () {
    if (this !== undefined && this !== globalThis) throw new TypeError("Illegal invocation");
  };
  const secret = crypto.getRandomValues(new Uint8Array(32));
  w.store.secrets = { 7021: base64url(secret) };
  const created = [];
  const relay = new Relay({
    storage: { get: async (k) => (k in w.store ? { [k]: w.store[k] } : {}), set: async (o) => Object.assign(w.store, o) },
    WebSocket: class {
      constructor(url) { created.push(this); this.url = url; this.readyState = 1; this.sends = []; }
      send(s) { this.sends.push(JSON.parse(s)); }
      close() { this.readyState = 3; }
    },
    setTimeout: setT, clearTimeout: clearT,
  });
  const p = relay.connect(7021);
  while (created.length === 0) await new Promise((r) => setImmediate(r));
  const ws = created[0];
  ws.onmessage({ data: JSON.stringify({ t: "challenge", v: 1, nonce: SN }) });
  while (ws.sends.length === 0) await new Promise((r) => setImmediate(r));
  const hello = ws.sends[0];
  ws.onmessage({ data: JSON.stringify({ t: "welcome", v: 1, proof: await proof(secret, ["gradiorec server v1", SN, hello.nonce]) }) });
  await p;
  const r = relay.request("status");
  ws.onmessage({ data: JSON.stringify({ t: "reply", req: ws.sends[1].req, ok: true, result: 1 }) });
  assert.equal(await r, 1);
  ws.onclose({ code: 1006 });
  while (strict.length < 2) await new Promise((r) => setImmediate(r));
  assert.deepEqual(strict, [REQUEST_TIMEOUT, 1000]);
});
