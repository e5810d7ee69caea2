package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/replay"
)

// What testdata/apps/_hostile.py puts in its names, labels, outputs and
// errors, and how gradiorec must show it.
const (
	clipboard        = "\x1b]52;c;Z3JhZGlvcmVjIHdhcyBoZXJl\x07" // OSC 52: write "gradiorec was here" to the clipboard
	clipboardEscaped = `\x1b]52;c;Z3JhZGlvcmVjIHdhcyBoZXJl\x07`
	shoutAPI         = "/shout" + clipboard
	failAPI          = "/fail\u202e\x1b[2J"
)

// rawControls lists what in s a terminal would act on: C0 controls but the
// line break, DEL, C1 controls, bidi overrides and isolates, bytes that are
// not UTF-8.
func rawControls(s string) []string {
	var found []string
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd"):
			found = append(found, fmt.Sprintf("byte %#x at %d", s[i], i))
		case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			found = append(found, fmt.Sprintf("%U at %d", r, i))
		}
	}
	return found
}

// checkPrinted fails the test if what a command printed holds a raw
// control, or lacks a piece that shows the app's escape sequences escaped.
func checkPrinted(t *testing.T, what, printed string, want ...string) {
	t.Helper()
	if found := rawControls(printed); len(found) > 0 {
		t.Errorf("%s holds raw controls (%s):\n%q", what, strings.Join(found, ", "), printed)
	}
	for _, w := range want {
		if !strings.Contains(printed, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, printed)
		}
	}
}

// TestHostileApp runs every command that prints what an app says against an
// app whose api names, labels, outputs and errors hold ESC[2J, OSC 52, BEL
// and U+202E: nothing reaches the terminal raw; JSON output still decodes
// to what the app said.
func TestHostileApp(t *testing.T) {
	app := gradiotest.Start(t, "_hostile")

	t.Run("inspect", func(t *testing.T) {
		code, out, errs := run("inspect", app.URL)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		checkPrinted(t, "inspect", out, `api_name="/shout`+clipboardEscaped+`"`, `api_name="/fail\u202e\x1b[2J"`)

		code, out, errs = run("inspect", "--json", app.URL)
		if code != ExitOK {
			t.Fatalf("--json: exit %d: %s", code, errs)
		}
		checkPrinted(t, "inspect --json", out, `\u202e`)
		var api struct {
			Endpoints []struct {
				APIName string `json:"api_name"`
			} `json:"endpoints"`
		}
		if err := json.Unmarshal([]byte(out), &api); err != nil || len(api.Endpoints) != 2 ||
			api.Endpoints[0].APIName != shoutAPI || api.Endpoints[1].APIName != failAPI {
			t.Errorf("--json decodes as %+v (%v), want the app's own names", api.Endpoints, err)
		}
	})

	t.Run("call", func(t *testing.T) {
		code, out, errs := run("call", app.URL, shoutAPI, "yo")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		checkPrinted(t, "call's output", out, `\u202eYO #`)
		var got []string
		if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || !strings.HasPrefix(got[0], "\x1b[2J"+clipboard+"\u202eYO #") {
			t.Errorf("call's output decodes as %q (%v)", got, err)
		}
		code, _, errs = run("call", app.URL, failAPI, "yo")
		if code != ExitError {
			t.Errorf("/fail: exit %d, want %d", code, ExitError)
		}
		checkPrinted(t, "call's error", errs, clipboardEscaped+`no\x1b[2J`)
	})

	// record and replay --all: the call lines, the diffs and the errors.
	needChromium(t)
	out := filepath.Join(t.TempDir(), "hostile.json")
	code, _, errs := run("record", "--steps", testdataPath(t, "hostile.yaml"), "-o", out, app.URL+"/")
	if code != ExitOK {
		t.Fatalf("record: exit %d:\n%s", code, errs)
	}
	// A string value is quoted as Go quotes it: BEL is \a.
	checkPrinted(t, "record", errs, "/shout"+clipboardEscaped+`(text="hey") → "\x1b[2J\x1b]52;c;Z3JhZGlvcmVjIHdhcyBoZXJl\a\u202eHE`,
		`/fail\u202e\x1b[2J(text="hey") → error: `+clipboardEscaped+`no\x1b[2J`)

	// The app counts its calls: the replayed /shout differs from the recorded one.
	code, stdout, errs := run("replay", "--all", "--url", app.URL, out)
	if code != replay.ExitMismatch {
		t.Errorf("replay: exit %d, want %d\n%s%s", code, replay.ExitMismatch, stdout, errs)
	}
	checkPrinted(t, "replay --all", stdout+errs, "FAIL  call 1 /shout"+clipboardEscaped, `\u202eHEY #`, `call 2 /fail\u202e\x1b[2J`)
	code, stdout, _ = run("replay", "--json", "--url", app.URL, out)
	var rep replay.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != replay.ExitMismatch || len(rep.Calls) != 2 || rep.Calls[0].Endpoint != shoutAPI {
		t.Errorf("replay --json: exit %d, %v\n%s", code, err, stdout)
	}
	checkPrinted(t, "replay --json", stdout)
}
