package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// The tests below record the real apps of testdata/apps in the shared
// browser (testBrowser), driving the page with small chromedp actions, on
// every Gradio version under test (GRADIO_VERSIONS=all for the three).

// startRecording starts an app and a recorder on it.
func startRecording(t *testing.T, name, version string, opts ...Option) (*Recorder, *gradiotest.App) {
	t.Helper()
	b := testBrowser(t)
	app := gradiotest.Start(t, name, gradiotest.Version(version))
	return openRecorder(t, b, app.URL+"/", opts...), app
}

func openRecorder(t *testing.T, b *Browser, url string, opts ...Option) *Recorder {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rec, err := New(ctx, url, append([]Option{WithBrowser(b), WithLogf(t.Logf)}, opts...)...)
	if err != nil {
		t.Fatalf("record %s: %v", url, err)
	}
	t.Cleanup(func() { rec.Stop() })
	return rec
}

// eachVersion runs f as a parallel subtest per Gradio version under test.
func eachVersion(t *testing.T, f func(t *testing.T, version string)) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			f(t, v)
		})
	}
}

// act runs chromedp actions in the recorder's tab that make the page call
// the app, waits for the first new call to start (a loaded machine may take
// longer than WaitIdle's settle window to send it), then waits for idle.
func act(t *testing.T, rec *Recorder, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	before := len(rec.Snapshot().Calls)
	actQuiet(t, rec, actions...)
	deadline := time.Now().Add(time.Minute)
	for len(rec.Snapshot().Calls) == before {
		if time.Now().After(deadline) {
			t.Fatal("the page made no call")
		}
		time.Sleep(20 * time.Millisecond)
	}
	waitRecIdle(t, rec)
}

// actQuiet runs chromedp actions that need not make a call (an upload, a
// js-only listener), then waits for idle.
func actQuiet(t *testing.T, rec *Recorder, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(rec.Tab(), time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
	waitRecIdle(t, rec)
}

func waitRecIdle(t *testing.T, rec *Recorder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := rec.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}

// pageJS finds elements of a Gradio page by the label of their component
// (the block-info title of 4.44, 5.x and 6.x) or by a button's text.
const pageJS = `
const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
const blockOf = (el) => { for (let e = el; e; e = e.parentElement) if (e.classList.contains("block") && e.tagName !== "LABEL") return e; return el.parentElement; };
const block = (label) => {
  for (const el of document.querySelectorAll('[data-testid="block-info"], [data-testid="block-label"]'))
    if (norm(el.textContent) === label) return blockOf(el);
  throw new Error("no component labelled " + label);
};
const field = (label) => {
  const el = block(label).querySelector('textarea, input[type="number"], input[type="text"], input:not([type])');
  if (!el) throw new Error("no text field in " + label);
  return el;
};
const button = (text) => {
  const el = [...document.querySelectorAll("button")].find((b) => norm(b.innerText) === text && b.getClientRects().length);
  if (!el) throw new Error("no button " + text + " in " + JSON.stringify([...document.querySelectorAll("button")].map((b) => [norm(b.innerText), b.getClientRects().length])) + " " + document.querySelector(".gradio-container").innerHTML.slice(0, 3000));
  return el;
};
`

// js runs a statement with the helpers of pageJS.
func pgJS(code string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void]("(() => {" + pageJS + code + "})()")
}

// fill sets a text or number field and tells the page it changed.
func pgFill(label, value string) chromedp.Action[chromedp.Void] {
	return pgJS(fmt.Sprintf(`const el = field(%q); el.focus(); el.value = %q;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); el.blur();`, label, value))
}

// click clicks the button with the given text.
func pgClick(text string) chromedp.Action[chromedp.Void] {
	return pgJS(fmt.Sprintf(`button(%q).click();`, text))
}

// choose clicks a radio choice of a component.
func pgChoose(label, value string) chromedp.Action[chromedp.Void] {
	return pgJS(fmt.Sprintf(`block(%q).querySelector('input[type="radio"][value=%q]').click();`, label, value))
}

// submit types text into a field and presses Enter, with real key events.
func pgSubmit(label, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		pgJS(fmt.Sprintf(`const el = field(%q); el.value = ""; el.dispatchEvent(new Event("input", {bubbles: true})); el.setAttribute("data-rectest", "target");`, label)),
		chromedp.SendKeys(chromedp.CSS(`[data-rectest="target"]`), text+"\r"),
		pgJS(`document.querySelector('[data-rectest="target"]').removeAttribute("data-rectest");`),
	)
}

// stop ends the recording and checks it is valid.
func stopRec(t *testing.T, rec *Recorder) *recording.Recording {
	t.Helper()
	r, err := rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("invalid recording: %v", err)
	}
	return r
}

// calls returns the calls of an endpoint.
func callsOf(r *recording.Recording, apiName string) []recording.Call {
	var out []recording.Call
	for _, c := range r.Calls {
		if c.APIName == apiName {
			out = append(out, c)
		}
	}
	return out
}

// one returns the only call of an endpoint.
func oneCall(t *testing.T, r *recording.Recording, apiName string) recording.Call {
	t.Helper()
	cs := callsOf(r, apiName)
	if len(cs) != 1 {
		t.Fatalf("%d calls of %s, want 1; calls: %s", len(cs), apiName, jsonOf(r.Calls))
	}
	return cs[0]
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// inputs renders a call's named inputs as name=value pairs.
func argsOf(c recording.Call) string {
	var s []string
	for _, a := range c.Inputs {
		s = append(s, a.Name+"="+string(a.Value))
	}
	return strings.Join(s, " ")
}

func valsOf(vals []json.RawMessage) string {
	var s []string
	for _, v := range vals {
		s = append(s, string(v))
	}
	return strings.Join(s, " ")
}

func TestRecordText(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		rec, _ := startRecording(t, "text", v)
		act(t, rec, pgClick("Analyze"))
		act(t, rec, pgSubmit("text", "héllo wörld ✓ \"q\""))
		r := stopRec(t, rec)
		cs := callsOf(r, "/analyze")
		if len(cs) != 2 {
			t.Fatalf("calls %s", jsonOf(r.Calls))
		}
		if got := valsOf(cs[0].Outputs); got != `"dlrow oidarg olleH" 3 {"length":18,"upper":"HELLO GRADIO WORLD","words":["Hello","gradio","world"]}` {
			t.Errorf("outputs %s", got)
		}
		if got := argsOf(cs[1]); got != `text="héllo wörld ✓ \"q\""` {
			t.Errorf("inputs %s", got)
		}
		if got := valsOf(cs[1].Outputs); got != `"\"q\" ✓ dlröw olléh" 4 {"length":17,"upper":"HÉLLO WÖRLD ✓ \"Q\"","words":["héllo","wörld","✓","\"q\""]}` {
			t.Errorf("outputs %s", got)
		}
	})
}

func TestRecordState(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		rec, _ := startRecording(t, "state", v)
		act(t, rec, pgSubmit("word", "hello"))
		act(t, rec, pgSubmit("word", "world"))
		act(t, rec, pgClick("List words"))
		// A reload starts a new session with fresh State.
		if err := chromedp.Do(rec.Tab(), chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		rec.waitRendered(rec.Tab())
		act(t, rec, pgSubmit("word", "again"))
		r := stopRec(t, rec)
		cs := callsOf(r, "/count_words")
		if len(cs) != 3 {
			t.Fatalf("calls %s", jsonOf(r.Calls))
		}
		if again := cs[2]; again.Session == cs[0].Session || valsOf(again.Outputs) != `1 "again"` || len(r.Sessions) != 2 {
			t.Errorf("after the reload: %s; sessions %v", jsonOf(again), r.Sessions)
		}
		cs = cs[:2]
		if len(cs) != 2 {
			t.Fatalf("calls %s", jsonOf(r.Calls))
		}
		if argsOf(cs[0]) != `word="hello"` || argsOf(cs[1]) != `word="world"` {
			t.Errorf("inputs %s / %s", argsOf(cs[0]), argsOf(cs[1]))
		}
		if len(cs[1].Data) != 2 || string(cs[1].Data[1]) != "null" {
			t.Errorf("raw data %s, want the State slot as null", jsonOf(cs[1].Data))
		}
		if valsOf(cs[0].Outputs) != `1 "hello"` || valsOf(cs[1].Outputs) != `2 "hello world"` {
			t.Errorf("outputs %s / %s", valsOf(cs[0].Outputs), valsOf(cs[1].Outputs))
		}
		list := oneCall(t, r, "/list_words")
		if argsOf(list) != "" || valsOf(list.Outputs) != `["hello","world"]` {
			t.Errorf("list_words %s", jsonOf(list))
		}
		if cs[0].Session != cs[1].Session || list.Session != cs[0].Session || r.Sessions[0].ID != cs[0].Session {
			t.Errorf("not one session: %v", r.Sessions)
		}
	})
}

// TestRecordOutputOverLimit records the files app with a journal and an
// output size limit below both outputs: they are listed by hash and size
// only (Stored false), in the journal as soon as their call completes and in
// the saved recording, and the calls refer to them; the uploads are stored.
func TestRecordOutputOverLimit(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		script, err := steps.Load(filepath.Join(gradiotest.Root(t), "testdata", "steps", "files.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "files.json")
		rec, _ := startRecording(t, "files", v, WithJournal(path), WithMaxFileSize(64))
		ctx, cancel := context.WithTimeout(rec.Tab(), 3*time.Minute)
		defer cancel()
		if err := script.Run(ctx, rec.WaitIdle); err != nil {
			t.Fatal(err)
		}

		journal, err := os.ReadFile(recording.JournalPath(path))
		if err != nil {
			t.Fatal(err)
		}
		journaled := map[string]recording.File{}
		for line := range bytes.Lines(journal) {
			var l struct{ File *recording.File }
			if err := json.Unmarshal(line, &l); err != nil {
				t.Fatalf("journal line %s: %v", line, err)
			}
			if l.File != nil {
				journaled[l.File.OrigName] = *l.File
			}
		}
		r := stopRec(t, rec)
		loaded, err := recording.Load(path)
		if err != nil {
			t.Fatal(err)
		}

		want := map[string]struct {
			size   int64
			stored bool
		}{"pattern.png": {341, true}, "sample.txt": {47, true}, "mirrored.png": {84, false}, "sample.stats.txt": {109, false}}
		for what, files := range map[string][]recording.File{"journal": slices.Collect(maps.Values(journaled)), "recording": r.Files, "saved recording": loaded.Files} {
			if len(files) != len(want) {
				t.Errorf("%s lists %s, want %d files", what, jsonOf(files), len(want))
			}
			for _, f := range files {
				if w := want[f.OrigName]; f.Size != w.size || f.Stored != w.stored || !strings.HasPrefix(f.Name, f.SHA256+"/") {
					t.Errorf("%s: %s, want size %d, stored %t", what, jsonOf(f), w.size, w.stored)
				}
			}
		}
		if f := journaled["mirrored.png"]; f.SHA256 != mirroredSHA256 {
			t.Errorf("mirrored.png has sha256 %s, want %s", f.SHA256, mirroredSHA256)
		}
		for api, out := range map[string]string{"/mirror": "mirrored.png", "/stats": "sample.stats.txt"} {
			if got := fixtureIn(oneCall(t, loaded, api).Outputs[0]); got != journaled[out].Name {
				t.Errorf("the output of %s refers to fixture %q, want %q", api, got, journaled[out].Name)
			}
		}
		stored := slices.Sorted(maps.Keys(treeFiles(t, recording.FilesDir(path))))
		if want := []string{journaled["sample.txt"].Name, journaled["pattern.png"].Name}; !slices.Equal(stored, slices.Sorted(slices.Values(want))) {
			t.Errorf("the files folder holds %q, want the uploads %q only", stored, want)
		}
	})
}

func TestRecordMounted(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		app := gradiotest.Start(t, "calculator", gradiotest.Version(v), gradiotest.Env("GRADIOREC_MOUNT_PATH", "/sub/app"))
		rec := openRecorder(t, testBrowser(t), app.URL+"/")
		act(t, rec, pgClick("Submit"))
		r := stopRec(t, rec)
		if !strings.HasSuffix(r.App.Root, "/sub/app") {
			t.Errorf("root %s", r.App.Root)
		}
		if c := oneCall(t, r, "/calculate"); c.Status != recording.Completed || valsOf(c.Outputs) != "7" {
			t.Errorf("call %s", jsonOf(c))
		}
	})
}

func TestRecordIncompleteAtStop(t *testing.T) {
	t.Parallel()
	// /wait sleeps a second: still running when the recording stops.
	rec, _ := startRecording(t, "slow", gradiotest.DefaultVersion)
	ctx, cancel := context.WithTimeout(rec.Tab(), time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, pgClick("Wait")); err != nil {
		t.Fatal(err)
	}
	for rec.InFlight() == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the call did not start")
		case <-time.After(20 * time.Millisecond):
		}
	}
	r := stopRec(t, rec)
	if c := oneCall(t, r, "/wait"); c.Status != recording.Incomplete || c.Outputs != nil {
		t.Errorf("wait %s", jsonOf(c))
	}
	if err := rec.WaitIdle(context.Background()); !errors.Is(err, ErrStopped) {
		t.Errorf("WaitIdle after Stop: %v", err)
	}
}
