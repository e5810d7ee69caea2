// The capture of one tab: the DevTools Network events of the tab and of its
// child targets (out-of-process iframes, such as a Space's *.hf.space frame)
// turned into the messages of docs/extension-protocol.md. It mirrors
// recorder/cdp.go: only requests that classify() accepts; the events of one
// request are handled in order and wait while a DevTools command for that
// request runs (the body of an upload, streaming the queue's event stream, a
// response body), so that they reach the backend in order; and a request
// never has two commands at once (two overlapping
// Network.streamResourceContent calls duplicate bytes).
//
// It knows nothing of chrome.*: it is given send(target, method, params),
// which runs a DevTools command (chrome.debugger.sendCommand), and
// emit(message), and is fed the debugger's events.

import { classify } from "./classify.js";
import { base64, fromBase64 } from "./protocol.js";

/** NETWORK_BUFFERS are Network.enable's buffers, as cdp.go sets them, so that bodies stay available. */
export const NETWORK_BUFFERS = Object.freeze({
  maxTotalBufferSize: 512 * 1024 * 1024,
  maxResourceBufferSize: 128 * 1024 * 1024,
  maxPostDataSize: 64 * 1024 * 1024,
});

/** AUTO_ATTACH makes child targets (iframes in other processes, workers) wait for us. */
export const AUTO_ATTACH = Object.freeze({ autoAttach: true, waitForDebuggerOnStart: true, flatten: true });

const networkEvents = new Set([
  "Network.requestWillBeSent",
  "Network.responseReceived",
  "Network.dataReceived",
  "Network.loadingFinished",
  "Network.loadingFailed",
]);

const utf8 = new TextEncoder();

/** bodyOf is a DevTools body ({body|postData, base64Encoded}) as standard base64. */
function bodyOf(text, base64Encoded) {
  if (typeof text !== "string") return null;
  return base64Encoded ? text : base64(utf8.encode(text));
}

function concat(chunks) {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** flatHeaders flattens DevTools headers to name → string. */
export function flatHeaders(h) {
  const out = {};
  if (h && typeof h === "object") {
    for (const [k, v] of Object.entries(h)) out[k] = typeof v === "string" ? v : String(v);
  }
  return out;
}

/**
 * Capture follows the Gradio requests of one tab and emits them as
 * requestSent, responseReceived, dataReceived, loadingFinished and
 * loadingFailed messages of recording rec.
 */
export class Capture {
  /**
   * @param {{tabId: number, rec: string,
   *   send: (target: {tabId: number, sessionId?: string}, method: string, params?: object) => Promise<any>,
   *   emit: (message: object) => void, now?: () => number, log?: (...args: any[]) => void}} o
   */
  constructor({ tabId, rec, send, emit, now = Date.now, log = () => {} }) {
    this.tabId = tabId;
    this.rec = rec;
    // send never throws: a command that cannot start is a rejected one.
    this.send = (target, method, params) => {
      try {
        return Promise.resolve(send(target, method, params));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    this.emit = emit;
    this.now = now;
    this.log = log;
    this.stopped = false;
    /** @type {Map<string, object>} requests by (sessionId||"") + ":" + requestId */
    this.reqs = new Map();
  }

  /** target is where commands for a session run. */
  target(sessionId) {
    return sessionId ? { tabId: this.tabId, sessionId } : { tabId: this.tabId };
  }

  /**
   * start enables the domains in the tab's own session; the tab must be
   * attached already. It rejects when the tab refuses.
   */
  async start() {
    await this.enable(this.target());
  }

  /** enable turns on what the capture and the page watcher need in one session. */
  async enable(target) {
    await this.send(target, "Network.enable", { ...NETWORK_BUFFERS });
    await this.send(target, "Page.enable", {});
    await this.send(target, "Runtime.enable", {});
    await this.send(target, "Target.setAutoAttach", { ...AUTO_ATTACH });
  }

  /** stop ends the capture: later events and command results are dropped. */
  stop() {
    this.stopped = true;
    this.reqs.clear();
  }

  /**
   * handle takes one debugger event (chrome.debugger.onEvent's arguments).
   * It never waits: the commands it needs run in the background.
   * @param {{tabId?: number, sessionId?: string}} source
   * @param {string} method
   * @param {any} params
   */
  handle(source, method, params) {
    if (this.stopped || !params || typeof params !== "object") return;
    const session = (source && source.sessionId) || "";
    if (method === "Target.attachedToTarget") {
      this.child(params);
      return;
    }
    if (method === "Target.detachedFromTarget") {
      // Its requests end with it; the backend marks them incomplete.
      const prefix = `${params.sessionId}:`;
      for (const k of [...this.reqs.keys()]) if (k.startsWith(prefix)) this.reqs.delete(k);
      return;
    }
    if (!networkEvents.has(method)) return;
    const it = { method, params, at: this.now() };
    const key = `${session}:${params.requestId}`;
    const r = this.route(key, session, it);
    if (!r) return;
    r.waiting.push(it);
    this.drain(key, r);
  }

  /**
   * child sets up a target Chromium attached us to and lets it run: an
   * iframe or page gets the same domains as the tab (and so its own
   * children), anything else just runs.
   */
  async child(params) {
    const sessionId = params.sessionId;
    if (typeof sessionId !== "string" || sessionId === "") return;
    const target = this.target(sessionId);
    const type = params.targetInfo && params.targetInfo.type;
    try {
      if (type === "iframe" || type === "page") await this.enable(target);
    } catch (err) {
      this.log("gradiorec: could not watch a frame of the tab:", String(err && err.message));
    } finally {
      // Always: a child that waits for the debugger would hang otherwise.
      if (!this.stopped) {
        this.send(target, "Runtime.runIfWaitingForDebugger", {}).catch(() => {});
      }
    }
  }

  /** route finds, or for a new request the backend uses creates, the request an event belongs to. */
  route(key, session, it) {
    const p = it.params;
    if (it.method !== "Network.requestWillBeSent") return this.reqs.get(key);
    if (p.redirectResponse || !p.request || typeof p.requestId !== "string") return undefined;
    const kind = classify(p.request.method, p.request.url);
    if (kind === "other") return undefined;
    const r = {
      session, kind, url: p.request.url,
      busy: false, waiting: [], streaming: false, stream: false, body: [],
    };
    this.reqs.set(key, r);
    return r;
  }

  /** drain handles a request's waiting events until one needs a command. */
  drain(key, r) {
    while (!this.stopped && !r.busy && r.waiting.length > 0) {
      this.step(key, r, r.waiting.shift());
    }
  }

  /** step turns one event into messages, starting a command when it needs one. */
  step(key, r, it) {
    const p = it.params;
    const base = { rec: this.rec, id: key, ts: it.at };
    const target = this.target(r.session);
    switch (it.method) {
      case "Network.requestWillBeSent": {
        const req = p.request;
        const sent = {
          t: "requestSent", ...base, method: req.method, url: req.url + (typeof req.urlFragment === "string" ? req.urlFragment : ""),
          headers: flatHeaders(req.headers), body: null,
        };
        const chunks = [];
        for (const e of Array.isArray(req.postDataEntries) ? req.postDataEntries : []) {
          if (e && typeof e.bytes === "string" && e.bytes !== "") chunks.push(fromBase64(e.bytes));
        }
        const body = concat(chunks);
        if (body.length > 0) sent.body = base64(body);
        if (req.hasPostData && body.length === 0) {
          // Uploaded files are not in the event: ask for the body.
          this.command(key, r, this.send(target, "Network.getRequestPostData", { requestId: p.requestId }), (res, err) => {
            if (err) this.log(`gradiorec: the body of ${sent.method} ${sent.url}:`, String(err.message || err));
            sent.body = res ? bodyOf(res.postData, res.base64Encoded) : null;
            this.emit(sent);
          });
          return;
        }
        this.emit(sent);
        if (r.kind === "data") {
          // Gradio reads the stream with fetch: only streaming gives its
          // bytes as they come. Asked for before the response, so that a
          // quick call's messages are not held back for another round trip.
          this.streamBody(key, r, p.requestId, it.at);
        }
        return;
      }
      case "Network.responseReceived": {
        const res = p.response || {};
        this.emit({
          t: "responseReceived", ...base, status: res.status, headers: flatHeaders(res.headers), mime: res.mimeType,
        });
        r.stream = res.mimeType === "text/event-stream";
        if (r.kind === "data" && r.stream && !r.streaming) {
          this.streamBody(key, r, p.requestId, it.at); // too early before: try again
        }
        return;
      }
      case "Network.dataReceived": {
        if (!r.streaming || typeof p.data !== "string" || p.data === "") return;
        if (r.stream) this.emit({ t: "dataReceived", ...base, data: p.data });
        else r.body.push(fromBase64(p.data));
        return;
      }
      case "Network.loadingFinished": {
        if (r.streaming) {
          this.reqs.delete(key);
          const body = concat(r.body);
          this.emit({ t: "loadingFinished", ...base, body: body.length > 0 ? base64(body) : null });
          return;
        }
        this.command(key, r, this.send(target, "Network.getResponseBody", { requestId: p.requestId }), (res, err) => {
          if (err) this.log(`gradiorec: the response body of ${r.url}:`, String(err.message || err));
          this.reqs.delete(key);
          this.emit({ t: "loadingFinished", ...base, body: res ? bodyOf(res.body, res.base64Encoded) : null });
        });
        return;
      }
      case "Network.loadingFailed": {
        this.reqs.delete(key);
        this.emit({ t: "loadingFailed", ...base, error: String(p.errorText ?? ""), canceled: p.canceled === true });
        return;
      }
    }
  }

  /**
   * streamBody asks Chromium to stream the request's body as dataReceived
   * events; data it held until then comes back in the answer. An error means
   * it is too early or too late: the response, or loadingFinished with the
   * whole body, tells.
   */
  streamBody(key, r, requestId, at) {
    const target = this.target(r.session);
    this.command(key, r, this.send(target, "Network.streamResourceContent", { requestId }), (res, err) => {
      if (err) return;
      r.streaming = true;
      if (res && typeof res.bufferedData === "string" && res.bufferedData !== "") {
        this.emit({ t: "dataReceived", rec: this.rec, id: key, ts: at, data: res.bufferedData });
      }
    });
  }

  /**
   * command marks the request busy until the command settles; then done runs,
   * before the request's next event.
   */
  command(key, r, pending, done) {
    r.busy = true;
    pending.then(
      (res) => this.settle(key, r, () => done(res, null)),
      (err) => this.settle(key, r, () => done(null, err || new Error("failed"))),
    );
  }

  settle(key, r, done) {
    // A stopped capture, or a request the page replaced under the same id: drop.
    if (this.stopped || this.reqs.get(key) !== r) return;
    r.busy = false;
    try {
      done();
    } finally {
      this.drain(key, r);
    }
  }
}
