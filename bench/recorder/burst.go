package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// burstAPI yields 1, 2, … n as fast as the server can.
const burstAPI = "/burst"

// burstRun is one burst of n updates, in one of three ways: recorded (a
// recorder's tab clicks Burst), plain (a tab without capture clicks Burst)
// or by the Go client (package gradio, no browser).
type burstRun struct {
	// page is the time from the click to the page's counter showing n
	// (recorded and plain).
	page time.Duration
	// capture is the time from the click to the recorder's CallCompleted
	// event (recorded), or from Submit to the job's end (Go client).
	capture time.Duration
	// call is the call's duration as the recording has it: from the page
	// sending the join to the last message (recorded).
	call time.Duration
	// updates is how many updates were delivered: CallUpdated events
	// (recorded) or the job's outputs (Go client).
	updates int
	// mallocs and bytes are this process's allocations during the burst,
	// from the click to the completed event (recorded).
	mallocs, bytes uint64
	// complete is nil when the recording holds the call complete and in
	// order (recorded), else what is wrong.
	complete error
}

// burstRecorded sets n in a new recorder's tab, clicks Burst, waits for the
// completed call and for the page to show n, stops the recorder and checks
// that the recording holds every update.
func burstRecorded(ctx context.Context, b *browser, url string, n int) (burstRun, error) {
	var run burstRun
	r, err := record(ctx, b, url)
	if err != nil {
		return run, err
	}
	defer r.rec.Stop()
	tab := r.rec.Tab()
	if err := script("burst", fmt.Sprintf("  - set: n\n    value: %d", n)).Run(tab, r.rec.WaitIdle); err != nil {
		return run, err
	}
	click := script("burst", "  - click: Burst\n    idle: false")

	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	u0 := r.updates.Load()
	start := time.Now()
	if err := click.Run(tab, nil); err != nil {
		return run, err
	}
	shown := timeShown(start, func() error { return waitCounter(tab, n) })
	c, err := r.next(ctx, burstAPI)
	if err != nil {
		return run, err
	}
	run.capture = c.at.Sub(start)
	runtime.ReadMemStats(&m1)
	run.mallocs, run.bytes = m1.Mallocs-m0.Mallocs, m1.TotalAlloc-m0.TotalAlloc
	run.updates = int(r.updates.Load() - u0)
	s := <-shown
	if s.err != nil {
		return run, s.err
	}
	run.page = s.after

	rec, err := r.stop(ctx)
	if err != nil {
		return run, fmt.Errorf("stop the recorder: %w", err)
	}
	run.complete = checkBurst(rec, n)
	if call := findCall(rec, burstAPI); call != nil {
		run.call = time.Duration(call.Duration * float64(time.Second))
	}
	return run, nil
}

// burstPlain sets n in a tab without capture, clicks Burst and waits for the
// page to show n.
func burstPlain(ctx context.Context, b *browser, url string, n int) (burstRun, error) {
	var run burstRun
	tab, closeTab, err := b.plainTab(ctx, url)
	if err != nil {
		return run, err
	}
	defer closeTab()
	if err := script("burst", fmt.Sprintf("  - set: n\n    value: %d", n)).Run(tab, nil); err != nil {
		return run, err
	}
	click := script("burst", "  - click: Burst\n    idle: false")
	start := time.Now()
	if err := click.Run(tab, nil); err != nil {
		return run, err
	}
	err = waitCounter(tab, n)
	run.page = time.Since(start)
	return run, err
}

// burstGo makes the burst with the Go client and counts its updates.
func burstGo(ctx context.Context, c *gradio.Client, n int) (burstRun, error) {
	var run burstRun
	start := time.Now()
	job, err := c.Submit(ctx, burstAPI, n)
	if err != nil {
		return run, err
	}
	res, err := job.Result(ctx)
	run.capture = time.Since(start)
	if err != nil {
		return run, err
	}
	run.updates = len(job.Outputs())
	if fmt.Sprint(res.Value()) != strconv.Itoa(n) {
		return run, fmt.Errorf("the Go client's burst ended with %v, want %d", res.Value(), n)
	}
	return run, nil
}

// findCall returns the recording's first call of api, or nil.
func findCall(rec *recording.Recording, api string) *recording.Call {
	for i := range rec.Calls {
		if rec.Calls[i].APIName == api {
			return &rec.Calls[i]
		}
	}
	return nil
}

// checkBurst checks that the recording holds exactly one call, of
// burstAPI, completed, with every update 1..n once and in order and the
// final output n. The error names the first thing that is wrong.
func checkBurst(rec *recording.Recording, n int) error {
	if len(rec.Calls) != 1 {
		return fmt.Errorf("the recording has %d calls, want 1 (%s)", len(rec.Calls), burstAPI)
	}
	call := rec.Calls[0]
	if call.APIName != burstAPI || call.Status != recording.Completed {
		return fmt.Errorf("the call is %s with status %s, want %s completed", call.APIName, call.Status, burstAPI)
	}
	if len(call.Updates) != n {
		return fmt.Errorf("the call has %d updates, want %d", len(call.Updates), n)
	}
	for i, u := range call.Updates {
		if len(u) != 1 {
			return fmt.Errorf("update %d has %d outputs, want 1", i+1, len(u))
		}
		if v, ok := number(u[0]); !ok || v != float64(i+1) {
			return fmt.Errorf("update %d is %s, want %d (updates lost, repeated or out of order)", i+1, u[0], i+1)
		}
	}
	if len(call.Outputs) != 1 {
		return fmt.Errorf("the call has %d outputs, want 1", len(call.Outputs))
	}
	if v, ok := number(call.Outputs[0]); !ok || v != float64(n) {
		return fmt.Errorf("the final output is %s, want %d", call.Outputs[0], n)
	}
	return nil
}

// number decodes a JSON number (1 or 1.0).
func number(raw json.RawMessage) (float64, bool) {
	var v float64
	if err := json.Unmarshal(bytes.TrimSpace(raw), &v); err != nil {
		return 0, false
	}
	return v, true
}
