package recorder

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
	"github.com/gradiorec/gradiorec/steps"
)

// TestRenderedEndpoint records a session of an app whose Join button and
// its listener a gr.render function makes at run time: the page calls it by
// an fn_index the loaded config does not list. The recording must keep the
// call, with an endpoint marked rendered (journaled before the call, so that
// recovery keeps it too), and save.
func TestRenderedEndpoint(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			app := gradiotest.Start(t, "_render", gradiotest.Version(v))
			path := filepath.Join(t.TempDir(), "render.json")
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rec, err := New(ctx, app.URL+"/", WithLogf(t.Logf), WithJournal(path))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { rec.Stop() })
			script, err := steps.Parse("render.yaml", []byte(`
steps:
  - set: boxes
    value: 3
  - wait: part 2
  - fill: part 1
    value: middle
  - click: Join
  - wait: joined
    value: p0-middle-p2
  - fill: name
    value: Ada
  - wait: greeting
    value: hello Ada
`))
			if err != nil {
				t.Fatal(err)
			}
			sctx, cancel := context.WithTimeout(rec.Tab(), 2*time.Minute)
			defer cancel()
			if err := script.Run(sctx, rec.WaitIdle); err != nil {
				t.Fatal(err)
			}
			// What a crash would leave, before the recording is saved.
			recovered, err := recording.Recover(path)
			if err != nil {
				t.Fatalf("recover: %v", err)
			}
			got, err := rec.Stop()
			if err != nil {
				t.Fatal(err)
			}
			// Replayed, the Join call is skipped (the Go client cannot call
			// it) and the rest passes, without drift.
			rep, err := replay.Run(ctx, got, replay.Options{})
			if err != nil {
				t.Fatal(err)
			}
			skipped := 0
			for _, c := range rep.Calls {
				if c.Status == replay.Skipped && c.Reason == "made by gr.render in the page, which the Go client cannot call" {
					skipped++
				}
			}
			if rep.Outcome != replay.Pass || len(rep.Drift) != 0 || skipped != 1 {
				t.Errorf("replay: %s, drift %v, %d call(s) skipped as rendered, want pass, none, 1: %+v", rep.Outcome, rep.Drift, skipped, rep.Calls)
			}
			for name, r := range map[string]*recording.Recording{"saved": got, "recovered": recovered} {
				if err := r.Validate(); err != nil {
					t.Errorf("%s: %v", name, err)
				}
				join := joinCall(r)
				if join == nil {
					t.Fatalf("%s: no call answered \"p0-middle-p2\": %+v", name, r.Calls)
				}
				if ep := r.Endpoint(join.FnIndex); ep == nil || !ep.Rendered {
					t.Errorf("%s: the Join call's endpoint %+v is not marked rendered", name, ep)
				}
				for _, c := range r.Calls {
					if c.APIName == "/greet" && r.Endpoint(c.FnIndex).Rendered {
						t.Errorf("%s: /greet is marked rendered: it is in the config", name)
					}
				}
			}
		})
	}
}

// joinCall returns the call whose output is the joined parts.
func joinCall(r *recording.Recording) *recording.Call {
	for i, c := range r.Calls {
		if len(c.Outputs) == 1 && string(c.Outputs[0]) == `"p0-middle-p2"` {
			return &r.Calls[i]
		}
	}
	return nil
}
