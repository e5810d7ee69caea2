package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// TestReplayIntent replays the intent form of chat sessions: each
// ChatInterface turn is one call of the app's public chat endpoint, checked
// against the reply the page got; the faithful replay of the same recording
// still makes every call the page made. A recording whose replies were
// changed fails in the intent form too, so the intent calls are compared.
func TestReplayIntent(t *testing.T) {
	for _, app := range []string{"chat", "chat_tone"} {
		t.Run(app, func(t *testing.T) {
			path := goldenCopy(t, app)
			rec, err := recording.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			srv := gradiotest.Start(t, app)
			intent := replayJSON(t, replay.ExitPass, "--intent", "--url", srv.URL, path)
			if len(intent.Calls) != 2 {
				t.Errorf("the intent replay made %d calls, want 2 (one per chat turn)", len(intent.Calls))
			}
			for _, c := range intent.Calls {
				if c.Status != replay.Passed || c.Endpoint == rec.Calls[c.ID-1].APIName {
					t.Errorf("intent call %d %s: %s, want a passing call of the chat endpoint", c.ID, c.Endpoint, c.Status)
				}
			}
			trace := replayJSON(t, replay.ExitPass, "--url", srv.URL, path)
			if len(trace.Calls) != len(rec.Calls) {
				t.Errorf("the faithful replay made %d calls, the recording has %d", len(trace.Calls), len(rec.Calls))
			}

			// The bot's replies, changed wherever the recording holds them.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			changed := strings.NewReplacer("said", "wrote", "SAID", "WROTE").Replace(string(data))
			if changed == string(data) {
				t.Fatalf("%s: no reply to change", app)
			}
			if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
				t.Fatal(err)
			}
			replayJSON(t, replay.ExitMismatch, "--intent", "--url", srv.URL, path)
		})
	}
	t.Run("learn-noise", func(t *testing.T) {
		code, _, errs := run("replay", "--intent", "--learn-noise", "2", goldenCopy(t, "chat"))
		if code != replay.ExitBadInput || !strings.Contains(errs, "without --intent") {
			t.Errorf("--intent --learn-noise: exit %d\n%s", code, errs)
		}
	})
}

// replayJSON runs replay --json with args, wants the exit code, and returns
// the report.
func replayJSON(t *testing.T, want int, args ...string) *replay.Report {
	t.Helper()
	code, out, errs := run(append([]string{"replay", "--json", "--all"}, args...)...)
	var rep replay.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != want {
		t.Fatalf("replay %s: exit %d, want %d (%v)\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, err, out, errs)
	}
	return &rep
}
