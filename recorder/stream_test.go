package recorder

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

func TestCaptureGeneratorInterleaved(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["abc"],"fn_index":1,"session_hash":"s"}`, "g1")
	h.join("j2", `{"data":["x",null],"fn_index":0,"session_hash":"s"}`, "e2")
	h.openStream("d", "s")
	h.data("d",
		"data: {\"msg\":\"process_generating\",\"event_id\":\"g1\",\"output\":{\"data\":[\"a\"]},\"success\":true}\r\n\r\n",
		frame(`{"msg":"process_starts","event_id":"e2"}`),
		"data: {\"msg\":\"process_generating\",\"event_id\":\"g1\",\"output\":{\"data\":[[[\"append\",[],\"b\"]]]},\"success\":true}\r\n\r",
		"\n",
		frame(`{"msg":"process_completed","event_id":"e2","output":{"data":["X",null]},"success":true}`),
		frame(`{"msg":"process_generating","event_id":"g1","output":{"data":[[["append",[],"c"]]]},"success":true}`),
		frame(`{"msg":"process_generating","event_id":"g1","output":{"data":[[]]},"success":true}`),
		frame(`{"msg":"process_completed","event_id":"g1","output":{"data":["abc"]},"success":true}`),
		frame(`{"msg":"close_stream","event_id":null}`),
	)
	g := h.call(1)
	if want := [][]json.RawMessage{raws(`"a"`), raws(`"ab"`), raws(`"abc"`), raws(`"abc"`)}; !reflect.DeepEqual(g.Updates, want) {
		t.Errorf("updates %s, want %s", js(g.Updates), js(want))
	}
	if !reflect.DeepEqual(g.Outputs, raws(`"abc"`)) || g.Status != recording.Completed {
		t.Errorf("generator: %s", js(g))
	}
	if e := h.call(2); !reflect.DeepEqual(e.Outputs, raws(`"X"`)) || e.Status != recording.Completed {
		t.Errorf("echo: %s", js(e))
	}
	if got := h.kinds(); got != "1:started 2:started 1:updated 1:updated 2:completed 1:updated 1:updated 1:completed" {
		t.Errorf("events %s", got)
	}
}

func TestCaptureReopenedStreamAndSessions(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e1")
	h.openStream("d1", "A")
	h.data("d1", frame(`{"msg":"process_completed","event_id":"e1","output":{"data":["1",null]},"success":true}`),
		frame(`{"msg":"close_stream","event_id":null}`))
	h.finish("d1", "")
	// A second call of the session on a new stream.
	h.join("j2", `{"data":["b",null],"fn_index":0,"session_hash":"A"}`, "e2")
	h.openStream("d2", "A")
	h.data("d2", frame(`{"msg":"process_completed","event_id":"e2","output":{"data":["2",null]},"success":true}`))
	// A page reload: a new session; nothing is forgotten.
	h.join("j3", `{"data":["c",null],"fn_index":0,"session_hash":"B"}`, "e3")
	h.openStream("d3", "B")
	h.data("d3", frame(`{"msg":"process_completed","event_id":"e3","output":{"data":["3",null]},"success":true}`))
	rec := h.rec()
	var got []string
	for _, c := range rec.Calls {
		got = append(got, c.Session+"="+string(c.Outputs[0])+":"+c.Status)
	}
	if strings.Join(got, " ") != `s1="1":completed s1="2":completed s2="3":completed` {
		t.Errorf("calls %v", got)
	}
	if want := []recording.Session{{ID: "s1", Hash: "A"}, {ID: "s2", Hash: "B"}}; !reflect.DeepEqual(rec.Sessions, want) {
		t.Errorf("sessions %v", rec.Sessions)
	}
}

func TestCaptureUnexpectedError(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e1")
	h.join("j2", `{"data":["b",null],"fn_index":0,"session_hash":"B"}`, "e2")
	h.join("j3", `{"data":["c",null],"fn_index":0,"session_hash":"A"}`, "e3")
	h.openStream("dA", "A")
	h.data("dA", frame(`{"msg":"process_completed","event_id":"e3","output":{"data":["C",null]},"success":true}`),
		frame(`{"msg":"unexpected_error","event_id":null,"message":"Server stopped unexpectedly.","success":false}`))
	if c := h.call(1); c.Status != recording.Failed || c.Error == nil || c.Error.Message != "Server stopped unexpectedly." {
		t.Errorf("call 1: %s", js(c))
	}
	if c := h.call(2); c.Status != recording.Incomplete {
		t.Errorf("call 2 of another session: %s", js(c))
	}
	if c := h.call(3); c.Status != recording.Completed {
		t.Errorf("call 3 completed before the error: %s", js(c))
	}
	// An unexpected_error of one event.
	h.openStream("dB", "B")
	h.data("dB", frame(`{"msg":"unexpected_error","event_id":"e2","message":"boom","success":false}`))
	if c := h.call(2); c.Status != recording.Failed || c.Error.Message != "boom" {
		t.Errorf("call 2: %s", js(c))
	}
}

func TestCaptureStreamLost(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e1")
	h.openStream("d1", "A")
	h.fail("d1", "net::ERR_ABORTED", true) // the page went away
	h.join("j2", `{"data":["a",null],"fn_index":0,"session_hash":"B"}`, "e2")
	h.openStream("d2", "B")
	h.fail("d2", "net::ERR_INCOMPLETE_CHUNKED_ENCODING", false)
	if c := h.call(1); c.Status != recording.Incomplete {
		t.Errorf("aborted: %s", js(c))
	}
	if c := h.call(2); c.Status != recording.Incomplete || !strings.Contains(c.Error.Message, "ERR_INCOMPLETE_CHUNKED_ENCODING") {
		t.Errorf("broken: %s", js(c))
	}
	if n := h.c.inFlight(); n != 0 {
		t.Errorf("in flight %d", n)
	}
}

func TestCaptureStreamBodyAtEnd(t *testing.T) {
	// A source that could not stream gives the whole body at the end.
	h := newHarness(t)
	h.join("j1", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e1")
	h.openStream("d", "A")
	h.finish("d", frame(`{"msg":"process_completed","event_id":"e1","output":{"data":["ü",null]},"success":true}`)+
		frame(`{"msg":"close_stream","event_id":null}`))
	if c := h.call(1); c.Status != recording.Completed || string(c.Outputs[0]) != `"ü"` {
		t.Errorf("%s", js(c))
	}
}

func TestCaptureLostJoinAnswer(t *testing.T) {
	h := newHarness(t)
	// The source could not read the join answer: the event id comes from
	// the only unclaimed event of the session.
	h.send("j1", "POST", api+"/queue/join?", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`)
	h.respond("j1", 200, "application/json")
	h.finish("j1", "")
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_completed","event_id":"e1","output":{"data":["1",null]},"success":true}`),
		frame(`{"msg":"close_stream","event_id":null}`))
	if c := h.call(1); c.Status != recording.Completed || c.EventID != "e1" || valsOfRaw(c.Outputs) != `"1"` {
		t.Errorf("lost answer: %s", js(c))
	}
	// Two such calls at once cannot be told apart: they fail when the
	// session's events are over.
	h.send("j2", "POST", api+"/queue/join?", `{"data":["b",null],"fn_index":0,"session_hash":"A"}`)
	h.send("j3", "POST", api+"/queue/join?", `{"data":["c",null],"fn_index":0,"session_hash":"A"}`)
	h.respond("j2", 200, "application/json")
	h.respond("j3", 200, "application/json")
	h.finish("j2", "")
	h.finish("j3", "")
	h.openStream("d2", "A")
	h.data("d2", frame(`{"msg":"process_completed","event_id":"e2","output":{"data":["2",null]},"success":true}`),
		frame(`{"msg":"process_completed","event_id":"e3","output":{"data":["3",null]},"success":true}`),
		frame(`{"msg":"close_stream","event_id":null}`))
	for _, n := range []int{2, 3} {
		if c := h.call(n); c.Status != recording.Failed || !strings.Contains(c.Error.Message, "event id") {
			t.Errorf("ambiguous call %d: %s", n, js(c))
		}
	}
}

// TestCaptureEventsKeepTheirUpdates: an event's call shows the updates up to
// that event, however many come later, without copying the history for
// every update.
func TestCaptureEventsKeepTheirUpdates(t *testing.T) {
	h := newHarness(t)
	h.join("j1", `{"data":["abc"],"fn_index":1,"session_hash":"s"}`, "g1")
	h.openStream("d", "s")
	var chunks []string
	for _, s := range []string{"a", "b", "c"} {
		chunks = append(chunks, frame(`{"msg":"process_generating","event_id":"g1","output":{"data":["`+s+`"]},"success":true}`))
	}
	chunks = append(chunks, frame(`{"msg":"process_completed","event_id":"g1","output":{"data":["c"]},"success":true}`))
	h.data("d", chunks...)
	h.mu.Lock()
	defer h.mu.Unlock()
	var seen []int
	for _, e := range h.events {
		seen = append(seen, len(e.Call.Updates))
	}
	if got := fmt.Sprint(seen); got != "[0 1 2 3 3]" {
		t.Errorf("updates seen by the events: %s, want [0 1 2 3 3]", got)
	}
	if first := h.events[1].Call.Updates; len(first) != 1 || string(first[0][0]) != `"a"` || cap(first) != 1 {
		t.Errorf("the first update event's updates: %s (cap %d)", js(first), cap(first))
	}
	allocs := testing.AllocsPerRun(100, func() { copyCall(&h.events[3].Call) })
	if allocs > 4 {
		t.Errorf("copyCall allocates %v times; its updates should be shared", allocs)
	}
}
