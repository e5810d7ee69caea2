package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

// sink is the window, as the services see it: it keeps every event.
type sink struct {
	mu     sync.Mutex
	events []event
	news   chan struct{} // closed and replaced at each event
}

type event struct {
	name string
	data any
}

func (s *sink) emit(name string, data any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, event{name, data})
	if s.news != nil {
		close(s.news)
		s.news = nil
	}
}

// wait returns once cond holds, checking it again at each event.
func (s *sink) wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	timeout := time.NewTimer(60 * time.Second)
	defer timeout.Stop()
	for {
		s.mu.Lock()
		if s.news == nil {
			s.news = make(chan struct{})
		}
		news := s.news
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-news:
		case <-timeout.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// all returns the payloads of the events called name so far.
func (s *sink) all(name string) []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, e := range s.events {
		if e.name == name {
			out = append(out, e.data)
		}
	}
	return out
}

// completed returns the calls completed so far.
func (s *sink) completed() []recording.Call {
	var calls []recording.Call
	for _, d := range s.all(EventCall) {
		if ev := d.(CallEvent); ev.Kind == recorder.CallCompleted {
			calls = append(calls, ev.Call)
		}
	}
	return calls
}

// dialogs answers the native dialogs as a person would have.
type dialogs struct {
	files  []string
	save   string
	folder string
	open   string
	asked  []string
}

func (d *dialogs) OpenFiles(bool) ([]string, error) {
	d.asked = append(d.asked, "files")
	return d.files, nil
}
func (d *dialogs) OpenRecording() (string, error) {
	d.asked = append(d.asked, "open")
	return d.open, nil
}
func (d *dialogs) SaveRecording(name string) (string, error) {
	d.asked = append(d.asked, "save "+name)
	return d.save, nil
}
func (d *dialogs) SaveHAR(name string) (string, error) {
	d.asked = append(d.asked, "har "+name)
	return d.save, nil
}
func (d *dialogs) Folder(string) (string, error) {
	d.asked = append(d.asked, "folder")
	return d.folder, nil
}

// testApp is an App as the window has it, with a fake window, in folders of
// the test's own.
func testApp(t *testing.T, opts Options) (*App, *sink, *dialogs) {
	t.Helper()
	s, d := &sink{}, &dialogs{}
	dir := t.TempDir()
	if opts.DataDir == "" {
		opts.DataDir = filepath.Join(dir, "data")
	}
	opts.ConfigDir = filepath.Join(dir, "config")
	if opts.ExtensionPort == 0 {
		opts.ExtensionPort = -1 // tests of the extension's backend give a free port
	}
	opts.Emit, opts.Dialogs, opts.Logf = s.emit, d, t.Logf
	a := New(opts)
	a.start(context.Background())
	t.Cleanup(func() { a.Shutdown(context.Background()) })
	return a, s, d
}

// needChromium fails in CI, and skips elsewhere, without Chromium.
func needChromium(t *testing.T) {
	t.Helper()
	_, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// centre returns the centre of the first element matching a CSS selector
// in the live page, in page coordinates.
func centre(t *testing.T, a *App, selector string) (x, y float64) {
	t.Helper()
	a.mu.Lock()
	tab := a.view.tab
	a.mu.Unlock()
	js := fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
		return [r.x + r.width / 2, r.y + r.height / 2]; })()`, selector)
	var xy []float64
	waitFor(t, selector+" in the page", func() bool {
		var err error
		xy, err = chromedp.Run(tab, chromedp.Evaluate[[]float64](js))
		return err == nil && len(xy) == 2
	})
	return xy[0], xy[1]
}

// click clicks the page at (x, y) through the Session, as the view does.
func click(t *testing.T, s *Session, x, y float64) {
	t.Helper()
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		m := MouseInput{Type: typ, X: x, Y: y, Button: "left", Clicks: 1}
		if typ == "mouseMoved" {
			m.Button, m.Clicks = "none", 0
		}
		if err := s.Mouse(m); err != nil {
			t.Fatalf("Mouse(%+v): %v", m, err)
		}
	}
}

// typeText types text through the Session, key by key.
func typeText(t *testing.T, s *Session, text string) {
	t.Helper()
	for _, r := range text {
		k := string(r)
		for _, typ := range []string{"keyDown", "keyUp"} {
			if err := s.Key(KeyInput{Type: typ, Key: k, Text: k}); err != nil {
				t.Fatalf("Key(%q): %v", k, err)
			}
		}
	}
}

// TestRecordInWindow records the calculator as a person in the window
// does: the page is used only through Mouse and Key, the calls arrive as
// events, and the recording is saved, turned into code and replayed.
func TestRecordInWindow(t *testing.T) {
	needChromium(t)
	calc := gradiotest.Start(t, "calculator")
	a, s, d := testApp(t, Options{})

	st, err := a.Session.Record(calc.URL)
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	if st.Mode != Recording || st.URL != calc.URL+"/" && st.URL != calc.URL || !strings.HasSuffix(st.Path, ".json") {
		t.Fatalf("Record state = %+v, want recording %s into an autosave file", st, calc.URL)
	}
	if err := a.Session.Resize(ViewRect{X: 10, Y: 50, Width: 900, Height: 700}); err != nil {
		t.Fatalf("Resize: %v", err)
	}
	waitFor(t, "a frame of the page", func() bool { return len(s.all(EventFrame)) > 0 })
	if f := s.all(EventFrame)[0].(Frame); f.Width != 900 || len(f.Data) < 1000 {
		t.Errorf("frame is %dx%d with %d bytes, want 900 wide with a JPEG", f.Width, f.Height, len(f.Data))
	}

	// num1 := 10, then Submit: 10 + 4.
	x, y := centre(t, a, `input[type=number]`)
	click(t, a.Session, x, y)
	for _, typ := range []string{"keyDown", "keyUp"} {
		if err := a.Session.Key(KeyInput{Type: typ, Key: "a", Code: "KeyA", KeyCode: 65, Modifiers: modCtrl}); err != nil {
			t.Fatal(err)
		}
	}
	typeText(t, a.Session, "10")
	x, y = centre(t, a, `button.primary, button[id$=submit-btn], #component-0 ~ * button`)
	click(t, a.Session, x, y)
	waitFor(t, "the /calculate call", func() bool { return len(s.completed()) > 0 })
	call := s.completed()[0]
	if call.APIName != "/calculate" || call.Status != recording.Completed || string(call.Outputs[0]) != "14" {
		t.Fatalf("call = %s %s %s, want /calculate Completed 14", call.APIName, call.Status, call.Outputs)
	}
	if got := string(call.Inputs[0].Value); got != "10" {
		t.Errorf("num1 = %s, want 10 (typed through Key)", got)
	}
	if st := a.Session.State(); st.Calls != 1 {
		t.Errorf("State().Calls = %d, want 1", st.Calls)
	}

	// Hidden: no frame once SetLive(false) has returned, while the page
	// changes (the second call); live again, frames come again.
	if err := a.Session.SetLive(false); err != nil {
		t.Fatal(err)
	}
	n := len(s.all(EventFrame))
	click(t, a.Session, x, y)
	waitFor(t, "the second call", func() bool { return len(s.completed()) > 1 })
	if got := len(s.all(EventFrame)); got != n {
		t.Errorf("%d frames arrived while the view was hidden", got-n)
	}
	if err := a.Session.SetLive(true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a frame of the view shown again", func() bool { return len(s.all(EventFrame)) > n })

	// The code follows the recording while it is made.
	code, err := a.Code.Generate("python", "script", false)
	if err != nil || !strings.Contains(code.Code, `"/calculate"`) || code.Filename != "replay.py" {
		t.Errorf("Generate(python) while recording = %+v, %v", code, err)
	}
	if _, err := a.Files.SaveTo(filepath.Join(t.TempDir(), "x.json")); err == nil {
		t.Error("SaveTo while recording succeeded, want an error saying to stop first")
	}

	st, err = a.Session.Stop()
	if err != nil || st.Mode != Stopped || st.Calls != 2 || st.Saved {
		t.Fatalf("Stop = %+v, %v; want stopped with 2 calls, not saved yet", st, err)
	}
	autosave := st.Path
	if _, err := recording.Load(autosave); err != nil {
		t.Fatalf("the autosave %s does not load: %v", autosave, err)
	}
	unsaved, err := a.Files.Unsaved()
	if err != nil || len(unsaved) != 1 || unsaved[0].Path != autosave || unsaved[0].Calls != 2 || unsaved[0].Crashed {
		t.Errorf("Unsaved() = %+v, %v; want the autosave with 2 calls", unsaved, err)
	}

	// Save asks where the first time, then saves there without asking.
	d.save = filepath.Join(t.TempDir(), "calc")
	st, err = a.Files.Save()
	want := d.save + ".json"
	if err != nil || st.Path != want || !st.Saved {
		t.Fatalf("Save = %+v, %v; want saved at %s", st, err, want)
	}
	if exists(autosave) {
		t.Errorf("the autosave %s is still there after Save", autosave)
	}
	if _, err := a.Files.Save(); err != nil || len(d.asked) != 1 {
		t.Errorf("second Save: %v, dialogs asked %v, want one dialog in all", err, d.asked)
	}

	dir := t.TempDir()
	d.folder = dir
	ex, err := a.Code.Export("python", "test", false)
	if err != nil || ex.Dir != dir || !slices.Contains(ex.Files, "test_replay.py") {
		t.Fatalf("Export = %+v, %v", ex, err)
	}
	for _, f := range ex.Files {
		if !exists(filepath.Join(dir, f)) {
			t.Errorf("Export listed %s but did not write it", f)
		}
	}

	report, err := a.Replay.Run("")
	if err != nil || report.Outcome != replay.Pass || len(report.Calls) != 2 {
		t.Fatalf("Replay.Run = %+v, %v; want 2 calls passing", report, err)
	}
	if got := len(s.all(EventReplay)); got != 2 {
		t.Errorf("%d replay events, want one a call", got)
	}
	if recent, _ := a.Files.RecentURLs(); len(recent) != 1 {
		t.Errorf("RecentURLs() = %v, want the recorded app", recent)
	}
}

// TestOpenFaults: what the window says when an app cannot be opened.
func TestOpenFaults(t *testing.T) {
	needChromium(t)
	notGradio := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><title>shop</title><body>not an app</body></html>")
	}))
	defer notGradio.Close()
	a, s, _ := testApp(t, Options{})
	for _, tc := range []struct {
		url  string
		open func(string) (State, error)
		kind FaultKind
	}{
		{notGradio.URL, a.Session.Record, FaultNotGradio},
		{notGradio.URL, a.Session.Open, FaultNotGradio},
		{"http://127.0.0.1:9", a.Session.Record, FaultUnreachable},
	} {
		st, err := tc.open(tc.url)
		var f *Fault
		if !errors.As(err, &f) || f.Kind != tc.kind || st.Fault == nil || st.Fault.Kind != tc.kind || st.Mode != Empty {
			t.Errorf("%s: state %+v, error %v; want fault %s", tc.url, st, err, tc.kind)
			continue
		}
		if f.Hint == "" || f.Title == "" {
			t.Errorf("%s: fault %+v says nothing of what to do", tc.url, f)
		}
	}
	if got := s.all(EventState); len(got) < 6 {
		t.Errorf("%d state events, want an opening and a fault for each", len(got))
	}
	if _, err := a.Session.Record("not a url at all"); err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:7860") {
		t.Errorf("Record(bad URL) = %v, want an error showing a good one", err)
	}
}

func TestChromiumMissing(t *testing.T) {
	a, _, _ := testApp(t, Options{Chromium: filepath.Join(t.TempDir(), "no-chromium")})
	st, err := a.Session.Record("http://127.0.0.1:7860")
	if st.Fault == nil || st.Fault.Kind != FaultChromiumMissing || err == nil {
		t.Fatalf("Record without Chromium = %+v, %v; want the chromium-missing fault", st, err)
	}
	if !strings.Contains(st.Fault.Hint, "apt-get install chromium") {
		t.Errorf("hint %q does not say how to install Chromium", st.Fault.Hint)
	}
}

// TestAppGoesAway: the app dies while recording; the window says so and
// the calls so far are saved.
func TestAppGoesAway(t *testing.T) {
	needChromium(t)
	calc := gradiotest.Start(t, "calculator", gradiotest.Fresh())
	a, s, _ := testApp(t, Options{})
	if _, err := a.Session.Record(calc.URL); err != nil {
		t.Fatal(err)
	}
	x, y := centre(t, a, `button.primary, button[id$=submit-btn]`)
	click(t, a.Session, x, y)
	waitFor(t, "the call", func() bool { return len(s.completed()) > 0 })
	calc.Kill()
	waitFor(t, "the recording to end", func() bool { return a.Session.State().Mode == Stopped })
	st := a.Session.State()
	if st.Fault == nil || st.Fault.Kind != FaultAppGone || !strings.Contains(st.Fault.Hint, st.Path) {
		t.Fatalf("state after the app died = %+v, want the app-gone fault naming the file", st)
	}
	rec, err := recording.Load(st.Path)
	if err != nil || len(rec.Calls) != 1 || rec.Calls[0].Status != recording.Completed {
		t.Fatalf("the recording at %s: %v, %v; want the completed call", st.Path, rec, err)
	}
}

// TestRecoverAfterCrash: a window that died while recording left a
// journal; the next start lists it and opens it.
func TestRecoverAfterCrash(t *testing.T) {
	data := t.TempDir()
	auto := filepath.Join(data, "autosave")
	if err := os.MkdirAll(auto, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(auto, "20261123-101010-000.json")
	src, err := recording.Load("../testdata/recordings/" + gradiotest.DefaultVersion + "/calculator.json")
	if err != nil {
		t.Fatal(err)
	}
	j, err := recording.CreateJournal(path, &recording.Recording{Created: src.Created, Tool: src.Tool, App: src.App})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.AddSession(src.Sessions[0]); err != nil {
		t.Fatal(err)
	}
	for _, c := range src.Calls[:2] {
		if err := j.Start(c); err != nil {
			t.Fatal(err)
		}
		if err := j.Append(c); err != nil {
			t.Fatal(err)
		}
	}
	j.Close() // as a crash leaves it: no Save

	a, _, _ := testApp(t, Options{DataDir: data})
	list, err := a.Files.Unsaved()
	if err != nil || len(list) != 1 || !list[0].Crashed || list[0].Calls != 2 || list[0].Path != path {
		t.Fatalf("Unsaved() = %+v, %v; want the crashed journal with 2 calls", list, err)
	}
	st, err := a.Files.Recover(path)
	if err != nil || st.Mode != Loaded || st.Calls != 2 || st.Saved {
		t.Fatalf("Recover = %+v, %v", st, err)
	}
	if _, err := a.Files.Recover(filepath.Join(t.TempDir(), "elsewhere.json")); err == nil {
		t.Error("Recover of a file outside the autosave folder succeeded")
	}
}

// TestOpenRecording: a recording given on the command line opens at start;
// a broken one says why.
func TestOpenRecording(t *testing.T) {
	path := "../testdata/recordings/" + gradiotest.DefaultVersion + "/files.json"
	a, s, d := testApp(t, Options{Open: path})
	st := a.Session.State()
	if st.Mode != Loaded || st.Path != path || !st.Saved || st.Calls == 0 {
		t.Fatalf("state after opening %s = %+v", path, st)
	}
	rec, err := a.Session.Recording()
	if err != nil || len(rec.Files) == 0 {
		t.Fatalf("Recording() = %v, %v; want the files app's fixtures", rec, err)
	}
	// Its fixtures are served for the previews.
	name := rec.Files[0].Name
	w := httptest.NewRecorder()
	a.Assets().ServeHTTP(w, httptest.NewRequest("GET", fixturePrefix+name, nil))
	if w.Code != 200 || int64(w.Body.Len()) != rec.Files[0].Size {
		t.Errorf("GET %s: %d with %d bytes, want the fixture's %d", fixturePrefix+name, w.Code, w.Body.Len(), rec.Files[0].Size)
	}
	w = httptest.NewRecorder()
	a.Assets().ServeHTTP(w, httptest.NewRequest("GET", fixturePrefix+"nope/x.png", nil))
	if w.Code != 404 {
		t.Errorf("GET an unknown fixture: %d, want 404", w.Code)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"format": "gradiorec/99"}`), 0o644)
	d.open = bad
	st, err = a.Files.OpenRecording()
	if err == nil || st.Fault == nil || st.Fault.Kind != FaultLoad {
		t.Fatalf("opening a broken recording = %+v, %v; want the load fault", st, err)
	}
	if last := s.all(EventState); last[len(last)-1].(State).Fault == nil {
		t.Error("the fault was not emitted")
	}
	if _, err := a.Code.Generate("cobol", "script", false); err == nil {
		t.Error("Generate(cobol) succeeded")
	}
	if _, err := a.Code.Generate("go", "poem", false); err == nil || !strings.Contains(err.Error(), `"script"`) {
		t.Errorf("Generate(go, poem) = %v, want an error naming the flavours", err)
	}
}

func TestNothingYet(t *testing.T) {
	a, _, _ := testApp(t, Options{})
	if _, err := a.Code.Generate("python", "script", false); err == nil || !strings.Contains(err.Error(), "Record") {
		t.Errorf("Generate with nothing recorded = %v, want an error saying to record", err)
	}
	if _, err := a.Replay.Run(""); err == nil {
		t.Error("Replay with nothing recorded succeeded")
	}
	if _, err := a.Files.SaveTo(filepath.Join(t.TempDir(), "x.json")); !errors.Is(err, errNothingToSave) {
		t.Errorf("SaveTo with nothing recorded = %v", err)
	}
	if err := a.Session.Mouse(MouseInput{Type: "mousePressed"}); !errors.Is(err, errNoView) {
		t.Errorf("Mouse with no app open = %v", err)
	}
	if calls, err := a.Session.Calls(); err != nil || calls == nil || len(calls) != 0 {
		t.Errorf("Calls() with nothing recorded = %v, %v; want an empty list (JSON [])", calls, err)
	}
	if _, err := a.Session.Stop(); !errors.Is(err, errNotRecording) {
		t.Errorf("Stop with nothing recorded = %v", err)
	}
	if a.Version() != version.Version {
		t.Errorf("Version() = %q", a.Version())
	}
}
