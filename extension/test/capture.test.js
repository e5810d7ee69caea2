// capture.js with a fake chrome.debugger: the order of events per request,
// the commands it issues and the messages it emits (recorder/cdp.go's rules).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Capture, NETWORK_BUFFERS, AUTO_ATTACH } from "../lib/capture.js";

const b64 = (s) => Buffer.from(s).toString("base64");

// fake is a debugger whose commands stay pending until the test answers them.
function fake() {
  const calls = [];
  const out = [];
  let clock = 1000;
  const send = (target, method, params) => {
    let resolve, reject;
    const p = new Promise((res, rej) => { resolve = res; reject = rej; });
    calls.push({ target, method, params, resolve, reject, settled: false });
    return p;
  };
  const c = new Capture({ tabId: 7, rec: "r1", send, emit: (m) => out.push(m), now: () => clock++ });
  // answer settles the first pending command of method and lets the
  // capture's continuations run.
  const answer = async (method, result, error) => {
    const call = calls.find((x) => x.method === method && !x.settled);
    assert.ok(call, `no pending ${method}`);
    call.settled = true;
    if (error) call.reject(new Error(error));
    else call.resolve(result);
    await new Promise((r) => setImmediate(r));
  };
  const pending = (method) => calls.filter((x) => x.method === method && !x.settled);
  const ev = (method, params, sessionId) => c.handle(sessionId ? { tabId: 7, sessionId } : { tabId: 7 }, method, params);
  return { c, calls, out, answer, pending, ev };
}

const root = "http://127.0.0.1:7860/gradio_api";
const join = (id, extra = {}) => ({ requestId: id, request: { method: "POST", url: `${root}/queue/join`, headers: { "Content-Type": "application/json" }, ...extra } });

test("start enables the tab's domains in order, with cdp.go's buffers", async () => {
  const { c, calls, answer } = fake();
  const started = c.start();
  for (const m of ["Network.enable", "Page.enable", "Runtime.enable", "Target.setAutoAttach"]) {
    await answer(m, {});
  }
  await started;
  assert.deepEqual(calls.map((x) => [x.target, x.method, x.params]), [
    [{ tabId: 7 }, "Network.enable", { maxTotalBufferSize: 512 << 20, maxResourceBufferSize: 128 << 20, maxPostDataSize: 64 << 20 }],
    [{ tabId: 7 }, "Page.enable", {}],
    [{ tabId: 7 }, "Runtime.enable", {}],
    [{ tabId: 7 }, "Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }],
  ]);
  assert.deepEqual(NETWORK_BUFFERS, calls[0].params);
  assert.deepEqual(AUTO_ATTACH, calls[3].params);
});

test("a join: inline body, headers, then the response body asked at loadingFinished", async () => {
  const { out, ev, answer, pending } = fake();
  ev("Network.requestWillBeSent", join("1", {
    urlFragment: "#x", hasPostData: true,
    postDataEntries: [{ bytes: b64('{"data":["h') }, {}, { bytes: b64('é"]}') }],
    headers: { "Content-Type": "application/json", "X-N": 3 },
  }));
  ev("Network.responseReceived", { requestId: "1", response: { status: 200, headers: { a: "b" }, mimeType: "application/json" } });
  ev("Network.loadingFinished", { requestId: "1" });
  assert.equal(pending("Network.getRequestPostData").length, 0, "the body was inline");
  assert.deepEqual(pending("Network.getResponseBody").map((x) => [x.target, x.params]), [[{ tabId: 7 }, { requestId: "1" }]]);
  assert.deepEqual(out, [
    { t: "requestSent", rec: "r1", id: ":1", ts: 1000, method: "POST", url: `${root}/queue/join#x`,
      headers: { "Content-Type": "application/json", "X-N": "3" }, body: b64('{"data":["hé"]}') },
    { t: "responseReceived", rec: "r1", id: ":1", ts: 1001, status: 200, headers: { a: "b" }, mime: "application/json" },
  ]);
  await answer("Network.getResponseBody", { body: '{"event_id":"é"}', base64Encoded: false });
  assert.deepEqual(out[2], { t: "loadingFinished", rec: "r1", id: ":1", ts: 1002, body: b64('{"event_id":"é"}') });
});

test("an upload: its events wait while its body is asked for", async () => {
  const { out, ev, answer, pending } = fake();
  const url = `${root}/upload?upload_id=u`;
  ev("Network.requestWillBeSent", { requestId: "2", request: { method: "POST", url, headers: {}, hasPostData: true } });
  ev("Network.responseReceived", { requestId: "2", response: { status: 200, headers: {}, mimeType: "application/json" } });
  ev("Network.loadingFinished", { requestId: "2" });
  assert.deepEqual(out, [], "nothing before the request's body");
  assert.equal(pending("Network.getResponseBody").length, 0);
  const bytes = Buffer.from([0, 1, 2, 255, 254, 10]);
  await answer("Network.getRequestPostData", { postData: bytes.toString("base64"), base64Encoded: true });
  assert.deepEqual(out.map((m) => m.t), ["requestSent", "responseReceived"]);
  assert.equal(out[0].body, bytes.toString("base64"));
  assert.equal(out[0].ts, 1000, "ts is when the event arrived");
  assert.equal(out[1].ts, 1001);
  await answer("Network.getResponseBody", { body: b64('["/tmp/x"]'), base64Encoded: true });
  assert.deepEqual(out[2], { t: "loadingFinished", rec: "r1", id: ":2", ts: 1002, body: b64('["/tmp/x"]') });
});

test("a body that cannot be read is null, and the request goes on", async () => {
  const { out, ev, answer } = fake();
  ev("Network.requestWillBeSent", { requestId: "3", request: { method: "POST", url: `${root}/upload`, headers: {}, hasPostData: true, postDataEntries: [{}] } });
  await answer("Network.getRequestPostData", null, "No post data available for the request");
  ev("Network.loadingFinished", { requestId: "3" });
  await answer("Network.getResponseBody", null, "No resource with given identifier found");
  assert.deepEqual(out.map((m) => [m.t, m.body]), [["requestSent", null], ["loadingFinished", null]]);
});

test("the event stream: streamed once at a time, retried at the response, buffered data first", async () => {
  const { out, ev, answer, pending } = fake();
  const url = `${root}/queue/data?session_hash=s`;
  ev("Network.requestWillBeSent", { requestId: "4", request: { method: "GET", url, headers: {} } });
  assert.equal(pending("Network.streamResourceContent").length, 1);
  ev("Network.responseReceived", { requestId: "4", response: { status: 200, headers: {}, mimeType: "text/event-stream" } });
  ev("Network.dataReceived", { requestId: "4", data: b64("data: 2\n\n"), dataLength: 9 });
  assert.equal(pending("Network.streamResourceContent").length, 1, "no second call while the first is pending");
  assert.deepEqual(out.map((m) => m.t), ["requestSent"]);
  await answer("Network.streamResourceContent", null, "Request not found"); // too early
  assert.equal(pending("Network.streamResourceContent").length, 1, "asked again at the response");
  assert.deepEqual(out.map((m) => m.t), ["requestSent", "responseReceived"]);
  await answer("Network.streamResourceContent", { bufferedData: b64("data: 1\n\n") });
  ev("Network.dataReceived", { requestId: "4", data: "", dataLength: 3 }); // no bytes: nothing
  ev("Network.loadingFinished", { requestId: "4" });
  assert.deepEqual(out.slice(1), [
    { t: "responseReceived", rec: "r1", id: ":4", ts: 1001, status: 200, headers: {}, mime: "text/event-stream" },
    { t: "dataReceived", rec: "r1", id: ":4", ts: 1001, data: b64("data: 1\n\n") },
    { t: "dataReceived", rec: "r1", id: ":4", ts: 1002, data: b64("data: 2\n\n") },
    { t: "loadingFinished", rec: "r1", id: ":4", ts: 1004, body: null },
  ]);
  assert.equal(pending("Network.getResponseBody").length, 0, "a streamed body is not asked for");
});

test("a stream streamed from the request is not asked for again", async () => {
  const { out, ev, answer, calls } = fake();
  ev("Network.requestWillBeSent", { requestId: "5", request: { method: "GET", url: `${root}/queue/data?session_hash=s`, headers: {} } });
  await answer("Network.streamResourceContent", { bufferedData: "" });
  ev("Network.responseReceived", { requestId: "5", response: { status: 200, headers: {}, mimeType: "text/event-stream" } });
  ev("Network.dataReceived", { requestId: "5", data: b64("data: x\n\n") });
  assert.equal(calls.filter((x) => x.method === "Network.streamResourceContent").length, 1);
  assert.deepEqual(out.map((m) => m.t), ["requestSent", "responseReceived", "dataReceived"]);
});

test("a streamed body that is not an event stream is sent whole at the end", async () => {
  const { out, ev, answer } = fake();
  ev("Network.requestWillBeSent", { requestId: "6", request: { method: "GET", url: `${root}/queue/data?session_hash=s`, headers: {} } });
  await answer("Network.streamResourceContent", {});
  ev("Network.responseReceived", { requestId: "6", response: { status: 404, headers: {}, mimeType: "application/json" } });
  ev("Network.dataReceived", { requestId: "6", data: b64('{"detail":') });
  ev("Network.dataReceived", { requestId: "6", data: b64('"Session not found."}') });
  ev("Network.loadingFinished", { requestId: "6" });
  assert.deepEqual(out.map((m) => m.t), ["requestSent", "responseReceived", "loadingFinished"]);
  assert.equal(out[2].body, b64('{"detail":"Session not found."}'));
});

test("requests interleave: one waiting on a command does not hold back another", async () => {
  const { out, ev, answer } = fake();
  ev("Network.requestWillBeSent", { requestId: "a", request: { method: "POST", url: `${root}/upload`, headers: {}, hasPostData: true } });
  ev("Network.requestWillBeSent", join("b"));
  ev("Network.loadingFailed", { requestId: "a", errorText: "net::ERR_ABORTED", canceled: true });
  ev("Network.loadingFailed", { requestId: "b", errorText: "net::ERR_CONNECTION_RESET" });
  assert.deepEqual(out.map((m) => [m.t, m.id]), [["requestSent", ":b"], ["loadingFailed", ":b"]]);
  assert.equal(out[1].canceled, false);
  await answer("Network.getRequestPostData", { postData: "x" });
  assert.deepEqual(out.slice(2).map((m) => [m.t, m.id, m.error, m.canceled]), [
    ["requestSent", ":a", undefined, undefined],
    ["loadingFailed", ":a", "net::ERR_ABORTED", true],
  ]);
  assert.equal(out[2].body, b64("x"), "text post data is sent as base64");
});

test("only the requests the backend uses; redirects are skipped", () => {
  const { out, ev, calls } = fake();
  ev("Network.requestWillBeSent", { requestId: "c", request: { method: "GET", url: `${root}/info?all_endpoints=true`, headers: {} } });
  ev("Network.responseReceived", { requestId: "c", response: { status: 200, headers: {}, mimeType: "application/json" } });
  ev("Network.loadingFinished", { requestId: "c" });
  ev("Network.requestWillBeSent", { ...join("d"), redirectResponse: { status: 307 } });
  ev("Network.requestWillBeSent", { requestId: "e", request: { method: "POST", url: "ws://h/queue/join", headers: {} } });
  ev("Network.requestWillBeSent", { requestId: "f" });
  ev("Network.requestWillBeSent", null);
  assert.deepEqual(out, []);
  assert.deepEqual(calls, []);
});

test("child targets: frames are watched like the tab and resumed; their ids carry the session", async () => {
  const { c, calls, out, ev, answer } = fake();
  ev("Target.attachedToTarget", { sessionId: "S1", targetInfo: { type: "iframe", url: "https://x.hf.space/" }, waitingForDebugger: true });
  ev("Target.attachedToTarget", { sessionId: "S2", targetInfo: { type: "service_worker" }, waitingForDebugger: true });
  for (const m of ["Network.enable", "Page.enable", "Runtime.enable", "Target.setAutoAttach"]) await answer(m, {});
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls.map((x) => [x.target.sessionId, x.method]), [
    ["S1", "Network.enable"],
    ["S2", "Runtime.runIfWaitingForDebugger"],
    ["S1", "Page.enable"],
    ["S1", "Runtime.enable"],
    ["S1", "Target.setAutoAttach"],
    ["S1", "Runtime.runIfWaitingForDebugger"],
  ]);
  assert.deepEqual(calls[0].target, { tabId: 7, sessionId: "S1" });
  ev("Network.requestWillBeSent", join("1"), "S1");
  ev("Network.requestWillBeSent", join("1"));
  ev("Network.loadingFinished", { requestId: "1" }, "S1");
  assert.deepEqual(out.map((m) => m.id), ["S1:1", ":1"]);
  const body = calls.find((x) => x.method === "Network.getResponseBody");
  assert.deepEqual(body.target, { tabId: 7, sessionId: "S1" }, "the command runs in the request's session");
  c.stop();
});

test("a frame that refuses a domain is still resumed", async () => {
  const logs = [];
  const calls = [];
  const c = new Capture({
    tabId: 1, rec: "r", emit: () => {}, log: (...a) => logs.push(a.join(" ")),
    send: (target, method) => {
      calls.push(method);
      if (method === "Page.enable") throw new Error("'Page.enable' wasn't found");
      return Promise.resolve({});
    },
  });
  await c.child({ sessionId: "S", targetInfo: { type: "iframe" } });
  assert.deepEqual(calls, ["Network.enable", "Page.enable", "Runtime.runIfWaitingForDebugger"]);
  assert.match(logs[0], /could not watch a frame/);
});

test("after stop, events and command results are dropped", async () => {
  const { c, out, ev, answer } = fake();
  ev("Network.requestWillBeSent", join("1"));
  ev("Network.loadingFinished", { requestId: "1" });
  c.stop();
  await answer("Network.getResponseBody", { body: "x" });
  ev("Network.requestWillBeSent", join("2"));
  assert.deepEqual(out.map((m) => m.t), ["requestSent"]);
});
