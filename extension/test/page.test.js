// page.js: the probe run against a fake page (a fake clock, no real waits),
// the checks on what a page answers, and the watcher's context tracking.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PROBE, PageWatcher, appRoot, parsePage, probe, MAX_PROBE } from "../lib/page.js";

const limits = { total: 30000, settle: 2000, every: 100, fetch: 15000 };

// page is a fake frame: its clock moves only when the probe waits a poll
// interval; tick(t) may change the page at each step.
function page({ href, config, readyState = "complete", app = false, routes = {}, tick = () => {} }) {
  let t = 0;
  const fetched = [];
  const g = {
    Date: { now: () => t },
    URL,
    AbortController,
    setTimeout(fn, ms) {
      if (ms === limits.fetch) return 0; // the fetch timeout never fires here
      t += ms;
      tick(g, t);
      queueMicrotask(fn);
      return 0;
    },
    clearTimeout() {},
    location: { href },
    gradio_config: config,
    document: {
      readyState,
      querySelector: (sel) => (sel === "gradio-app, .gradio-container" && g.app ? {} : null),
    },
    app,
    async fetch(url, opts) {
      fetched.push([url, opts.credentials]);
      if (!(url in routes)) return { ok: false, json: async () => ({}) };
      const body = routes[url];
      if (body instanceof Error) throw body;
      return { ok: true, json: async () => body };
    },
  };
  return { g, fetched, time: () => t };
}

const cfg = { version: "6.31.0", api_prefix: "/gradio_api", root: "", components: [] };
const info = { named_endpoints: { "/predict": {} } };

test("the probe returns the config and /info of a Gradio page", async () => {
  const p = page({
    href: "http://127.0.0.1:7860/?__theme=dark#tab",
    config: cfg,
    routes: { "http://127.0.0.1:7860/gradio_api/info?all_endpoints=true": info },
  });
  const out = JSON.parse(await probe(p.g, limits));
  assert.deepEqual(out, { url: "http://127.0.0.1:7860/?__theme=dark#tab", config: cfg, info });
  assert.deepEqual(p.fetched, [["http://127.0.0.1:7860/gradio_api/info?all_endpoints=true", "include"]]);
  assert.equal(p.time(), 0, "no wait when the config is there");
});

test("the probe waits for the config while the page loads", async () => {
  const p = page({
    href: "http://h/app/", config: undefined, readyState: "loading",
    tick: (g, t) => {
      if (t === 1500) g.document.readyState = "complete";
      if (t === 2500) g.gradio_config = { version: "4.44.1" };
    },
    routes: { "http://h/app/info?all_endpoints=true": info },
  });
  const out = JSON.parse(await probe(p.g, limits));
  assert.equal(out.config.version, "4.44.1");
  assert.deepEqual(out.info, info, "Gradio 4: no api prefix");
  assert.equal(p.time(), 2500);
});

test("a page that is clearly no Gradio app gives up soon after it loaded", async () => {
  const p = page({ href: "https://example.com/", config: undefined });
  assert.equal(await probe(p.g, limits), "");
  assert.equal(p.time(), 2000);
  assert.deepEqual(p.fetched, [], "nothing fetched for a foreign page");
  assert.equal(await probe(page({ href: "about:blank", config: { version: "x" } }).g, limits), "");
  assert.equal(await probe(page({ href: "chrome-error://chromewebdata/", config: { version: "x" } }).g, limits), "");
});

test("a page still loading after 30 s is given up", async () => {
  const p = page({ href: "https://example.com/", config: undefined, readyState: "interactive" });
  assert.equal(await probe(p.g, limits), "");
  assert.equal(p.time(), 30000);
});

test("server-side rendering: a Gradio element and no config reads /config", async () => {
  const p = page({
    href: "https://x.hf.space/?logs=container", config: undefined, app: true,
    routes: {
      "https://x.hf.space/config": { ...cfg, root: "https://x.hf.space/" },
      "https://x.hf.space/gradio_api/info?all_endpoints=true": info,
    },
  });
  const out = JSON.parse(await probe(p.g, limits));
  assert.equal(out.config.root, "https://x.hf.space/");
  assert.deepEqual(out.info, info);
  assert.deepEqual(p.fetched.map((f) => f[0]), ["https://x.hf.space/config", "https://x.hf.space/gradio_api/info?all_endpoints=true"]);
});

test("a circular config is read from /config; a missing /info is null", async () => {
  const circular = { version: "5.49.1" };
  circular.self = circular;
  const p = page({ href: "http://h/", config: circular, routes: { "http://h/config": { version: "5.49.1", api_prefix: "/gradio_api" } } });
  const out = JSON.parse(await probe(p.g, limits));
  assert.deepEqual(out.config, { version: "5.49.1", api_prefix: "/gradio_api" });
  assert.equal(out.info, null);
  const gone = page({ href: "http://h/", config: circular, routes: { "http://h/config": new Error("network") } });
  assert.equal(await probe(gone.g, limits), "");
});

test("the config's absolute root decides where /info is", async () => {
  const p = page({
    href: "http://127.0.0.1:7860/", config: { ...cfg, root: "http://127.0.0.1:7860/mount//" },
    routes: { "http://127.0.0.1:7860/mount/gradio_api/info?all_endpoints=true": info },
  });
  assert.deepEqual(JSON.parse(await probe(p.g, limits)).info, info);
  const rel = page({ href: "http://h/sub/", config: { ...cfg, root: "/elsewhere" }, routes: { "http://h/sub/gradio_api/info?all_endpoints=true": info } });
  assert.deepEqual(JSON.parse(await probe(rel.g, limits)).info, info);
});

test("PROBE is one expression that runs the probe", () => {
  assert.doesNotThrow(() => new Function(`return ${PROBE};`));
  assert.match(PROBE, /^\(async function probe\(/);
});

test("appRoot mirrors recorder's appRoot", () => {
  assert.equal(appRoot("http://h:1/a/?q=1#f", ""), "http://h:1/a");
  assert.equal(appRoot("http://h/", "https://x.hf.space//"), "https://x.hf.space");
  assert.equal(appRoot("http://h/p", "/p"), "http://h/p");
  assert.equal(appRoot("http://h/p", "ftp://x"), "http://h/p");
});

test("parsePage takes only a well-formed answer for the frame's own origin", () => {
  const ok = (v) => ({ result: { type: "string", value: JSON.stringify(v) } });
  const good = { url: "https://x.hf.space/?a=1", config: { root: "https://x.hf.space" }, info };
  assert.deepEqual(parsePage(ok(good), "https://x.hf.space"), {
    url: "https://x.hf.space/?a=1", config: good.config, info, cookieURL: "https://x.hf.space",
  });
  // A root on another site: cookies are read for the page's own root.
  assert.equal(parsePage(ok({ ...good, config: { root: "https://bank.example/" } }), "https://x.hf.space").cookieURL, "https://x.hf.space");
  assert.equal(parsePage(ok({ ...good, info: [1] }), "https://x.hf.space").info, null);
  for (const [res, origin] of [
    [ok({ ...good, url: "https://bank.example/" }), "https://x.hf.space"], // another origin than the frame's
    [ok({ ...good, url: "javascript:alert(1)" }), ""],
    [ok({ ...good, config: [1] }), "https://x.hf.space"],
    [ok({ ...good, config: null }), "https://x.hf.space"],
    [ok("string"), "https://x.hf.space"],
    [{ result: { type: "string", value: "" } }, "https://x.hf.space"],
    [{ result: { type: "string", value: "{" } }, "https://x.hf.space"],
    [{ result: { type: "number", value: 3 } }, "https://x.hf.space"],
    [{ result: { type: "string", value: " ".repeat(MAX_PROBE + 1) } }, "https://x.hf.space"],
    [{ exceptionDetails: {}, result: { type: "string", value: JSON.stringify(good) } }, "https://x.hf.space"],
    [undefined, "https://x.hf.space"],
  ]) {
    assert.equal(parsePage(res, origin), null, String(JSON.stringify(res)).slice(0, 80));
  }
});

// watcher is a PageWatcher whose evaluations stay pending until answered.
function watcher() {
  const calls = [];
  const out = [];
  const send = (target, method, params) => new Promise((resolve, reject) => calls.push({ target, method, params, resolve, reject }));
  const w = new PageWatcher({ tabId: 3, rec: "r", send, emit: (m) => out.push(m) });
  const flush = () => new Promise((r) => setImmediate(r));
  const ctx = (id, extra = {}) => ({ context: { id, origin: "http://h", auxData: { isDefault: true, frameId: "F" }, ...extra } });
  return { w, calls, out, flush, ctx };
}

const answer = (url) => ({ result: { type: "string", value: JSON.stringify({ url, config: { version: "6" }, info }) } });

test("the watcher probes each default context and sends each page once", async () => {
  const { w, calls, out, flush, ctx } = watcher();
  w.handle({ tabId: 3 }, "Runtime.executionContextCreated", ctx(1));
  w.handle({ tabId: 3 }, "Runtime.executionContextCreated", { context: { id: 2, origin: "http://h", auxData: { isDefault: false } } });
  w.handle({ tabId: 3, sessionId: "S" }, "Runtime.executionContextCreated", ctx(1, { origin: "http://h" }));
  assert.deepEqual(calls.map((c) => [c.target, c.method, c.params.contextId]), [
    [{ tabId: 3 }, "Runtime.evaluate", 1],
    [{ tabId: 3, sessionId: "S" }, "Runtime.evaluate", 1],
  ]);
  assert.equal(calls[0].params.expression, PROBE);
  assert.equal(calls[0].params.awaitPromise, true);
  assert.equal(calls[0].params.returnByValue, true);
  // The load event does not start a second probe of a context being probed.
  w.handle({ tabId: 3 }, "Page.loadEventFired", {});
  assert.equal(calls.length, 2);

  calls[0].resolve(answer("http://h/"));
  await flush();
  assert.deepEqual(calls[2].method, "Network.getCookies");
  assert.deepEqual(calls[2].params, { urls: ["http://h"] });
  calls[2].resolve({ cookies: [{ name: "access-token", value: "v", domain: "h", httpOnly: true }, { name: 1 }] });
  await flush();
  assert.deepEqual(out, [{
    t: "page", rec: "r", url: "http://h/", config: { version: "6" }, info,
    cookies: [{ name: "access-token", value: "v" }],
  }]);
  // Another frame (document) with the app is another page message.
  calls[1].resolve(answer("http://h/"));
  await flush();
  assert.equal(calls[3].method, "Network.getCookies");
  calls[3].resolve({ cookies: [] });
  await flush();
  assert.equal(out.length, 2);

  // A load re-probes the session's contexts, but a document is sent once;
  // destroyed and cleared contexts are forgotten.
  w.handle({ tabId: 3 }, "Page.loadEventFired", {});
  assert.equal(calls.length, 5);
  calls[4].resolve(answer("http://h/"));
  await flush();
  assert.equal(out.length, 2, "the same document was sent again");
  assert.equal(calls.length, 5, "no cookies asked for a document already sent");
  w.handle({ tabId: 3 }, "Runtime.executionContextDestroyed", { executionContextId: 1 });
  w.handle({ tabId: 3 }, "Page.loadEventFired", {});
  assert.equal(calls.length, 5);
  w.handle({ tabId: 3, sessionId: "S" }, "Runtime.executionContextsCleared", {});
  w.handle({ tabId: 3, sessionId: "S" }, "Page.loadEventFired", {});
  assert.equal(calls.length, 5);

  // A reload (the page after a login) is a new document: sent again.
  w.handle({ tabId: 3 }, "Runtime.executionContextCreated", ctx(7));
  calls[5].resolve(answer("http://h/"));
  await flush();
  calls[6].resolve({ cookies: [] });
  await flush();
  assert.equal(out.length, 3);
});

test("a failed evaluation or cookie read, and stop", async () => {
  const { w, calls, out, flush, ctx } = watcher();
  w.handle({ tabId: 3 }, "Runtime.executionContextCreated", ctx(1));
  calls[0].reject(new Error("Execution context was destroyed."));
  await flush();
  w.handle({ tabId: 3 }, "Runtime.executionContextCreated", ctx(2));
  calls[1].resolve(answer("http://h/a"));
  await flush();
  calls[2].reject(new Error("no"));
  await flush();
  assert.deepEqual(out.map((m) => [m.url, m.cookies]), [["http://h/a", []]]);
  w.handle({ tabId: 3 }, "Runtime.executionContextCreated", ctx(3));
  w.stop();
  calls[3].resolve(answer("http://h/b"));
  await flush();
  assert.equal(out.length, 1);
});
