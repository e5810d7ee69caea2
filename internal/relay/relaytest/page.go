package relaytest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// attackPage is a web page that tries the relay both ways, as any page
// could: a WebSocket that would start a recording, and a fetch.
const attackPage = `<!doctype html><title>hostile</title><script>
async function attack(wsURL, httpURL) {
  const out = {};
  out.ws = await new Promise((resolve) => {
    let ws;
    try { ws = new WebSocket(wsURL); } catch (e) { resolve("threw " + e); return; }
    ws.onopen = () => { ws.send('{"t":"start","rec":"page","tab":{"url":"http://127.0.0.1/"}}'); resolve("open"); };
    ws.onmessage = (e) => resolve("message " + e.data);
    ws.onerror = () => resolve("error");
    ws.onclose = (e) => resolve("close " + e.code);
  });
  try {
    const r = await fetch(httpURL);
    out.fetch = "status " + r.status + ": " + (await r.text());
  } catch (e) {
    out.fetch = "failed: " + e;
  }
  return out;
}
</script>`

// LoopbackPage serves a web page from loopback, as a local Gradio app is,
// loads it in tab (a chromedp context of a real browser) and has it try
// the relay at wsURL by WebSocket and by fetch. The test fails unless
// both are refused. It returns the page's origin, which the relay's log
// names when it refuses it.
func LoopbackPage(t testing.TB, tab context.Context, wsURL string) (origin string) {
	t.Helper()
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(attackPage))
	}))
	t.Cleanup(web.Close)
	if err := chromedp.Do(tab, chromedp.Navigate(web.URL)); err != nil {
		t.Fatal(err)
	}
	httpURL := "http" + strings.TrimPrefix(wsURL, "ws")
	type outcome struct{ WS, Fetch string }
	out, err := chromedp.Run(tab, chromedp.Evaluate[outcome](fmt.Sprintf("attack(%q, %q)", wsURL, httpURL), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the page's WebSocket: %s; its fetch: %s", out.WS, out.Fetch)
	if out.WS == "open" || strings.HasPrefix(out.WS, "message") {
		t.Errorf("the page's WebSocket to the relay: %s", out.WS)
	}
	if !strings.HasPrefix(out.Fetch, "failed") {
		t.Errorf("the page's fetch of the relay: %s", out.Fetch)
	}
	return web.URL
}
