package recorder

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

func TestCaptureQueuedCall(t *testing.T) {
	h := newHarness(t)
	h.send("j1", "POST", api+"/queue/join?", `{"data":["héllo",null],"event_data":null,"fn_index":0,"trigger_id":6,"session_hash":"sess1"}`)
	h.respond("j1", 200, "application/json")
	h.openStream("d1", "sess1")
	// The messages overtake the join answer, and frames are split anywhere.
	stream := frame(`{"msg":"estimation","event_id":"e1","rank":0,"queue_size":1,"rank_eta":null}`) +
		frame(`{"msg":"process_starts","event_id":"e1","eta":null}`) +
		frame(`{"msg":"process_completed","event_id":"e1","output":{"data":["HÉLLO",null],"is_generating":false,"duration":0.25},"success":true,"title":null}`) +
		frame(`{"msg":"close_stream","event_id":null}`)
	h.data("d1", stream[:17], stream[17:200], stream[200:])
	if n := h.c.inFlight(); n != 1 {
		t.Fatalf("in flight before the join answer: %d, want 1", n)
	}
	h.finish("j1", `{"event_id":"e1"}`)
	h.fail("d1", "net::ERR_ABORTED", true)

	c := h.call(1)
	want := recording.Call{
		ID: 1, Session: "s1", FnIndex: 0, APIName: "/echo", Via: "queue", EventID: "e1",
		Inputs:    []recording.Arg{{Name: "text", Value: json.RawMessage(`"héllo"`)}},
		Data:      raws(`"héllo"`, `null`),
		TriggerID: c.TriggerID, Status: recording.Completed,
		Outputs: raws(`"HÉLLO"`), Started: c.Started, Duration: 0.06, ServerTime: 0.25,
	}
	if c.TriggerID == nil || *c.TriggerID != 6 {
		t.Errorf("trigger id %v, want 6", c.TriggerID)
	}
	c.Duration = float64(int(c.Duration*1000+0.5)) / 1000
	if !reflect.DeepEqual(c, want) {
		t.Errorf("call\n%s\nwant\n%s", js(c), js(want))
	}
	rec := h.rec()
	if want := []recording.Session{{ID: "s1", Hash: "sess1"}}; !reflect.DeepEqual(rec.Sessions, want) {
		t.Errorf("sessions %v, want %v", rec.Sessions, want)
	}
	if got := h.kinds(); got != "1:started 1:completed" {
		t.Errorf("events %s", got)
	}
	if n := h.c.inFlight(); n != 0 {
		t.Errorf("in flight %d, want 0", n)
	}
}

func TestCaptureJoinRefused(t *testing.T) {
	h := newHarness(t)
	h.send("j1", "POST", api+"/queue/join?", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`)
	h.respond("j1", 422, "application/json")
	h.finish("j1", `{"detail":[{"__type__":"validate","is_valid":false,"message":"too short","parameter_name":"text"}]}`)
	h.send("j2", "POST", api+"/queue/join?", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`)
	h.respond("j2", 503, "application/json")
	h.finish("j2", `{"detail":"Queue is full. Max size is 1."}`)
	h.send("j3", "POST", api+"/queue/join?", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`)
	h.fail("j3", "net::ERR_CONNECTION_REFUSED", false)
	c1, c2, c3 := h.call(1), h.call(2), h.call(3)
	if c1.Status != recording.Failed || c1.Error.HTTP != 422 || !strings.Contains(c1.Error.Message, "too short") {
		t.Errorf("422: %s", js(c1))
	}
	if c2.Status != recording.Failed || *c2.Error != (recording.Error{Message: "Queue is full. Max size is 1.", HTTP: 503}) {
		t.Errorf("503: %s", js(c2))
	}
	if c3.Status != recording.Failed || c3.Error.Message != "request failed: net::ERR_CONNECTION_REFUSED" {
		t.Errorf("refused: %s", js(c3))
	}
	if n := h.c.inFlight(); n != 0 {
		t.Errorf("in flight %d", n)
	}
}

func TestCaptureRun(t *testing.T) {
	h := newHarness(t)
	h.send("r1", "POST", api+"/run/predict", `{"data":["four"],"event_data":null,"fn_index":7,"trigger_id":6,"session_hash":"A"}`)
	h.respond("r1", 200, "application/json")
	h.finish("r1", `{"data":[4],"is_generating":false,"duration":0.001,"average_duration":0.001,"render_config":null,"changed_state_ids":[]}`)
	h.send("r2", "POST", api+"/run/predict", `{"data":["x"],"fn_index":7,"session_hash":"A"}`)
	h.respond("r2", 500, "application/json")
	h.finish("r2", `{"error":"Cannot count!","duration":null,"visible":true,"title":"Oops"}`)
	h.send("r3", "POST", api+"/run/predict", `{"data":["x"],"fn_index":7,"session_hash":"A"}`)
	h.respond("r3", 404, "application/json")
	h.finish("r3", `{"detail":"Not Found"}`)
	c1 := h.call(1)
	if c1.Via != recording.ViaRun || c1.APIName != "/length" || c1.Status != recording.Completed ||
		!reflect.DeepEqual(c1.Outputs, raws(`4`)) || c1.ServerTime != 0.001 {
		t.Errorf("run: %s", js(c1))
	}
	// /length is missing from /info: its inputs are named by position.
	if want := []recording.Arg{{Name: "param_0", Value: json.RawMessage(`"four"`)}}; !reflect.DeepEqual(c1.Inputs, want) {
		t.Errorf("inputs %s", js(c1.Inputs))
	}
	if c := h.call(2); c.Status != recording.Failed || *c.Error != (recording.Error{Message: "Cannot count!", Title: "Oops"}) {
		t.Errorf("gr.Error through run: %s", js(c))
	}
	if c := h.call(3); c.Status != recording.Failed || *c.Error != (recording.Error{Message: "Not Found", HTTP: 404}) {
		t.Errorf("404: %s", js(c))
	}
}

func TestCaptureAppError(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e1")
	h.openStream("d", "A")
	h.data("d",
		frame(`{"msg":"log","event_id":"e1","log":"Starting","level":"info","duration":10,"visible":true,"title":"Note"}`),
		frame(`{"msg":"progress","event_id":"e1","progress_data":[{"index":1,"length":4,"unit":"steps","progress":null,"desc":"Working"}]}`),
		frame(`{"msg":"progress","event_id":"e1","progress_data":[{"index":null,"length":null,"unit":"steps","progress":0.5,"desc":null}]}`),
		frame(`{"msg":"process_completed","event_id":"e1","output":{"error":"Cannot divide by zero!","duration":10,"visible":true,"title":"Error"},"success":false,"title":"Error"}`))
	c := h.call(1)
	if c.Status != recording.Failed || *c.Error != (recording.Error{Message: "Cannot divide by zero!", Title: "Error"}) || c.ServerTime != 0 {
		t.Errorf("error: %s", js(c))
	}
	if want := []recording.Log{{Level: "info", Message: "Starting", Title: "Note"}}; !reflect.DeepEqual(c.Log, want) {
		t.Errorf("log %s", js(c.Log))
	}
	if got := js(c.Progress); got != `[{"bars":[{"index":1,"length":4,"unit":"steps","desc":"Working"}]},{"bars":[{"unit":"steps","progress":0.5}]}]` {
		t.Errorf("progress %s", got)
	}
	if got := h.kinds(); got != "1:started 1:updated 1:updated 1:updated 1:completed" {
		t.Errorf("events %s", got)
	}
}

func TestCaptureCancel(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["tick"],"fn_index":1,"session_hash":"A"}`, "g1")
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_generating","event_id":"g1","output":{"data":["tick 1"]},"success":true}`),
		frame(`{"msg":"process_generating","event_id":"g1","output":{"data":[[["replace",[],"tick 2"]]]},"success":true}`))
	h.send("c", "POST", api+"/cancel", `{"event_id":"g1","session_hash":"A","fn_index":1}`)
	h.send("r", "POST", api+"/reset", `{"event_id":"g1"}`)
	h.data("d", frame(`{"msg":"process_generating","event_id":"g1","output":{"data":[[["replace",[],"tick 3"]]]},"success":true}`),
		frame(`{"msg":"process_completed","event_id":"g1","output":{},"success":true,"title":null}`),
		frame(`{"msg":"close_stream","event_id":null}`))
	c := h.call(1)
	if c.Status != recording.Cancelled || len(c.Updates) != 3 || string(c.Updates[2][0]) != `"tick 3"` || c.Outputs != nil {
		t.Errorf("cancelled: %s", js(c))
	}
	if n := len(h.rec().Calls); n != 1 {
		t.Errorf("%d calls; cancel and reset are not calls", n)
	}

	// A cancel that overtakes the join answer, then the server's answer.
	h.send("j2", "POST", api+"/queue/join?", `{"data":["tick"],"fn_index":1,"session_hash":"A"}`)
	h.send("c2", "POST", api+"/cancel", `{"event_id":"g2","session_hash":"A","fn_index":1}`)
	h.respond("j2", 200, "application/json")
	h.finish("j2", `{"event_id":"g2"}`)
	h.openStream("d2", "A")
	h.data("d2", frame(`{"msg":"process_completed","event_id":"g2","output":{},"success":true}`))
	if c := h.call(2); c.Status != recording.Cancelled {
		t.Errorf("early cancel: %s", js(c))
	}

	// Gradio 4: a cancel helper dependency called through run.
	h.join("j3", `{"data":["tick"],"fn_index":1,"session_hash":"A"}`, "g3")
	h.send("r3", "POST", api+"/run/predict", `{"data":[],"fn_index":11,"session_hash":"A"}`)
	h.respond("r3", 200, "application/json")
	h.finish("r3", `{"data":[]}`)
	h.openStream("d3", "A")
	h.data("d3", frame(`{"msg":"process_completed","event_id":"g3","output":{"data":["tick 9"]},"success":true}`))
	if c := h.call(3); c.Status != recording.Cancelled {
		t.Errorf("cancel helper: %s", js(c))
	}
}

func TestCaptureUnknownFnIndex(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["a",5],"fn_index":42,"session_hash":"A"}`, "e1")
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_completed","event_id":"e1","output":{"data":["x","y"]},"success":true}`))
	c := h.call(1)
	if c.FnIndex != 42 || c.APIName != "" || c.Status != recording.Completed ||
		js(c.Inputs) != `[{"name":"param_0","value":"a"},{"name":"param_1","value":5}]` ||
		!reflect.DeepEqual(c.Outputs, raws(`"x"`, `"y"`)) {
		t.Errorf("unknown fn_index: %s", js(c))
	}
	// Not a call at all: a body that is not a predict body, and another host.
	h.send("j2", "POST", api+"/queue/join?", `not json`)
	h.send("j3", "POST", "http://elsewhere.test/gradio_api/queue/join", `{"data":[],"fn_index":0,"session_hash":"A"}`)
	if n := len(h.rec().Calls); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}
