package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// TestDesktopEndToEnd uses the real desktop app as a person does, on a
// virtual display: it records the calculator app by typing and clicking in
// the live view, stops, exports the Python script through the native
// folder dialog and runs it with gradio_client, then replays the recording.
// Screenshots of each stage are logged (and copied to the folder
// GRADIOREC_SCREENSHOTS names, if any).
func TestDesktopEndToEnd(t *testing.T) {
	needDesktopTools(t)
	calc := gradiotest.Start(t, "calculator")
	python := gradiotest.Python(t, gradiotest.DefaultVersion)
	bin := buildDesktop(t)
	d := startDisplay(t)
	app := startDesktop(t, bin, d)

	// Interactive: the window is up and its frontend has reported the view.
	win := d.window(`^gradiorec `)
	app.liveView()
	t.Logf("launch → interactive window: %s", since(app.started))
	d.screenshot("empty")

	// Record: the URL bar, the app's URL, Record.
	d.keys(win, "ctrl+l")
	d.typeText(win, calc.URL+"/")
	record := time.Now()
	d.keys(win, "ctrl+r")
	journal := app.waitJournal()
	t.Logf("Record → recording (the journal is there): %s", since(record))
	d.keys(win, "Escape") // closes the URL bar's list of recent URLs, over the view
	on := waitCalculator(t, d, app, win, calc.URL+"/")

	// 15 × 3, typed and clicked in the live view.
	d.click(on.Num1)
	d.keys(win, "ctrl+a")
	d.typeText(win, "15")
	d.click(on.Multiply)
	d.click(on.Num2)
	d.keys(win, "ctrl+a")
	d.typeText(win, "3")
	d.click(on.Submit)
	wantInputs := map[string]any{"num1": 15.0, "operation": "multiply", "num2": 3.0}
	defer func() {
		if t.Failed() { // say what the page did instead
			t.Logf("the journal holds the calls %s", callsJSON(journalCalls(journal)))
		}
	}()
	app.waitFor("a completed /calculate(15, multiply, 3) = 45 in the journal "+journal, func() bool {
		calls := journalCalls(journal)
		return len(calls) == 1 && isCalculation(calls[0], wantInputs, 45.0)
	})
	d.screenshot("recording")

	// Stop: the journal becomes a recording in the autosave folder.
	d.keys(win, "ctrl+shift+x")
	saved := strings.TrimSuffix(journal, ".journal")
	var rec *recording.Recording
	app.waitFor("the recording saved at "+saved, func() bool {
		var err error
		rec, err = recording.Load(saved)
		return err == nil
	})
	if len(rec.Calls) != 1 || !isCalculation(rec.Calls[0], wantInputs, 45.0) {
		t.Fatalf("the saved recording has the calls %s, want one /calculate(15, multiply, 3) = 45", callsJSON(rec.Calls))
	}

	// Export the Python script to a folder chosen in GTK's native dialog.
	dir := t.TempDir()
	d.keys(win, "ctrl+2", "ctrl+e")
	const chooser = `^Export the `
	dialog := d.window(chooser)
	// The chooser opens on Recent, where a typed folder cannot be chosen:
	// Home first, then the folder's path in the location bar.
	d.keys(dialog, "alt+Home", "ctrl+l")
	d.typeText(dialog, dir)
	d.keys(dialog, "Return")
	app.waitFor("the folder dialog to close after choosing "+dir, func() bool { return !d.shows(chooser) })
	var script string
	app.waitFor("an exported project (*.py, README.md, requirements.txt) in "+dir, func() bool {
		py, _ := filepath.Glob(filepath.Join(dir, "*.py"))
		if len(py) == 1 && exists(filepath.Join(dir, "README.md")) && exists(filepath.Join(dir, "requirements.txt")) {
			script = py[0]
		}
		return script != ""
	})
	d.screenshot("code")
	if got := runScript(t, python, script, calc.URL); got != 45 {
		t.Errorf("%s printed %v, want 45", filepath.Base(script), got)
	}

	// Replay the recording against the app.
	d.keys(win, "ctrl+3", "ctrl+Return")
	m := app.waitLine("the replay's report", regexp.MustCompile(`replay (\S+): (\S+), (\d+) passed, (\d+) failed`))
	d.screenshot("replay")
	if m[2] != "pass" || m[3] != "1" || m[4] != "0" {
		t.Errorf("replay: %s, %s passed, %s failed; want pass, 1 passed, 0 failed", m[2], m[3], m[4])
	}

	rss, tree := app.memory()
	t.Logf("memory at the end: the app's process %d MiB (RSS); with WebKit's and Chromium's processes %d MiB (PSS)", rss/1024, tree/1024)
}

// since is the time from start until now, to the millisecond.
func since(start time.Time) time.Duration { return time.Since(start).Round(time.Millisecond) }

// waitJournal waits until a recording's journal appears in the autosave
// folder, which Record makes once the app is loaded, and returns its path.
func (a *desktop) waitJournal() string {
	a.t.Helper()
	var path string
	a.waitFor("a journal in "+filepath.Join(a.data, "autosave"), func() bool {
		found, _ := filepath.Glob(filepath.Join(a.data, "autosave", "*.json.journal"))
		if len(found) > 0 {
			path = found[0]
		}
		return path != ""
	})
	return path
}

// waitCalculator waits until the live view shows the calculator, and
// returns where its controls are on the screen. The view shows it once the
// screen has the Submit button's colour where a tab of the view's size has
// it.
func waitCalculator(t *testing.T, d *display, app *desktop, win, url string) calculator {
	t.Helper()
	located := map[image.Point]calculator{} // by the view's size
	var on calculator
	var seen color.Color
	defer func() {
		if t.Failed() {
			t.Logf("the Submit button's colour: %v on the screen at %v, %v in the reference tab", seen, on.Probe, on.ProbeColour)
		}
	}()
	app.waitFor("the calculator in the live view", func() bool {
		view := app.liveView()
		c, ok := located[view.Size()]
		if !ok {
			c = locateCalculator(t, url, view.Size())
			located[view.Size()] = c
		}
		at := d.origin(win).Add(view.Min)
		on = c
		for _, p := range []*image.Point{&on.Num1, &on.Multiply, &on.Num2, &on.Submit, &on.Probe} {
			*p = p.Add(at)
		}
		seen = d.screen().At(on.Probe.X, on.Probe.Y)
		return near(seen, c.ProbeColour, 24)
	})
	return on
}

// journalCalls returns the calls of a journal that ended, in order.
func journalCalls(path string) []recording.Call {
	data, _ := os.ReadFile(path)
	var calls []recording.Call
	for line := range bytes.Lines(data) {
		var l struct {
			Completed *recording.Call `json:"completed"`
		}
		if json.Unmarshal(line, &l) == nil && l.Completed != nil { // the last line may be half-written
			calls = append(calls, *l.Completed)
		}
	}
	return calls
}

// isCalculation reports whether c is a completed /calculate call with the
// inputs (by name, as JSON values) and the output.
func isCalculation(c recording.Call, inputs map[string]any, output any) bool {
	if c.APIName != "/calculate" || c.Status != recording.Completed || len(c.Outputs) != 1 || len(c.Inputs) != len(inputs) {
		return false
	}
	for _, in := range c.Inputs {
		if !jsonIs(in.Value, inputs[in.Name]) {
			return false
		}
	}
	return jsonIs(c.Outputs[0], output)
}

func jsonIs(raw json.RawMessage, want any) bool {
	var v any
	return json.Unmarshal(raw, &v) == nil && reflect.DeepEqual(v, want)
}

func callsJSON(calls []recording.Call) string {
	data, _ := json.MarshalIndent(calls, "", "  ")
	return string(data)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// runScript runs an exported Python script with gradio_client against the
// app and returns the number it printed last.
func runScript(t *testing.T, python, script, url string) float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, script)
	cmd.Dir = filepath.Dir(script)
	cmd.Env = append(os.Environ(), "GRADIO_URL="+url)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python %s: %v\nstdout:\n%s\nstderr:\n%s", script, err, out, stderr.Bytes())
	}
	t.Logf("python %s printed:\n%s", filepath.Base(script), out)
	lines := strings.Fields(string(out))
	if len(lines) == 0 {
		t.Fatalf("python %s printed nothing", script)
	}
	n, err := strconv.ParseFloat(lines[len(lines)-1], 64)
	if err != nil {
		t.Fatalf("python %s: the last line is not a number: %v", script, err)
	}
	return n
}
