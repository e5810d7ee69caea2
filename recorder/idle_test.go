package recorder

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// idleRecorder is a Recorder around a bare capture core, to test WaitIdle
// without a browser.
func idleRecorder(t *testing.T, settle time.Duration) (*Recorder, *harness) {
	h := newHarness(t)
	r := &Recorder{s: newSettings([]Option{WithSettle(settle)}), cap: h.c, stopped: make(chan struct{})}
	return r, h
}

// TestWaitIdle runs in a synctest bubble: its clock is fake and moves only
// when every goroutine of the test waits, so the settle windows and the
// pauses between the steps below are exact, whatever the machine's load.
func TestWaitIdle(t *testing.T) { synctest.Test(t, testWaitIdle) }

func testWaitIdle(t *testing.T) {
	const settle = 150 * time.Millisecond
	r, h := idleRecorder(t, settle)
	ctx := context.Background()

	// Nothing happens: WaitIdle still waits one settle window.
	start := time.Now()
	if err := r.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d != settle {
		t.Errorf("returned after %s, want the settle window, %s", d, settle)
	}

	// A call in flight: WaitIdle waits for it, and for the settle window
	// after it, in which a chained call starts.
	h.join("j1", `{"data":["a",null],"fn_index":0,"session_hash":"A"}`, "e1")
	h.openStream("d", "A")
	if r.InFlight() != 1 {
		t.Fatalf("in flight %d", r.InFlight())
	}
	done := make(chan error, 1)
	go func() { done <- r.WaitIdle(ctx) }()
	time.Sleep(50 * time.Millisecond)
	h.data("d", frame(`{"msg":"process_completed","event_id":"e1","output":{"data":["1",null]},"success":true}`))
	time.Sleep(settle / 3)
	h.join("j2", `{"data":["b",null],"fn_index":0,"session_hash":"A"}`, "e2") // the .then
	select {
	case err := <-done:
		t.Fatalf("WaitIdle returned %v while the chained call runs", err)
	case <-time.After(settle):
	}
	h.data("d", frame(`{"msg":"process_completed","event_id":"e2","output":{"data":["2",null]},"success":true}`))
	ended := time.Now()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d := time.Since(ended); d != settle {
		t.Errorf("returned %s after the last call, want %s", d, settle)
	}

	// A call that never ends: the context decides.
	h.join("j3", `{"data":["c",null],"fn_index":0,"session_hash":"A"}`, "e3")
	tctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := r.WaitIdle(tctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitIdle with a call in flight: %v", err)
	}
	close(r.stopped)
	if err := r.WaitIdle(ctx); !errors.Is(err, ErrStopped) {
		t.Errorf("WaitIdle after stop: %v", err)
	}
}
