package gradio

import (
	"encoding/json"
	"net/http"
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
	// The timeout is generous so Connect itself passes on a loaded machine;
	// the job then outlives it.
	hc := &http.Client{Timeout: 2 * time.Second}
	slow := make(chan struct{})
	a.fns[0] = func(ev *fakeEvent) { <-slow; ev.complete(3.0) }
	c := a.connect(WithHTTPClient(hc))
	if hc.Jar != nil {
		t.Error("the caller's client was modified")
	}
	j, err := c.Submit(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond) // longer than hc.Timeout: the stream must survive
	close(slow)
	if res, err := j.Result(testCtx(t)); err != nil || res.Value() != 3.0 {
		t.Errorf("Result = %v, %v", res, err)
	}
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
