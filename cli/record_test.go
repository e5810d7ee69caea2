package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/recording/recordingtest"
)

func needChromium(t *testing.T) {
	t.Helper()
	_, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
}

// stepsFile returns the shared steps file of a test app.
func stepsFile(t *testing.T, app string) string {
	return filepath.Join(gradiotest.Root(t), "testdata", "steps", app+".yaml")
}

// callLines returns the lines record printed for calls.
func callLines(stderr string) []string {
	var lines []string
	for l := range strings.Lines(stderr) {
		if strings.HasPrefix(l, "  #") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return lines
}

func TestRecordSteps(t *testing.T) {
	needChromium(t)
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			app := gradiotest.Start(t, "calculator", gradiotest.Version(v))
			out := filepath.Join(t.TempDir(), "calculator.json")
			code, stdout, stderr := run("record", "--steps", stepsFile(t, "calculator"), "-o", out, app.URL+"/")
			if code != ExitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing (messages go to stderr)", stdout)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			recordingtest.ValidateSchema(t, data)
			rec, err := recording.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if exists(recording.JournalPath(out)) {
				t.Error("the journal is still there after a save")
			}
			want := []struct {
				status string
				result float64
				line   string
			}{
				{recording.Completed, 7, `#1 /calculate(num1=3, operation="add", num2=4) → 7`},
				{recording.Completed, 6, `#2 /calculate(num1=10, operation="subtract", num2=4) → 6`},
				{recording.Completed, 42, `#3 /calculate(num1=6, operation="multiply", num2=7) → 42`},
				{recording.Completed, 3.5, `#4 /calculate(num1=7, operation="divide", num2=2) → 3.5`},
				{recording.Failed, 0, `#5 /calculate(num1=7, operation="divide", num2=0) → error: Cannot divide by zero!`},
			}
			if len(rec.Calls) != len(want) {
				t.Fatalf("%d calls, want %d:\n%s", len(rec.Calls), len(want), stderr)
			}
			lines := callLines(stderr)
			if len(lines) != len(want) {
				t.Errorf("stderr has %d call lines, want one per call (%d):\n%s", len(lines), len(want), stderr)
			}
			for i, w := range want {
				c := rec.Calls[i]
				if c.APIName != "/calculate" || c.Status != w.status {
					t.Errorf("call %d: %s %s, want /calculate %s", i+1, c.APIName, c.Status, w.status)
				}
				if w.status == recording.Completed {
					var got float64
					if len(c.Outputs) != 1 || json.Unmarshal(c.Outputs[0], &got) != nil || got != w.result {
						t.Errorf("call %d outputs %s, want %v", i+1, c.Outputs, w.result)
					}
				}
				if i < len(lines) && !strings.HasPrefix(sameOnEveryVersion(lines[i]), w.line) {
					t.Errorf("call line %d = %q, want it to start with %q", i+1, lines[i], w.line)
				}
			}
			if want := "saved 5 calls (4 completed, 1 error) to " + out; !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		})
	}
}

// sameOnEveryVersion hides how Gradio versions differ in a call's line: a
// whole float of a Number as an integer ("3.0" → "3"), and the quotes 4.x
// puts around an error message.
func sameOnEveryVersion(s string) string {
	for _, n := range []string{"3", "4", "6", "7", "10", "42", "0", "2"} {
		s = strings.ReplaceAll(s, "="+n+".0", "="+n)
		s = strings.ReplaceAll(s, "→ "+n+".0", "→ "+n)
	}
	return strings.ReplaceAll(s, "error: 'Cannot divide by zero!'", "error: Cannot divide by zero!")
}

func TestRecordOpenErrors(t *testing.T) {
	needChromium(t)
	notGradio := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>a plain web page</body></html>"))
	}))
	defer notGradio.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	auth := gradiotest.Start(t, "auth")
	t.Setenv("GRADIO_USER", "")
	t.Setenv("GRADIO_PASSWORD", "")
	t.Setenv("WRONG_PASSWORD", "not-the-password")

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"not gradio", []string{notGradio.URL}, []string{"not a Gradio app", "check the URL"}},
		{"unreachable", []string{dead.URL}, []string{"unreachable", "is the app running?"}},
		{"login needed", []string{auth.URL}, []string{"needs a login", "--user NAME (or $GRADIO_USER)", "$GRADIO_PASSWORD"}},
		{"login refused", []string{"--user", "admin", "--password-env", "WRONG_PASSWORD", auth.URL},
			[]string{"refused the login", `"admin"`, "check the user name and the password in $WRONG_PASSWORD"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "session.json")
			code, _, stderr := run(append([]string{"record", "-o", out}, tc.args...)...)
			if code != ExitError {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, ExitError, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if exists(out) || exists(recording.JournalPath(out)) {
				t.Error("a recording or a journal was written though nothing was recorded")
			}
		})
	}
}

func TestRecordBadArguments(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.json")
	if err := os.WriteFile(existing, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	interrupted := filepath.Join(dir, "interrupted.json")
	if err := os.WriteFile(recording.JournalPath(interrupted), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badSteps := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badSteps, []byte("steps:\n  - clack: Submit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "new.json")
	t.Setenv("GRADIO_USER", "")
	t.Setenv("NO_SUCH_PASSWORD", "")
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	const url = "http://127.0.0.1:9/"
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{url}, ExitUsage, "say where to save the recording with -o FILE"},
		{[]string{"-o", out}, ExitUsage, "want one app URL, got 0"},
		{[]string{"-o", out, url, url}, ExitUsage, "want one app URL, got 2"},
		{[]string{"-o", out, "--bogus", url}, ExitUsage, "flag provided but not defined"},
		{[]string{"-o", out, "gradio/hello_world"}, ExitUsage, "looks like a Space id"},
		{[]string{"-o", out, "ftp://example.com/"}, ExitUsage, "not an http or https URL"},
		{[]string{"-o", out, "--timeout", "1m", url}, ExitUsage, "--timeout limits a --steps run"},
		{[]string{"-o", out, "--max-file-size", "lots", url}, ExitUsage, `--max-file-size: "lots" is not a size: write bytes, or a number with K, M or G (e.g. 64M)`},
		{[]string{"-o", out, "--timeout", "5", url}, ExitUsage, `--timeout "5" is not a duration: write a number with a unit, e.g. 30s, 5m or 1h30m`},
		{[]string{"-o", out, "--show-browser=maybe", url}, ExitUsage, `--show-browser=maybe: write --show-browser alone to turn it on, or --show-browser=false`},
		{[]string{"-o", out, "--timeout"}, ExitUsage, "flag needs an argument: -timeout"},
		{[]string{"-o", out, "--user", "ann", "--password-env", "NO_SUCH_PASSWORD", url}, ExitUsage,
			`no password for user "ann": set the environment variable NO_SUCH_PASSWORD`},
		{[]string{"-o", dir + "/x.files", url}, ExitUsage, "may not be named *.files"},
		{[]string{"-o", dir, url}, ExitUsage, "is a folder"},
		{[]string{"-o", existing, url}, ExitUsage, "old.json exists: give another -o FILE, or --force to replace it"},
		{[]string{"-o", interrupted, url}, ExitUsage, "gradiorec recover " + interrupted},
		{[]string{"-o", interrupted, "--force", url}, ExitUsage, "gradiorec recover " + interrupted},
		{[]string{"-o", filepath.Join(dir, "no", "such", "x.json"), url}, ExitUsage, "does not exist"},
		{[]string{"-o", out, "--steps", filepath.Join(dir, "missing.yaml"), url}, ExitUsage, "missing.yaml"},
		{[]string{"-o", out, "--steps", badSteps, url}, ExitUsage, "clack"},
		{[]string{"-o", out, "--show-browser", url}, ExitError, "--show-browser needs a display"},
		{[]string{"-o", out, "--chromium", filepath.Join(dir, "no-chromium"), url}, ExitError, "no Chromium found: " + filepath.Join(dir, "no-chromium")},
	} {
		code, _, stderr := run(append([]string{"record"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("record %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
		// One message, not Go's flag defaults.
		if strings.Contains(stderr, "Usage of") || strings.Count(stderr, tc.want) != 1 {
			t.Errorf("record %v: stderr %q says it more than once, or prints Go's usage", tc.args, stderr)
		}
	}
	t.Setenv("GRADIOREC_CHROMIUM", filepath.Join(dir, "no-chromium"))
	if code, _, stderr := run("record", "-o", out, url); code != ExitError || !strings.Contains(stderr, "check $GRADIOREC_CHROMIUM") {
		t.Errorf("a wrong $GRADIOREC_CHROMIUM: exit %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(existing); string(data) != "precious" {
		t.Errorf("the existing file was changed: %q", data)
	}
	if exists(out) || exists(recording.JournalPath(out)) {
		t.Error("a bad command line wrote a recording or a journal")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1048576": 1 << 20, "512K": 512 << 10, "512kb": 512 << 10, "64M": 64 << 20,
		"64MB": 64 << 20, "64MiB": 64 << 20, " 2 G ": 2 << 30, "1GiB": 1 << 30,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "M", "-1", "1.5G", "64T", "lots", "99999999999G"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestCallLine(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	long := strings.Repeat("a", 100)
	for _, tc := range []struct {
		call recording.Call
		want string
	}{
		{recording.Call{ID: 1, APIName: "/calculate", Status: recording.Completed, Duration: 0.214,
			Inputs:  []recording.Arg{{Name: "num1", Value: raw("3")}, {Name: "operation", Value: raw(`"add"`)}},
			Outputs: []json.RawMessage{raw("7")}},
			`#1 /calculate(num1=3, operation="add") → 7  0.21s`},
		{recording.Call{ID: 2, FnIndex: 4, Status: recording.Completed, Duration: 12.34,
			Inputs:  []recording.Arg{{Name: "text", Value: raw(`"line one\nline two"`)}},
			Outputs: []json.RawMessage{raw(`"` + long + `"`), raw(`{"b": [1, 2], "a": null}`)}},
			`#2 fn_index 4(text="line one\nline two") → ("` + strings.Repeat("a", 39) + `…", {"a": null, "b": [1, 2]})  12.3s`},
		{recording.Call{ID: 3, APIName: "/mirror", Status: recording.Completed, Duration: 75,
			Inputs:  []recording.Arg{{Name: "image", Value: raw(`{"path": "/tmp/gradio/x/cat.png", "orig_name": "cat.png", "meta": {"_type": "gradio.FileData"}}`)}},
			Outputs: []json.RawMessage{raw(`{"fixture": "abc/mirrored.png", "path": "/tmp/gradio/y/mirrored.png"}`)}},
			`#3 /mirror(image=file(cat.png)) → file(mirrored.png)  1m15s`},
		{recording.Call{ID: 4, APIName: "/calculate", Status: recording.Failed, Duration: 0.1,
			Error: &recording.Error{Message: "Cannot divide\nby zero!", Title: "Error"}},
			`#4 /calculate() → error: Cannot divide by zero!  0.10s`},
		{recording.Call{ID: 5, APIName: "/ticker", Status: recording.Cancelled, Duration: 2,
			Updates: [][]json.RawMessage{{raw(`"tick 1"`)}, {raw(`"tick 2"`)}}},
			`#5 /ticker() → cancelled, last "tick 2" (2 updates)  2.00s`},
		{recording.Call{ID: 6, APIName: "/wait", Status: recording.Incomplete, Inputs: []recording.Arg{{Name: "label", Value: raw(`"b"`)}}},
			`#6 /wait(label="b") → incomplete: still running when the recording ended  0.00s`},
		{recording.Call{ID: 7, APIName: "/list", Status: recording.Completed, Outputs: []json.RawMessage{}},
			`#7 /list() → ok  0.00s`},
		{recording.Call{ID: 8, APIName: "/greet", Status: recording.Completed,
			Inputs:  []recording.Arg{{Name: "name", Value: raw(`"my secret-pw and hf_AbCdEfGhIjKlMnOpQrStUv"`)}},
			Outputs: []json.RawMessage{raw(`{"password": "x", "ok": true}`)}},
			`#8 /greet(name="my <redacted> and <redacted>") → {"ok": true, "password": "<redacted>"}  0.00s`},
		// What an app says cannot drive the terminal (OSC 52 writes the
		// clipboard) nor reorder the line (U+202E).
		{recording.Call{ID: 9, APIName: "/x\x1b[2J", Status: recording.Completed,
			Inputs:  []recording.Arg{{Name: "in\x1b]52;c;aGk=\x07", Value: raw(`{"orig_name": "a\u001b]0;t\u0007.png", "meta": {"_type": "gradio.FileData"}}`)}},
			Outputs: []json.RawMessage{raw(`"ok\u202e\u0085"`), raw(`"\u001b[31mred"`)}},
			`#9 /x\x1b[2J(in\x1b]52;c;aGk=\x07=file(a\x1b]0;t\x07.png)) → ("ok\u202e\u0085", "\x1b[31mred")  0.00s`},
		{recording.Call{ID: 10, APIName: "/fail", Status: recording.Failed,
			Error: &recording.Error{Title: "T\u202e", Message: "bad\x1b]52;c;aGk=\x07 http://ann:pw@host/"}},
			`#10 /fail() → error: T\u202e: bad\x1b]52;c;aGk=\x07 http://ann:<redacted>@host/  0.00s`},
	} {
		if got := callLine(tc.call, "secret-pw"); got != tc.want {
			t.Errorf("callLine(#%d)\n got %s\nwant %s", tc.call.ID, got, tc.want)
		}
	}
}

func TestRecover(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.json")
	journalOf(t, path)

	code, _, stderr := run("recover", path)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "recovered 2 calls (1 completed, 1 incomplete) from " + recording.JournalPath(path) + " into " + path; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q lacks %q", stderr, want)
	}
	rec, err := recording.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 2 || rec.Calls[0].Status != recording.Completed || rec.Calls[1].Status != recording.Incomplete {
		t.Errorf("calls %+v", rec.Calls)
	}
	if exists(recording.JournalPath(path)) {
		t.Error("the journal is still there")
	}

	// Nothing to recover; a recording saved before; another name.
	code, _, stderr = run("recover", path)
	if code != ExitError || !strings.Contains(stderr, "was saved, nothing to recover") {
		t.Errorf("no journal: exit %d, stderr %q", code, stderr)
	}
	journalOf(t, path)
	before, _ := os.ReadFile(path)
	code, _, stderr = run("recover", path)
	if code != ExitError || !strings.Contains(stderr, "give -o NEW") {
		t.Errorf("over a saved recording: exit %d, stderr %q", code, stderr)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("recover changed the saved recording without --force")
	}
	other := filepath.Join(dir, "other.json")
	code, _, stderr = run("recover", "-o", other, recording.JournalPath(path))
	if code != ExitOK {
		t.Fatalf("-o: exit %d: %s", code, stderr)
	}
	if _, err := recording.Load(other); err != nil {
		t.Error(err)
	}
	code, _, stderr = run("recover", filepath.Join(dir, "none.json"))
	if code != ExitError || !strings.Contains(stderr, "no journal at") {
		t.Errorf("no journal at all: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run("recover")
	if code != ExitUsage {
		t.Errorf("no argument: exit %d, stderr %q", code, stderr)
	}
}

// TestRecoverFolder: a folder given where a recording's file is wanted is a
// bad argument that says what to give instead, never "was saved".
func TestRecoverFolder(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	holder := filepath.Join(dir, "holder")
	for _, d := range []string{empty, holder} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	inside := filepath.Join(holder, "session.json")
	journalOf(t, inside)
	// A folder took the name of an interrupted recording.
	taken := filepath.Join(dir, "taken.json")
	journalOf(t, taken)
	if err := os.Mkdir(taken, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{empty}, empty + " is a folder: give a recording's file as FILE, e.g. " + filepath.Join(empty, "session.json")},
		{[]string{holder}, holder + " is a folder: give a recording's file as FILE; the folder holds one interrupted recording: `gradiorec recover " + inside + "`"},
		{[]string{"-o", empty, inside}, empty + " is a folder: give a recording's file as -o NEW"},
		{[]string{taken}, taken + " is a folder, where the recording of " + recording.JournalPath(taken) + " would go: give -o NEW to save it elsewhere"},
	} {
		code, _, stderr := run(append([]string{"recover"}, tc.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "was saved") {
			t.Errorf("recover %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, ExitUsage, tc.want)
		}
	}
	if !exists(recording.JournalPath(inside)) || !exists(recording.JournalPath(taken)) {
		t.Fatal("a refused recover touched a journal")
	}
	// The way out the message gives.
	other := filepath.Join(dir, "other.json")
	if code, _, stderr := run("recover", "-o", other, taken); code != ExitOK {
		t.Fatalf("recover -o %s %s: exit %d: %s", other, taken, code, stderr)
	}
	if _, err := recording.Load(other); err != nil {
		t.Error(err)
	}
}

// journalOf leaves the journal an interrupted recording of path would: one
// call that ended, one still running.
func journalOf(t *testing.T, path string) {
	t.Helper()
	header := &recording.Recording{
		Tool: "gradiorec test",
		App: recording.App{URL: "http://127.0.0.1:7860/", Root: "http://127.0.0.1:7860", APIPrefix: "/gradio_api",
			Version: "6.31.0", Protocol: "sse_v3", Endpoints: []recording.Endpoint{{
				FnIndex: 0, APIName: "/greet", Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs:  []recording.Component{{ID: 1, Type: "textbox"}},
				Outputs: []recording.Component{{ID: 2, Type: "textbox"}},
			}}},
	}
	j, err := recording.CreateJournal(path, header)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.AddSession(recording.Session{ID: "s1", Hash: "abc"}); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Ann", "Bob"} {
		c := recording.Call{ID: i + 1, Session: "s1", FnIndex: 0, APIName: "/greet", Via: recording.ViaQueue,
			Inputs: []recording.Arg{{Name: "name", Value: json.RawMessage(fmt.Sprintf("%q", name))}},
			Data:   []json.RawMessage{json.RawMessage(fmt.Sprintf("%q", name))}}
		if err := j.Start(c); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			c.Status = recording.Completed
			c.Outputs = []json.RawMessage{json.RawMessage(`"Hello, Ann!"`)}
			if err := j.Append(c); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestRecordTimeout(t *testing.T) {
	needChromium(t)
	app := gradiotest.Start(t, "calculator")
	dir := t.TempDir()
	steps := filepath.Join(dir, "forever.yaml")
	if err := os.WriteFile(steps, []byte("steps:\n  - wait: 10m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "session.json")
	code, _, stderr := run("record", "--steps", steps, "--timeout", "20s", "-o", out, app.URL+"/")
	want := "the steps did not finish within --timeout 20s while step 1 (wait: 10m) was running: the recording holds what happened until then"
	if code != ExitError || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, ExitError, want)
	}
	if _, err := recording.Load(out); err != nil {
		t.Errorf("the recording cut short does not load: %v", err)
	}
}

// TestRecordOpenTimeout: opening an app that accepts connections and never
// answers ends at --open-timeout, with or without --timeout, and says so.
func TestRecordOpenTimeout(t *testing.T) {
	needChromium(t)
	srv := gradiotest.SilentServer(t)
	dir := t.TempDir()
	steps := filepath.Join(dir, "steps.yaml")
	if err := os.WriteFile(steps, []byte("steps:\n  - wait: 1s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--open-timeout", "3s", srv}, "did not open within 3s (--open-timeout)"},
		{[]string{"--steps", steps, "--timeout", "10s", "--open-timeout", "3s", srv}, "did not open within 3s (--open-timeout)"},
		{[]string{"--steps", steps, "--timeout", "4s", srv}, "did not open within 4s (--timeout)"},
	} {
		out := filepath.Join(t.TempDir(), "session.json")
		start := time.Now()
		code, _, stderr := run(append([]string{"record", "-o", out}, tc.args...)...)
		if code != ExitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", tc.args, code, stderr, ExitError, tc.want)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("%v took %s", tc.args, d)
		}
		if exists(out) || exists(recording.JournalPath(out)) {
			t.Errorf("%v: a recording or a journal was written though nothing was recorded", tc.args)
		}
	}
	if code, _, stderr := run("record", "-o", filepath.Join(dir, "x.json"), "--open-timeout", "0s", srv); code != ExitUsage || !strings.Contains(stderr, "--open-timeout 0s is not positive") {
		t.Errorf("--open-timeout 0s: exit %d, stderr %q", code, stderr)
	}
}
