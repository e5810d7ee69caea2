package recorder

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// testConfig is a small app whose dependency ids are not array positions:
// echo (State in and out), grow (a generator), mirror (files), length
// (outside the queue, missing from /info), a js-only listener and a
// Gradio 4 style cancel helper.
const testConfig = `{
 "version": "6.31.0", "api_prefix": "/gradio_api", "protocol": "sse_v3", "root": "http://app.test",
 "components": [
  {"id": 1, "type": "textbox", "props": {"label": "text"}, "skip_api": false},
  {"id": 2, "type": "textbox", "props": {"label": "out"}, "skip_api": false},
  {"id": 3, "type": "state", "props": {}, "skip_api": true},
  {"id": 4, "type": "image", "props": {"label": "image"}, "skip_api": false},
  {"id": 5, "type": "image", "props": {"label": "mirrored"}, "skip_api": false},
  {"id": 6, "type": "button", "props": {"value": "Go"}, "skip_api": true}
 ],
 "dependencies": [
  {"id": 0, "api_name": "echo", "api_visibility": "public", "backend_fn": true, "queue": true,
   "inputs": [1, 3], "outputs": [2, 3], "types": {"generator": false, "cancel": false}, "cancels": []},
  {"id": 1, "api_name": "grow", "api_visibility": "public", "backend_fn": true, "queue": true,
   "inputs": [1], "outputs": [2], "types": {"generator": true, "cancel": false}, "cancels": []},
  {"id": 4, "api_name": "mirror", "api_visibility": "public", "backend_fn": true, "queue": true,
   "inputs": [4], "outputs": [5], "types": {"generator": false, "cancel": false}, "cancels": []},
  {"id": 7, "api_name": "length", "api_visibility": "undocumented", "backend_fn": true, "queue": false,
   "inputs": [1], "outputs": [2], "types": {"generator": false, "cancel": false}, "cancels": []},
  {"id": 9, "api_name": "js_fn", "api_visibility": "private", "backend_fn": false, "queue": false,
   "inputs": [1], "outputs": [2], "types": {"generator": false, "cancel": false}, "cancels": []},
  {"id": 11, "api_name": false, "backend_fn": true, "queue": false,
   "inputs": [], "outputs": [], "types": {"generator": false, "cancel": true}, "cancels": [1]},
  {"id": 12, "api_name": "then_length", "backend_fn": true, "queue": true, "inputs": [2], "outputs": [2],
   "types": {"generator": false, "cancel": false}, "trigger_after": 7, "trigger_only_on_success": false},
  {"id": 13, "api_name": "js_then", "backend_fn": false, "queue": false, "inputs": [2], "outputs": [2],
   "types": {"generator": false, "cancel": false}, "trigger_after": 7, "trigger_only_on_success": true},
  {"id": 14, "api_name": "after_js", "backend_fn": true, "queue": true, "inputs": [2], "outputs": [2],
   "types": {"generator": false, "cancel": false}, "trigger_after": 13},
  {"id": 15, "api_name": "on_failure", "backend_fn": true, "queue": true, "inputs": [2], "outputs": [2],
   "types": {"generator": false, "cancel": false}, "trigger_after": 7, "trigger_only_on_failure": true}
 ]
}`

const testInfo = `{"named_endpoints": {
 "/echo": {"parameters": [{"label": "text", "parameter_name": "text", "parameter_has_default": true,
   "parameter_default": "hi", "type": {"type": "string"}, "python_type": {"type": "str"}, "component": "Textbox"}],
   "returns": [{"label": "out", "type": {"type": "string"}, "python_type": {"type": "str"}, "component": "Textbox"}]},
 "/grow": {"parameters": [{"label": "text", "parameter_name": "text", "component": "Textbox"}], "returns": []},
 "/mirror": {"parameters": [{"label": "image", "parameter_name": "image", "component": "Image"}], "returns": []}
}, "unnamed_endpoints": {}}`

const api = "http://app.test/gradio_api"

// harness feeds synthetic network events to a capture core.
type harness struct {
	t       *testing.T
	c       *capture
	now     time.Time
	mu      sync.Mutex
	events  []Event
	notices []notice
	served  map[string][]byte // what the fake fetch serves, by URL
	fetched []string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), served: map[string][]byte{}}
	h.c = newCapture(h.fetch, func(n notice) {
		h.mu.Lock()
		h.notices = append(h.notices, n)
		if n.event != nil {
			h.events = append(h.events, *n.event)
		}
		h.mu.Unlock()
	}, 1<<20)
	cfg, err := gradio.ParseConfig([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	m, err := newAppModel("http://app.test/", cfg, []byte(testInfo))
	if err != nil {
		t.Fatal(err)
	}
	h.c.setApp(m, "app.test")
	return h
}

func (h *harness) fetch(ctx context.Context, url string, w io.Writer) (string, error) {
	h.mu.Lock()
	b, ok := h.served[url]
	h.fetched = append(h.fetched, url)
	h.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("GET %s: 404", url)
	}
	_, err := w.Write(b)
	return "image/png", err
}

func (h *harness) tick() time.Time {
	h.now = h.now.Add(10 * time.Millisecond)
	return h.now
}

func (h *harness) send(id, method, url, body string) {
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	h.c.handle(requestSent{ID: requestID(id), Time: h.tick(), Method: method, URL: url,
		Headers: map[string]string{"Content-Type": "application/json"}, Body: b})
}

func (h *harness) respond(id string, status int, mime string) {
	h.c.handle(responseReceived{ID: requestID(id), Time: h.tick(), Status: status, MIMEType: mime})
}

func (h *harness) finish(id, body string) {
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	h.c.handle(loadingFinished{ID: requestID(id), Time: h.tick(), Body: b})
}

func (h *harness) fail(id, text string, canceled bool) {
	h.c.handle(loadingFailed{ID: requestID(id), Time: h.tick(), Error: text, Canceled: canceled})
}

func (h *harness) data(id string, chunks ...string) {
	for _, c := range chunks {
		h.c.handle(dataReceived{ID: requestID(id), Time: h.tick(), Data: []byte(c)})
	}
}

// join sends a complete join request and its answer.
func (h *harness) join(id, body, eventID string) {
	h.send(id, "POST", api+"/queue/join?", body)
	h.respond(id, 200, "application/json")
	h.finish(id, `{"event_id":"`+eventID+`"}`)
}

// openStream opens the session's queue/data stream.
func (h *harness) openStream(id, session string) {
	h.send(id, "GET", api+"/queue/data?session_hash="+session, "")
	h.respond(id, 200, "text/event-stream")
}

func (h *harness) rec() *recording.Recording { return h.c.recording() }

func (h *harness) call(n int) recording.Call {
	h.t.Helper()
	rec := h.rec()
	if len(rec.Calls) < n {
		h.t.Fatalf("%d calls, want call %d: %s", len(rec.Calls), n, js(rec.Calls))
	}
	return rec.Calls[n-1]
}

func (h *harness) kinds() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ks []string
	for _, e := range h.events {
		ks = append(ks, fmt.Sprintf("%d:%s", e.Call.ID, e.Kind))
	}
	return strings.Join(ks, " ")
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func frame(msg string) string { return "data: " + msg + "\n\n" }

func raws(vals ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(vals))
	for i, v := range vals {
		out[i] = json.RawMessage(v)
	}
	return out
}

func TestCaptureBacklog(t *testing.T) {
	c := newCapture(nil, nil, 0)
	t0 := time.Now()
	c.handle(requestSent{ID: "j", Time: t0, Method: "POST", URL: api + "/queue/join", Body: []byte(`{"data":["a",null],"fn_index":0,"session_hash":"A"}`)})
	c.handle(responseReceived{ID: "j", Time: t0, Status: 200})
	c.handle(loadingFinished{ID: "j", Time: t0, Body: []byte(`{"event_id":"e"}`)})
	if n := len(c.recording().Calls); n != 0 {
		t.Fatalf("%d calls before the app is known", n)
	}
	cfg, _ := gradio.ParseConfig([]byte(testConfig))
	m, _ := newAppModel("http://app.test/", cfg, nil)
	c.setApp(m)
	if calls := c.recording().Calls; len(calls) != 1 || calls[0].EventID != "e" || calls[0].Inputs[0].Name != "param_0" {
		t.Errorf("calls %s", js(calls))
	}
}

func TestCaptureStop(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e1")
	h.join("j2", `{"data":["tick"],"fn_index":1,"session_hash":"A"}`, "g2")
	h.send("c", "POST", api+"/cancel", `{"event_id":"g2","session_hash":"A","fn_index":1}`)
	h.c.stop(time.Second)
	if c := h.call(1); c.Status != recording.Incomplete {
		t.Errorf("in flight at stop: %s", js(c))
	}
	if c := h.call(2); c.Status != recording.Cancelled {
		t.Errorf("cancel pending at stop: %s", js(c))
	}
	if got := h.kinds(); got != "1:started 2:started 1:completed 2:completed" {
		t.Errorf("events %s", got)
	}
	h.join("j3", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e3")
	if n := len(h.rec().Calls); n != 2 {
		t.Errorf("a call after stop was captured")
	}
}

// waitIdle waits until the core has nothing in flight (downloads included).
func waitIdle(t *testing.T, c *capture) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		idle, _, changed, _ := c.idle()
		if idle {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("not idle after 5s")
		}
	}
}

func valsOfRaw(vals []json.RawMessage) string {
	var s []string
	for _, v := range vals {
		s = append(s, string(v))
	}
	return strings.Join(s, " ")
}
