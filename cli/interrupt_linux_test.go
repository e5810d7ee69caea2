package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestReplayInterrupted: Ctrl-C stops a replay whose call is in flight with
// ExitInterrupted, and says that it was interrupted.
func TestReplayInterrupted(t *testing.T) {
	// /wait sleeps ten minutes: the replay cannot end before the Ctrl-C.
	app := gradiotest.Start(t, "slow", gradiotest.Fresh(), gradiotest.Env("GRADIOREC_SLOW_SECONDS", "600"))
	defer app.Kill()
	rec := goldenCopy(t, "slow")
	p := startCommand(t, filepath.Dir(rec), nil, "replay", "--runs", "2", "--url", app.URL, rec)
	waitOutput(t, p, "run 1 of 2")
	p.interrupt(t)
	if code := p.exitCode(t); code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	out := p.output()
	if want := "gradiorec replay: interrupted (interrupt signal received) before it finished; run it again to complete it\n"; !strings.HasSuffix(out, want) || strings.Contains(out, "context canceled") {
		t.Errorf("output:\n%s\nwant it to end with %q", out, want)
	}
}
