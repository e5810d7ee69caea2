package main

import (
	"context"
	"fmt"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// echoAPI returns its text.
const echoAPI = "/echo"

// sessionRecorded runs the session of n echo calls (sessionSteps) in a new
// recorder's tab and returns its wall time: from the first step to the last
// answer on the page. The steps wait with waitEchoed, not with the
// recorder's WaitIdle, so that both tabs wait alike (WaitIdle's settle
// window is a fixed pause, not a cost of capturing). It then stops the
// recorder, outside the time, and checks that it captured the n calls.
func sessionRecorded(ctx context.Context, b *browser, url string, n int) (time.Duration, error) {
	r, err := record(ctx, b, url)
	if err != nil {
		return 0, err
	}
	defer r.rec.Stop()
	s := sessionSteps(n)
	start := time.Now()
	if err := s.Run(r.rec.Tab(), waitEchoed); err != nil {
		return 0, fmt.Errorf("recorded session: %w", err)
	}
	took := time.Since(start)
	rec, err := r.stop(ctx)
	if err != nil {
		return 0, fmt.Errorf("stop the recorder: %w", err)
	}
	return took, checkSession(rec, n)
}

// sessionPlain runs the same session in a tab without capture.
func sessionPlain(ctx context.Context, b *browser, url string, n int) (time.Duration, error) {
	tab, closeTab, err := b.plainTab(ctx, url)
	if err != nil {
		return 0, err
	}
	defer closeTab()
	s := sessionSteps(n)
	start := time.Now()
	if err := s.Run(tab, waitEchoed); err != nil {
		return 0, fmt.Errorf("plain session: %w", err)
	}
	return time.Since(start), nil
}

// checkSession checks that a recorded session holds the n echo calls,
// completed, in order.
func checkSession(rec *recording.Recording, n int) error {
	if len(rec.Calls) != n {
		return fmt.Errorf("the recorded session has %d calls, want %d", len(rec.Calls), n)
	}
	for i, c := range rec.Calls {
		want := fmt.Sprintf(`"call %d"`, i)
		if c.APIName != echoAPI || c.Status != recording.Completed || len(c.Outputs) != 1 || string(c.Outputs[0]) != want {
			return fmt.Errorf("recorded call %d is %s %s with outputs %s, want %s completed with %s", i+1, c.APIName, c.Status, c.Outputs, echoAPI, want)
		}
	}
	return nil
}
