// The service worker's connection to gradiorec's backend:
// ws://127.0.0.1:PORT/v1/ext (docs/extension-protocol.md). It pairs with a
// code or says hello with the stored secret, checks the backend's welcome
// before it sends anything else, answers pings, matches replies to requests
// and reconnects with backoff while a port is configured. It never logs a
// secret, a code or a proof.

import { answer, checkCode, checkWelcome, fromBase64url, base64url, randomID } from "./protocol.js";

/** MAX_FRAME caps an incoming frame, in characters; bigger ones are ignored. */
export const MAX_FRAME = 16 * 1024 * 1024;
/**
 * MAX_SEND caps an outgoing frame, in characters: gradiorec closes the
 * connection on a frame above 64 MiB (its bytes; this leaves a margin for
 * the non-ASCII characters of headers and configs).
 */
export const MAX_SEND = 63 * 1024 * 1024;
/** REQUEST_TIMEOUT bounds the wait for a reply, in milliseconds. */
export const REQUEST_TIMEOUT = 60_000;
/** Reconnection waits 1 s, doubling up to 30 s. */
export const BACKOFF_MIN = 1000;
export const BACKOFF_MAX = 30_000;

const OPEN = 1; // WebSocket.OPEN

/**
 * Relay is the connection to gradiorec. States (Relay.state.connection):
 * "disconnected", "connecting", "paired", "not paired" and "error", with a
 * message saying what to do.
 */
export class Relay {
  /**
   * @param {{storage: {get: Function, set: Function, remove?: Function}, WebSocket?: any,
   *   browser?: string, setTimeout?: Function, clearTimeout?: Function, log?: Function}} o
   *   storage has chrome.storage.local's promise API.
   */
  constructor({ storage, WebSocket = globalThis.WebSocket, browser = "", setTimeout = globalThis.setTimeout, clearTimeout = globalThis.clearTimeout, log = () => {} }) {
    this.storage = storage;
    this.WebSocket = WebSocket;
    this.browser = browser;
    // Called as plain functions: a browser's timers refuse another `this`.
    this.setTimeout = (fn, ms) => setTimeout(fn, ms);
    this.clearTimeout = (id) => clearTimeout(id);
    this.log = log;
    this.state = { connection: "disconnected", port: null, paired: false, server: "", message: "" };
    this.stateListeners = new Set();
    this.messageListeners = new Set();
    this.conn = null; // the current attempt or connection
    this.port = null; // the configured port: reconnect while set
    this.backoff = BACKOFF_MIN;
    this.retry = null; // the reconnection timer
    this.nextReq = 1;
    this.pending = new Map(); // req → {resolve, reject, timer}
    this.installID = null;
  }

  /** onState calls fn(state) on every change; it returns a function that stops it. */
  onState(fn) {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  /** onMessage calls fn(message) for each backend message after the handshake (call, started, stopped, error, closed). */
  onMessage(fn) {
    this.messageListeners.add(fn);
    return () => this.messageListeners.delete(fn);
  }

  setState(change) {
    this.state = { ...this.state, ...change };
    for (const fn of this.stateListeners) {
      try {
        fn(this.state);
      } catch (err) {
        this.log("gradiorec: a state listener failed:", String(err && err.message));
      }
    }
  }

  deliver(msg) {
    for (const fn of this.messageListeners) {
      try {
        fn(msg);
      } catch (err) {
        this.log("gradiorec: a message listener failed:", String(err && err.message));
      }
    }
  }

  /** install is this install's id, made once and kept in storage. */
  install() {
    this.installID ??= (async () => {
      const { install } = await this.storage.get("install");
      if (typeof install === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(install)) return install;
      const id = randomID(16);
      await this.storage.set({ install: id });
      return id;
    })();
    return this.installID;
  }

  async secrets() {
    const { secrets } = await this.storage.get("secrets");
    return secrets && typeof secrets === "object" ? secrets : {};
  }

  async secretFor(port) {
    const s = (await this.secrets())[String(port)];
    if (typeof s !== "string") return null;
    try {
      const b = fromBase64url(s);
      return b.length === 32 ? b : null;
    } catch {
      return null;
    }
  }

  /** hasSecret reports whether this extension is paired with the backend on port. */
  async hasSecret(port) {
    return (await this.secretFor(port)) !== null;
  }

  async forget(port) {
    const all = await this.secrets();
    delete all[String(port)];
    await this.storage.set({ secrets: all });
  }

  /** init reconnects to the configured port, if any, at the worker's start. */
  async init() {
    await this.install();
    const { port } = await this.storage.get("port");
    if (!validPort(port)) return;
    const paired = await this.hasSecret(port);
    this.setState({ port, paired, connection: paired ? "disconnected" : "not paired",
      message: paired ? "" : `not paired with gradiorec on port ${port}: run \`gradiorec serve\` and paste its pairing code` });
    if (paired) {
      this.port = port;
      this.connect(port).catch(() => {}); // the state says why
    }
  }

  /**
   * pair pairs with the backend on port using the code it shows; it resolves
   * with {server} once the backend's welcome is verified.
   */
  async pair(port, code) {
    if (!validPort(port)) throw new Error("enter the port `gradiorec serve` shows (a number from 1 to 65535)");
    checkCode(String(code ?? "")); // what the user pasted is wrong: say so before connecting
    return this.open(port, { code: String(code ?? "") });
  }

  /** connect connects with the secret stored for port. */
  async connect(port) {
    if (!validPort(port)) throw new Error("enter the port `gradiorec serve` shows (a number from 1 to 65535)");
    const secret = await this.secretFor(port);
    if (!secret) {
      const message = `not paired with gradiorec on port ${port}: run \`gradiorec serve\` and paste its pairing code`;
      this.setState({ port, paired: false, connection: "not paired", message });
      throw new Error(message);
    }
    return this.open(port, { secret });
  }

  /** disconnect closes the connection and stops reconnecting. */
  async disconnect() {
    this.port = null;
    this.cancelRetry();
    this.close("disconnected");
    await this.storage.remove?.("port");
    this.setState({ connection: "disconnected", message: "" });
  }

  cancelRetry() {
    if (this.retry !== null) this.clearTimeout(this.retry);
    this.retry = null;
  }

  /** close ends the current connection (its close handler sees it was ours). */
  close(why) {
    const c = this.conn;
    this.conn = null;
    if (!c) return;
    c.closed = why;
    try {
      c.ws?.close(1000);
    } catch {
      // already closed
    }
    this.endOpen(c, why);
    if (!c.settled && why === "replaced") {
      c.settled = true;
      c.reject(new Error("a newer pairing or connection replaced this one"));
    }
  }

  /** open runs one handshake on port; it resolves once paired. */
  async open(port, { code, secret }) {
    this.cancelRetry();
    this.close("replaced");
    const install = await this.install();
    const c = { port, ws: null, phase: "challenge", hs: null, closed: "", settled: false, pairing: code !== undefined };
    this.conn = c;
    this.port = port;
    await this.storage.set({ port });
    this.setState({ connection: "connecting", port, paired: secret !== undefined, message: "" });
    return new Promise((resolve, reject) => {
      c.resolve = resolve;
      c.reject = reject;
      let ws;
      try {
        ws = new this.WebSocket(`ws://127.0.0.1:${port}/v1/ext`);
      } catch (err) {
        this.fail(c, "error", `cannot connect to port ${port}: ${err && err.message}`);
        return;
      }
      c.ws = ws;
      let inbox = Promise.resolve();
      ws.onmessage = (ev) => {
        const data = ev.data;
        if (typeof data !== "string") {
          this.log("gradiorec: ignored a binary frame from the backend");
          return;
        }
        if (data.length > MAX_FRAME) {
          this.log(`gradiorec: ignored a frame of ${data.length} characters from the backend (the limit is ${MAX_FRAME})`);
          return;
        }
        let msg;
        try {
          msg = JSON.parse(data);
        } catch {
          msg = null;
        }
        if (!msg || typeof msg !== "object" || Array.isArray(msg) || typeof msg.t !== "string") {
          this.log("gradiorec: ignored a frame from the backend that is not a message");
          return;
        }
        // Handled one at a time, in order (the handshake awaits WebCrypto).
        inbox = inbox.then(() => this.receive(c, msg, { install, code, secret })).catch((err) => {
          this.log("gradiorec: handling a backend message:", String(err && err.message));
        });
      };
      // After the messages that came before it.
      ws.onclose = (ev) => {
        inbox = inbox.then(() => this.closed(c, ev));
      };
      ws.onerror = () => {}; // a close follows
    });
  }

  async receive(c, msg, { install, code, secret }) {
    if (this.conn !== c) return;
    if (c.phase === "challenge") {
      if (msg.t === "error") return this.refused(c, msg);
      let out;
      try {
        out = await answer(msg, { install, browser: this.browser, secret, code });
      } catch (err) {
        return this.fail(c, "error", err.message, true);
      }
      if (this.conn !== c) return;
      c.hs = out;
      c.phase = "welcome";
      c.ws.send(JSON.stringify(out.message));
      return;
    }
    if (c.phase === "welcome") {
      if (msg.t === "error") return this.refused(c, msg);
      if (msg.t !== "welcome" || !(await checkWelcome(msg, c.hs))) {
        return this.fail(c, "error",
          `the program on port ${c.port} did not prove it is the gradiorec you paired with: check the port \`gradiorec serve\` shows${c.pairing ? "" : ", or pair again"}`, true);
      }
      if (this.conn !== c) return;
      if (c.pairing) {
        const all = await this.secrets();
        all[String(c.port)] = base64url(c.hs.secret);
        await this.storage.set({ secrets: all });
      }
      c.phase = "open";
      c.settled = true;
      this.backoff = BACKOFF_MIN;
      const server = typeof msg.server === "string" ? msg.server.slice(0, 200) : "gradiorec";
      this.setState({ connection: "paired", port: c.port, paired: true, server, message: "" });
      c.resolve({ server, port: c.port });
      return;
    }
    switch (msg.t) {
      case "ping":
        this.send({ t: "pong" });
        return;
      case "reply": {
        const p = this.pending.get(msg.req);
        if (!p) return;
        this.pending.delete(msg.req);
        this.clearTimeout(p.timer);
        if (msg.ok === true) p.resolve(msg.result);
        else p.reject(new Error(typeof msg.error === "string" && msg.error !== "" ? msg.error : "gradiorec could not do that; see its output"));
        return;
      }
      default:
        this.deliver(msg);
    }
  }

  /** refused handles the backend's error during the handshake. */
  async refused(c, msg) {
    if (this.conn !== c) return;
    const code = typeof msg.code === "string" ? msg.code : "";
    const text = typeof msg.message === "string" && msg.message !== "" ? msg.message.slice(0, 1000) : `gradiorec refused the connection (${code || "no reason given"})`;
    if (!c.pairing && (code === "unpaired" || code === "bad-proof")) {
      // The backend no longer knows the secret: forget it. (A pairing
      // attempt keeps an earlier secret: no code may simply be open.)
      await this.forget(c.port);
      const again = /pair/i.test(text) ? text : `${text}: pair again with the code \`gradiorec serve\` shows`;
      return this.fail(c, "not paired", again, true);
    }
    if (c.pairing) {
      return this.fail(c, (await this.hasSecret(c.port)) ? "error" : "not paired", text, true);
    }
    return this.fail(c, "error", text, true);
  }

  /**
   * fail ends an attempt that retrying alone cannot mend: it stops
   * reconnecting until the user pairs or connects again.
   */
  fail(c, connection, message, close = false) {
    if (this.conn !== c) return;
    if (close) this.close("failed");
    else this.conn = null;
    this.port = null;
    this.cancelRetry();
    const paired = connection === "not paired" ? false : this.state.paired;
    this.setState({ connection, port: c.port, paired, message });
    if (!c.settled) {
      c.settled = true;
      c.reject(new Error(message));
    }
  }

  /** closed handles the end of the socket when we did not close it. */
  closed(c, ev) {
    if (c.closed || this.conn !== c) return;
    this.conn = null;
    c.closed = "lost";
    const wasOpen = c.phase === "open";
    this.endOpen(c, "lost", ev && Number.isInteger(ev.code) ? ev.code : 1006);
    let message;
    if (wasOpen) {
      message = `the connection to gradiorec on port ${c.port} closed${ev && ev.reason ? ` (${String(ev.reason).slice(0, 200)})` : ""}`;
    } else if (c.phase === "challenge") {
      message = `gradiorec is not answering on port ${c.port}: run \`gradiorec serve\` and check the port it shows`;
    } else {
      message = `gradiorec on port ${c.port} closed the connection during the handshake: check its output`;
    }
    if (!c.settled) {
      c.settled = true;
      c.reject(new Error(message));
    }
    // A pairing code is used once: a pairing that did not finish is not
    // retried. Otherwise reconnect while the port is configured.
    if (this.port !== c.port || (c.pairing && !wasOpen)) {
      if (c.pairing && !wasOpen) this.port = null;
      this.setState({ connection: c.pairing && !wasOpen ? "error" : "disconnected", message });
      return;
    }
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX);
    this.setState({ connection: "disconnected", message: `${message}; trying again in ${Math.round(wait / 1000)} s` });
    this.retry = this.setTimeout(() => {
      this.retry = null;
      if (this.port === c.port && this.conn === null) this.connect(c.port).catch(() => {});
    }, wait);
  }

  /**
   * endOpen fails the requests of a connection that ends and tells the
   * listeners: why is "lost" (then code is the close status: 1001 when
   * gradiorec shut down), else our own reason for closing.
   */
  endOpen(c, why, code = 1000) {
    if (c.phase !== "open") return;
    c.phase = "closed";
    for (const [req, p] of this.pending) {
      this.clearTimeout(p.timer);
      p.reject(new Error(`the connection to gradiorec closed before it answered: ${why === "lost" ? "check that `gradiorec serve` still runs" : "connect again"}`));
      this.pending.delete(req);
    }
    this.deliver({ t: "closed", port: c.port, reason: why, code });
  }

  /** connected reports whether messages can be sent now. */
  connected() {
    const c = this.conn;
    return !!c && c.phase === "open" && c.ws.readyState === OPEN;
  }

  /**
   * send sends one message after the handshake; it returns false when there
   * is no connection, or when the message is too big for gradiorec even
   * after shrink(msg) (which may return a smaller message, or null).
   */
  send(msg, shrink) {
    if (!this.connected()) return false;
    let data = JSON.stringify(msg);
    if (data.length > MAX_SEND && shrink) {
      const smaller = shrink(msg);
      if (smaller) {
        this.log(`gradiorec: a "${msg.t}" message of ${data.length} characters is too big for gradiorec: sent without its body`);
        data = JSON.stringify(smaller);
      }
    }
    if (data.length > MAX_SEND) {
      this.log(`gradiorec: dropped a "${msg.t}" message too big for gradiorec (${data.length} characters)`);
      return false;
    }
    this.conn.ws.send(data);
    return true;
  }

  /** request sends a request and resolves with the backend's result. */
  request(t, fields = {}) {
    if (!this.connected()) {
      return Promise.reject(new Error("not connected to gradiorec: run `gradiorec serve` and pair or connect"));
    }
    const req = this.nextReq++;
    return new Promise((resolve, reject) => {
      const timer = this.setTimeout(() => {
        this.pending.delete(req);
        reject(new Error(`gradiorec did not answer "${t}" within ${REQUEST_TIMEOUT / 1000} s: check its output`));
      }, REQUEST_TIMEOUT);
      this.pending.set(req, { resolve, reject, timer });
      this.send({ ...fields, t, req });
    });
  }
}

function validPort(port) {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}
