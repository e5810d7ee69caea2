package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// TestRecordViaExtension records a steps file through the browser
// extension: Chromium starts with it loaded, it pairs with record's own
// relay server, and it captures the calls the steps cause. (That both
// sources record the same sessions, field by field, is the recorder's
// TestGoldenRecordingsViaExtension.)
func TestRecordViaExtension(t *testing.T) {
	needChromium(t)
	app := gradiotest.Start(t, "stream")
	out := filepath.Join(t.TempDir(), "stream.json")
	code, _, stderr := run("record", "--via", "extension", "--steps", stepsFile(t, "stream"), "-o", out, app.URL+"/")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	rec, err := recording.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) == 0 {
		t.Fatalf("no calls recorded:\n%s", stderr)
	}
	for _, c := range rec.Calls {
		if c.Status != recording.Completed && c.Status != recording.Cancelled {
			t.Errorf("call %d %s: %s", c.ID, c.APIName, c.Status)
		}
	}
	if lines := callLines(stderr); len(lines) != len(rec.Calls) {
		t.Errorf("%d call lines for %d calls:\n%s", len(lines), len(rec.Calls), stderr)
	}
	if !strings.Contains(stderr, "saved ") {
		t.Errorf("stderr does not say where it saved:\n%s", stderr)
	}
}

func TestRecordViaBad(t *testing.T) {
	code, _, stderr := run("record", "--via", "carrier-pigeon", "-o", filepath.Join(t.TempDir(), "x.json"), "http://127.0.0.1:7860/")
	if code != ExitUsage || !strings.Contains(stderr, "cdp (the default) or extension") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
