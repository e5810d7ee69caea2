package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestCallTimeout replays the slow app's /wait twice against an app whose
// /wait takes a minute (its event stream stays open, with heartbeats only):
// each call fails with the call timeout and the replay goes on to the next.
func TestCallTimeout(t *testing.T) {
	v := gradiotest.DefaultVersion
	rec := golden(t, v, "slow")
	second := rec.Calls[0]
	second.ID = rec.Calls[len(rec.Calls)-1].ID + 1
	rec.Calls = append(rec.Calls, second)
	a := gradiotest.Start(t, "slow", gradiotest.Version(v), gradiotest.Env("GRADIOREC_SLOW_SECONDS", "60"))
	start := time.Now()
	rep, err := Run(t.Context(), rec, Options{URL: a.URL, CallTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the replay took %s", d)
	}
	if rep.Outcome != Unreachable || rep.ExitCode() != ExitUnreachable {
		logReport(t, rep)
		t.Fatalf("outcome %s, want unreachable (exit 4)", rep.Outcome)
	}
	var timedOut int
	for _, c := range rep.Calls {
		if c.Status == Errored && strings.Contains(c.Err, "did not finish within 1s") && strings.Contains(c.Err, "--call-timeout") {
			timedOut++
		}
	}
	if timedOut != 2 {
		logReport(t, rep)
		t.Errorf("%d calls failed with the call timeout, want both /wait calls", timedOut)
	}
}

// TestReplayAgainstSilentServer replays against a server that accepts
// connections and never answers: the connect timeout makes it unreachable
// at once.
func TestReplayAgainstSilentServer(t *testing.T) {
	rec := golden(t, gradiotest.DefaultVersion, "calculator")
	start := time.Now()
	rep, err := Run(t.Context(), rec, Options{URL: gradiotest.SilentServer(t),
		Client: []gradio.Option{gradio.WithConnectTimeout(200 * time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != Unreachable || !strings.Contains(rep.Err, "--connect-timeout") {
		t.Errorf("outcome %s, error %q; want unreachable naming --connect-timeout", rep.Outcome, rep.Err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}
