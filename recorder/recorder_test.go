package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
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

// upload gives a file to the file input of a component.
func pgUpload(label, file string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		pgJS(fmt.Sprintf(`block(%q).querySelector('input[type="file"]').setAttribute("data-rectest", "file");`, label)),
		chromedp.SetUploadFiles(chromedp.CSS(`[data-rectest="file"]`), []string{file}),
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

func TestRecordCalculator(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		rec, app := startRecording(t, "calculator", v)
		act(t, rec, pgClick("Submit"))
		act(t, rec, pgChoose("operation", "divide"), pgFill("num2", "0"), pgClick("Submit"))
		r := stopRec(t, rec)

		if r.App.Version != v || r.App.Root != app.URL || r.App.Protocol != "sse_v3" {
			t.Errorf("app %+v", r.App)
		}
		if want := map[bool]string{true: "", false: "/gradio_api"}[strings.HasPrefix(v, "4.")]; r.App.APIPrefix != want {
			t.Errorf("api prefix %q, want %q", r.App.APIPrefix, want)
		}
		cs := callsOf(r, "/calculate")
		if len(cs) != 2 {
			t.Fatalf("calls %s", jsonOf(r.Calls))
		}
		ok, div := cs[0], cs[1]
		if got := argsOf(ok); got != `num1=3 operation="add" num2=4` {
			t.Errorf("inputs %s", got)
		}
		if ok.Status != recording.Completed || valsOf(ok.Outputs) != "7" || ok.Via != recording.ViaQueue || ok.EventID == "" {
			t.Errorf("3+4: %s", jsonOf(ok))
		}
		if got := argsOf(div); got != `num1=3 operation="divide" num2=0` {
			t.Errorf("inputs %s", got)
		}
		// Gradio 4 quotes a gr.Error's message (str() of the exception is its repr).
		if div.Status != recording.Failed || div.Error == nil || strings.Trim(div.Error.Message, "'") != "Cannot divide by zero!" || div.ServerTime != 0 {
			t.Errorf("3/0: %s", jsonOf(div))
		}
		if ok.Session != div.Session || len(r.Sessions) != 1 {
			t.Errorf("sessions %v", r.Sessions)
		}
		if ok.Duration <= 0 || ok.Started.IsZero() || r.Created.IsZero() || r.Tool == "" {
			t.Errorf("timing %v %v, created %v, tool %q", ok.Started, ok.Duration, r.Created, r.Tool)
		}
	})
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

func TestRecordStream(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		var mu sync.Mutex
		var events []string
		rec, _ := startRecording(t, "stream", v, WithOnEvent(func(e Event) {
			mu.Lock()
			defer mu.Unlock()
			if e.Call.APIName == "/grow" {
				events = append(events, string(e.Kind))
			}
		}))
		act(t, rec, pgClick("Grow"))
		act(t, rec, pgClick("Count"))
		act(t, rec, pgClick("Run with progress"))
		r := stopRec(t, rec)

		grow := oneCall(t, r, "/grow")
		var want []string
		for i := range len("stream me") {
			want = append(want, fmt.Sprintf("%q", "stream me"[:i+1]))
		}
		var got []string
		for _, u := range grow.Updates {
			got = append(got, valsOf(u))
		}
		if !slices.Equal(got, want) || valsOf(grow.Outputs) != `"stream me"` || grow.Status != recording.Completed {
			t.Errorf("grow updates %v, outputs %s", got, valsOf(grow.Outputs))
		}
		mu.Lock()
		if wantEv := "started " + strings.Repeat("updated ", len(want)) + "completed"; strings.Join(events, " ") != wantEv {
			t.Errorf("events %v", events)
		}
		mu.Unlock()

		count := oneCall(t, r, "/count")
		got = nil
		for _, u := range count.Updates {
			got = append(got, valsOf(u))
		}
		if strings.Join(got, " ") != "1 2 3 4 5" || valsOf(count.Outputs) != "5" {
			t.Errorf("count updates %v, outputs %s", got, valsOf(count.Outputs))
		}

		prog := oneCall(t, r, "/progress")
		if valsOf(prog.Outputs) != `"Finished 4 steps"` {
			t.Errorf("progress outputs %s", valsOf(prog.Outputs))
		}
		// Gradio may merge progress updates that come fast.
		last := -1
		for _, p := range prog.Progress {
			if b := p.Bars; len(b) != 1 || b[0].Index == nil || *b[0].Index <= last || b[0].Length == nil || *b[0].Length != 4 ||
				b[0].Desc != "Working" || b[0].Unit != "steps" {
				t.Errorf("progress %s", jsonOf(prog.Progress))
				break
			} else {
				last = *b[0].Index
			}
		}
		if len(prog.Progress) < 2 {
			t.Errorf("progress %s", jsonOf(prog.Progress))
		}
		if len(prog.Log) != 2 || prog.Log[0] != (recording.Log{Level: "info", Message: "Starting 4 steps", Title: prog.Log[0].Title}) ||
			prog.Log[1].Level != "warning" || prog.Log[1].Message != "Almost done" {
			t.Errorf("log %s", jsonOf(prog.Log))
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

func TestRecordFiles(t *testing.T) {
	t.Parallel()
	fixtures := filepath.Join(gradiotest.Root(t), "testdata", "apps", "fixtures")
	png, err := os.ReadFile(filepath.Join(fixtures, "pattern.png"))
	if err != nil {
		t.Fatal(err)
	}
	txt, err := os.ReadFile(filepath.Join(fixtures, "sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	eachVersion(t, func(t *testing.T, v string) {
		path := filepath.Join(t.TempDir(), "files.json")
		rec, _ := startRecording(t, "files", v, WithJournal(path))
		actQuiet(t, rec, pgUpload("image", filepath.Join(fixtures, "pattern.png")))
		waitFile(t, rec, "pattern.png")
		act(t, rec, pgClick("Mirror"))
		actQuiet(t, rec, pgUpload("file", filepath.Join(fixtures, "sample.txt")))
		waitFile(t, rec, "sample.txt")
		act(t, rec, pgClick("Stats"))
		if _, err := os.Stat(recording.JournalPath(path)); err != nil {
			t.Errorf("no journal while recording: %v", err)
		}
		r := stopRec(t, rec)

		files := map[string]recording.File{}
		for _, f := range r.Files {
			files[f.OrigName] = f
		}
		mirror := oneCall(t, r, "/mirror")
		in := inputFixture(t, mirror)
		if f := files["pattern.png"]; f.Name != in || f.Role != recording.RoleInput || !f.Stored || f.SHA256 != sum(png) || f.Size != int64(len(png)) {
			t.Errorf("input fixture %+v (call refers to %q)", f, in)
		}
		checkFixture(t, path, in, png)
		out := outputFixture(t, mirror)
		if f := files["mirrored.png"]; f.Name != out || f.Role != recording.RoleOutput || !f.Stored {
			t.Errorf("output fixture %+v (call refers to %q)", f, out)
		}
		mirrored := checkFixture(t, path, out, nil)
		if !bytes.HasPrefix(mirrored, []byte("\x89PNG")) || bytes.Equal(mirrored, png) {
			t.Errorf("mirrored.png: %d bytes %q…", len(mirrored), mirrored[:min(8, len(mirrored))])
		}

		stats := oneCall(t, r, "/stats")
		checkFixture(t, path, inputFixture(t, stats), txt)
		report := checkFixture(t, path, outputFixture(t, stats), nil)
		if want := fmt.Sprintf("name: sample.txt\nbytes: %d\nsha256: %s\n", len(txt), sum(txt)); !strings.HasPrefix(string(report), want) {
			t.Errorf("report %q, want it to start %q", report, want)
		}
		if _, err := os.Stat(recording.JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("journal left after Stop: %v", err)
		}
		if loaded, err := recording.Load(path); err != nil || len(loaded.Calls) != len(r.Calls) {
			t.Errorf("load the saved recording: %v", err)
		}
	})
}

// waitFile waits until an uploaded file is captured (the page has its
// server path, then).
func waitFile(t *testing.T, rec *Recorder, name string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !slices.ContainsFunc(rec.Snapshot().Files, func(f recording.File) bool { return f.OrigName == name }) {
		if time.Now().After(deadline) {
			t.Fatalf("the upload of %s was not captured", name)
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitRecIdle(t, rec)
}

// inputFixture returns the fixture the call's only input refers to.
func inputFixture(t *testing.T, c recording.Call) string {
	t.Helper()
	for fd := range recording.FileDatas(c.Inputs[0].Value) {
		return fd.Fixture
	}
	t.Fatalf("no FileData in the input of %s: %s", c.APIName, jsonOf(c.Inputs))
	return ""
}

// outputFixture returns the fixture the call's first output refers to.
func outputFixture(t *testing.T, c recording.Call) string {
	t.Helper()
	if len(c.Outputs) > 0 {
		for fd := range recording.FileDatas(c.Outputs[0]) {
			return fd.Fixture
		}
	}
	t.Fatalf("no FileData in the outputs of %s: %s", c.APIName, jsonOf(c))
	return ""
}

// checkFixture reads a fixture saved with the recording at path and
// compares it with want (nil: anything).
func checkFixture(t *testing.T, path, name string, want []byte) []byte {
	t.Helper()
	if name == "" {
		t.Error("no fixture")
		return nil
	}
	got, err := os.ReadFile(filepath.Join(recording.FilesDir(path), filepath.FromSlash(name)))
	if err != nil {
		t.Error(err)
		return nil
	}
	if want != nil && !bytes.Equal(got, want) {
		t.Errorf("fixture %s: %q, want %q", name, got, want)
	}
	return got
}

func TestRecordChat(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		rec, _ := startRecording(t, "chat", v)
		act(t, rec, pgJS(`const el = document.querySelector("textarea"); el.setAttribute("data-rectest", "target");`),
			chromedp.SendKeys(chromedp.CSS(`[data-rectest="target"]`), "hi there\r"))
		r := stopRec(t, rec)
		// The bot's call is the one whose updates grow the reply word by word.
		var bot *recording.Call
		for i, c := range r.Calls {
			if len(c.Updates) >= 4 {
				bot = &r.Calls[i]
			}
		}
		if bot == nil {
			t.Fatalf("no streaming call: %s", jsonOf(r.Calls))
		}
		var replies []string
		for _, want := range []string{"You", "You said:", "You said: hi", "You said: hi there"} {
			for i, u := range bot.Updates {
				if strings.Contains(valsOf(u), `"`+want+`"`) {
					replies = append(replies, fmt.Sprint(i))
					break
				}
			}
		}
		if len(replies) != 4 || !slices.IsSortedFunc(replies, func(a, b string) int { return len(a)*100 + strings.Compare(a, b) - len(b)*100 }) {
			t.Errorf("the reply does not grow in order (found at updates %v): %s", replies, jsonOf(bot.Updates))
		}
		if !strings.Contains(valsOf(bot.Outputs), "You said: hi there") || bot.Status != recording.Completed {
			t.Errorf("bot outputs %s", valsOf(bot.Outputs))
		}
		for _, c := range r.Calls {
			if c.Status != recording.Completed {
				t.Errorf("call %d %s: %s", c.ID, c.APIName, c.Status)
			}
		}
	})
}

func TestRecordMulti(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		rec, _ := startRecording(t, "multi", v)
		act(t, rec, pgClick("Shout"))
		act(t, rec, pgClick("Run chain"))
		act(t, rec, pgClick("Length"))
		actQuiet(t, rec, pgClick("Reverse in browser"))
		reversed, err := chromedp.Run(rec.Tab(), chromedp.Evaluate[string](`(() => {`+pageJS+`return field("greeting").value; })()`))
		if err != nil || reversed != "dlroW" {
			t.Errorf("the js-only listener gave %q, %v", reversed, err)
		}
		act(t, rec, pgClick("Whisper"))
		r := stopRec(t, rec)

		shout := oneCall(t, r, "/shout")
		if argsOf(shout) != `name="World"` || valsOf(shout.Outputs) != `"WORLD!"` {
			t.Errorf("undocumented endpoint: %s", jsonOf(shout))
		}
		if ep := r.Endpoint(shout.FnIndex); ep == nil || ep.Visibility != recording.Undocumented {
			t.Errorf("shout endpoint %+v", ep)
		}
		one1, two := oneCall(t, r, "/step_one"), oneCall(t, r, "/step_two")
		if valsOf(one1.Outputs) != `"start -> one"` || argsOf(two) != `text="start -> one"` || valsOf(two.Outputs) != `"start -> one -> two"` ||
			two.ID != one1.ID+1 {
			t.Errorf("chain: %s then %s", jsonOf(one1), jsonOf(two))
		}
		length := oneCall(t, r, "/length")
		if length.Via != recording.ViaRun || valsOf(length.Outputs) != "5" || length.EventID != "" {
			t.Errorf("queue=False: %s", jsonOf(length))
		}
		for _, ep := range r.App.Endpoints {
			if !ep.BackendFn {
				for _, c := range r.Calls {
					if c.FnIndex == ep.FnIndex {
						t.Errorf("a call of the js-only listener %d: %s", ep.FnIndex, jsonOf(c))
					}
				}
			}
		}
		if n := len(r.Calls); n != 5 {
			t.Errorf("%d calls, want 5 (shout, step_one, step_two, length, whisper): %s", n, jsonOf(r.Calls))
		}
		whisper := r.Calls[len(r.Calls)-1]
		if ep := r.Endpoint(whisper.FnIndex); ep == nil || ep.Visibility != recording.Private ||
			argsOf(whisper) != `param_0="World"` || valsOf(whisper.Outputs) != `"world..."` {
			t.Errorf("private endpoint %+v: %s", ep, jsonOf(whisper))
		}
	})
}

func TestRecordCancel(t *testing.T) {
	t.Parallel()
	eachVersion(t, func(t *testing.T, v string) {
		rec, _ := startRecording(t, "slow", v)
		ctx, cancel := context.WithTimeout(rec.Tab(), time.Minute)
		defer cancel()
		if err := chromedp.Do(ctx, pgClick("Start ticker")); err != nil {
			t.Fatal(err)
		}
		for {
			snap := rec.Snapshot()
			if len(snap.Calls) == 1 && len(snap.Calls[0].Updates) >= 3 {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("the ticker did not tick: %s", jsonOf(snap.Calls))
			case <-time.After(50 * time.Millisecond):
			}
		}
		if rec.InFlight() != 1 {
			t.Errorf("in flight %d, want 1", rec.InFlight())
		}
		actQuiet(t, rec, pgClick("Stop"))
		r := stopRec(t, rec)
		ticker := oneCall(t, r, "/ticker")
		if ticker.Status != recording.Cancelled || len(ticker.Updates) < 3 || valsOf(ticker.Updates[0]) != `"tick 1"` {
			t.Errorf("ticker: %s", jsonOf(ticker))
		}
		if len(r.Calls) != 1 {
			t.Errorf("calls %s", jsonOf(r.Calls))
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
