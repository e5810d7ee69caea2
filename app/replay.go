package app

import (
	"errors"
	"strings"

	"github.com/gradiorec/gradiorec/replay"
)

// Replay replays the recording against a live app, as a test.
type Replay struct{ a *App }

// Run replays the recording against url ("" for the recorded app) and
// returns the report; each call's result is emitted as EventReplay as it
// is checked. A report whose app could not be reached is returned with its
// Err set, not as an error.
func (r *Replay) Run(url string) (*replay.Report, error) {
	a := r.a
	a.mu.Lock()
	if a.rec != nil {
		a.mu.Unlock()
		return nil, errors.New("a recording is in progress: press Stop, then replay it")
	}
	rec, err := a.current()
	ctx := a.ctx
	a.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if url != "" {
		if url, err = appURL(url); err != nil {
			return nil, err
		}
	}
	report, err := replay.Run(ctx, rec, replay.Options{
		URL:         url,
		OnCall:      func(c replay.CallResult) { a.opts.Emit(EventReplay, c) },
		CallTimeout: replay.DefaultCallTimeout,
	})
	if err != nil {
		f := &Fault{Kind: FaultReplay, Title: "Could not replay the recording", Detail: err.Error(),
			Hint: "Check that the recording's fixture files are beside it (its .files folder)."}
		var missing *replay.MissingSecretsError
		if errors.As(err, &missing) {
			f.Hint = "Start gradiorec-desktop with " + strings.Join(missing.Vars, ", ") + " set in its environment."
		}
		a.setState(func(st *State) { st.Fault = f })
		return nil, f
	}
	c := report.Count()
	a.opts.Logf("replay %s: %s, %d passed, %d failed", report.URL, report.Outcome, c[replay.Passed], c[replay.Failed])
	return report, nil
}
