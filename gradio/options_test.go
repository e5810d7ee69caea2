package gradio

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHeadersSent(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect(WithToken("hf_x"), WithHeader("X-Custom", "1"), WithHeader("User-Agent", "mine"))
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, h := range a.headers {
		if h.Get("X-Hf-Authorization") != "Bearer hf_x" || h.Get("X-Custom") != "1" || h.Get("User-Agent") != "mine" || h.Get("Authorization") != "" {
			t.Fatalf("request headers %v", h)
		}
	}
}

func TestWithHTTPClientIsCopied(t *testing.T) {
	a := newFakeApp(t)
	// hc.Timeout puts a deadline on each request's context (net/http does
	// so): the transport sees which requests it bounds. The event stream,
	// which lives as long as its jobs, must have none.
	deadlines := &deadlineTransport{next: http.DefaultTransport, seen: map[string]bool{}}
	hc := &http.Client{Timeout: time.Hour, Transport: deadlines}
	c := a.connect(WithHTTPClient(hc))
	if hc.Jar != nil {
		t.Error("the caller's client was modified")
	}
	if res, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil || res.Value() != 3.0 {
		t.Fatalf("Predict = %v, %v", res, err)
	}
	deadlines.mu.Lock()
	defer deadlines.mu.Unlock()
	if bounded, ok := deadlines.seen["/config"]; !ok || !bounded {
		t.Errorf("GET /config: seen %v, bounded by hc.Timeout %v; want bounded (the client uses hc)", ok, bounded)
	}
	if bounded, ok := deadlines.seen["/queue/data"]; !ok || bounded {
		t.Errorf("the event stream: seen %v, bounded by hc.Timeout %v; want seen and not bounded", ok, bounded)
	}
}

// deadlineTransport notes, per path, whether a request's context had a
// deadline.
type deadlineTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen map[string]bool
}

func (d *deadlineTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	_, bounded := r.Context().Deadline()
	d.mu.Lock()
	d.seen[strings.TrimPrefix(r.URL.Path, "/gradio_api")] = bounded
	d.mu.Unlock()
	return d.next.RoundTrip(r)
}

func TestWithJSONNumber(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(ev *fakeEvent) {
		ev.emit(map[string]any{"msg": "process_completed", "success": true, "output": map[string]any{"data": []any{json.RawMessage("18446744073709551615"), json.RawMessage("3.0")}}})
	}
	c := a.connect(WithJSONNumber())
	res, err := c.Predict(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Data[0] != json.Number("18446744073709551615") {
		t.Errorf("Data = %#v", res.Data)
	}
	plain := a.connect()
	res, err = plain.Predict(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Data[0].(float64); !ok {
		t.Errorf("default decoding gave %T", res.Data[0])
	}
}
