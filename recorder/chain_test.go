package recorder

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCaptureChains(t *testing.T) {
	h := newHarness(t)
	expected := func() string {
		h.c.mu.Lock()
		defer h.c.mu.Unlock()
		var s []string
		for _, e := range h.c.expected {
			s = append(s, fmt.Sprintf("%d@%s", e.fn, e.session))
		}
		return strings.Join(s, " ")
	}
	isIdle := func() bool { idle, _, _, _ := h.c.idle(); return idle }

	// length succeeds: its .then runs, and the .success chain through a
	// js-only listener; the .failure listener does not.
	h.send("r1", "POST", api+"/run/predict", `{"data":["abc"],"fn_index":7,"session_hash":"A"}`)
	h.respond("r1", 200, "application/json")
	h.finish("r1", `{"data":[3]}`)
	if got := expected(); got != "12@A 14@A" || isIdle() {
		t.Errorf("after success: expected %q, idle %v", got, isIdle())
	}
	h.join("j1", `{"data":[3],"fn_index":12,"session_hash":"A"}`, "e1")
	h.join("j2", `{"data":[3],"fn_index":14,"session_hash":"A"}`, "e2")
	if got := expected(); got != "" {
		t.Errorf("the chain started, still expected: %q", got)
	}
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_completed","event_id":"e1","output":{"data":[1]},"success":true}`),
		frame(`{"msg":"process_completed","event_id":"e2","output":{"data":[2]},"success":true}`))
	if !isIdle() {
		t.Error("not idle after the chain")
	}

	// length fails: .then and .failure run.
	h.send("r2", "POST", api+"/run/predict", `{"data":["abc"],"fn_index":7,"session_hash":"B"}`)
	h.respond("r2", 500, "application/json")
	h.finish("r2", `{"error":"no"}`)
	if got := expected(); got != "12@B 15@B" {
		t.Errorf("after failure: expected %q", got)
	}

	// The next call's join overtook the end of the first one.
	h.send("r3", "POST", api+"/run/predict", `{"data":["abc"],"fn_index":7,"session_hash":"C"}`)
	h.respond("r3", 200, "application/json")
	h.join("j3", `{"data":[3],"fn_index":12,"session_hash":"C"}`, "e3")
	h.finish("r3", `{"data":[3]}`)
	if got := expected(); got != "12@B 15@B 14@C" {
		t.Errorf("after an overtaking call: expected %q", got)
	}
	h.openStream("dC", "C")
	h.data("dC", frame(`{"msg":"process_completed","event_id":"e3","output":{"data":[1]},"success":true}`))

	// An expected call that never comes stops being waited for.
	h.c.mu.Lock()
	for i := range h.c.expected {
		h.c.expected[i].until = time.Now().Add(-time.Millisecond)
	}
	h.c.mu.Unlock()
	if !isIdle() || expected() != "" {
		t.Errorf("expired expectations kept: %q", expected())
	}
}
