package recorder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/har"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// TestHARRoundTrip exports every golden recording as a HAR, reads the HAR
// back as a file would be, and imports it: the recording is the same,
// document and fixture bytes (durations to the microsecond).
func TestHARRoundTrip(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(gradiotest.Root(t), "testdata", "recordings", "*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden recordings (%v)", err)
	}
	for _, path := range paths {
		name := filepath.Base(filepath.Dir(path)) + "/" + strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			rec, err := recording.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			h, err := har.FromRecording(rec, har.Creator{Name: "gradiorec", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := h.Encode(&buf); err != nil {
				t.Fatal(err)
			}
			back, err := har.Read(&buf, 0)
			if err != nil {
				t.Fatal(err)
			}
			im, err := ImportHAR(t.Context(), back, HAROptions{Tool: rec.Tool})
			if err != nil {
				t.Fatal(err)
			}
			if len(im.Missing) > 0 {
				t.Errorf("missing files: %v", im.Missing)
			}
			sameRecording(t, im.Recording, rec)
		})
	}
}

// sameRecording compares two recordings field by field, durations to the
// microsecond, fixtures by their bytes.
func sameRecording(t *testing.T, got, want *recording.Recording) {
	t.Helper()
	for i := range got.Calls {
		if i < len(want.Calls) && math.Abs(got.Calls[i].Duration-want.Calls[i].Duration) < 1e-6 {
			got.Calls[i].Duration = want.Calls[i].Duration
		}
	}
	for _, part := range []struct {
		what      string
		got, want any
	}{
		{"app", got.App, want.App},
		{"sessions", got.Sessions, want.Sessions},
		{"created", got.Created, want.Created},
		{"files", sortedFiles(got.Files), sortedFiles(want.Files)},
	} {
		g, _ := json.MarshalIndent(part.got, "", " ")
		w, _ := json.MarshalIndent(part.want, "", " ")
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs:\n got %s\nwant %s", part.what, g, w)
		}
	}
	if len(got.Calls) != len(want.Calls) {
		t.Fatalf("%d calls, want %d", len(got.Calls), len(want.Calls))
	}
	for i := range want.Calls {
		g, _ := json.Marshal(got.Calls[i])
		w, _ := json.Marshal(want.Calls[i])
		if !bytes.Equal(g, w) {
			t.Errorf("call %d differs:\n got %s\nwant %s", want.Calls[i].ID, g, w)
		}
	}
	for _, f := range want.Files {
		if !f.Stored {
			continue
		}
		wb, err := want.FileBytes(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		gb, err := got.FileBytes(f.Name)
		if err != nil || !bytes.Equal(gb, wb) {
			t.Errorf("fixture %s: %v, %d bytes, want %d", f.Name, err, len(gb), len(wb))
		}
	}
}

func sortedFiles(fs []recording.File) []recording.File {
	out := slices.Clone(fs)
	slices.SortFunc(out, func(a, b recording.File) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// importFile imports a HAR of testdata/har.
func importFile(t *testing.T, name string, opts HAROptions) *HARImport {
	t.Helper()
	h, files, err := har.Open(filepath.Join(gradiotest.Root(t), "testdata", "har", name), 0)
	if err != nil {
		t.Fatal(err)
	}
	opts.Files = files
	im, err := ImportHAR(t.Context(), h, opts)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// TestImportPlaywrightHARs imports HARs that Playwright wrote of one
// multiply on calculator.py (testdata/drivers/har.py, trimmed to the page
// and the API): the config comes from the page's HTML, inputs are named
// by position (the HAR has no /info answer). In the 4.44 HAR Playwright
// kept the queue stream's body: the output is there. In the 5.49 HAR the
// page closed the stream before it ended, and Playwright kept no body of
// it: the call is incomplete and says why.
func TestImportPlaywrightHARs(t *testing.T) {
	im := importFile(t, "calculator-4.44.1-playwright.har", HAROptions{})
	rec := im.Recording
	if len(rec.Calls) != 1 || im.Cut != 0 {
		t.Fatalf("4.44.1: %d calls, %d streams cut; want 1 and 0", len(rec.Calls), im.Cut)
	}
	c := rec.Calls[0]
	if got, _ := json.Marshal([]any{c.APIName, c.Data, c.Inputs[0].Name, c.Outputs, c.Status}); string(got) != `["/calculate",[6,"multiply",7],"param_0",[42],"completed"]` {
		t.Errorf("4.44.1: call %s", got)
	}
	if rec.App.Version != "4.44.1" || rec.App.Root == "" || len(rec.Sessions) != 1 {
		t.Errorf("4.44.1: app %+v, sessions %v", rec.App, rec.Sessions)
	}
	im = importFile(t, "calculator-5.49.1-playwright.har", HAROptions{})
	rec = im.Recording
	if len(rec.Calls) != 1 || im.Cut != 1 {
		t.Fatalf("5.49.1: %d calls, %d streams cut; want 1 and 1", len(rec.Calls), im.Cut)
	}
	c = rec.Calls[0]
	if c.Status != recording.Incomplete || c.Error == nil || !strings.Contains(c.Error.Message, "the HAR holds no body of it") || string(c.Data[1]) != `"multiply"` {
		t.Errorf("5.49.1: call %+v", c)
	}
}

// TestImportFirefoxHAR imports a HAR that Firefox 153 ESR saved of a
// guestbook session (testdata/har/README.md): the page's config comes from
// its HTML, the greeting the page asked for as it loaded and the note
// signed after it, one session, each call with its output from the event
// stream Firefox kept (an abandoned heartbeat of an earlier load is no
// call).
func TestImportFirefoxHAR(t *testing.T) {
	im := importFile(t, "guestbook-6.31.0-firefox.har", HAROptions{})
	rec := im.Recording
	if rec.App.Version != "6.31.0" || len(rec.Sessions) != 1 || im.Cut != 0 || len(im.Missing) != 0 {
		t.Errorf("app %s, %d sessions, %d streams cut, missing %v; want 6.31.0, 1, 0, none", rec.App.Version, len(rec.Sessions), im.Cut, im.Missing)
	}
	var got []string
	for _, c := range rec.Calls {
		b, _ := json.Marshal([]any{c.APIName, c.Data, c.Outputs, c.Status})
		got = append(got, string(b))
	}
	want := []string{
		`["/welcome",[],["Welcome to the guestbook"],"completed"]`,
		`["/sign",["Ada",null],["Thanks, Ada: note 1 of this session"],"completed"]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestImportHARErrors: a HAR without the app's traffic names the hosts it
// has; one saved without bodies says to save it with content (one whose
// bodies are there but one is imported, that call incomplete); one without
// the app's config says to give --url.
func TestImportHARErrors(t *testing.T) {
	load := func() *har.HAR {
		h, _, err := har.Open(filepath.Join(gradiotest.Root(t), "testdata", "har", "calculator-4.44.1-playwright.har"), 0)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h := load()
	for i := range h.Log.Entries {
		if strings.Contains(h.Log.Entries[i].Request.URL, "/queue/") {
			h.Log.Entries[i].Request.URL = "https://cdn.example.com/x.js"
		}
	}
	if _, err := ImportHAR(t.Context(), h, HAROptions{}); !errors.Is(err, ErrNoGradioTraffic) || !strings.Contains(err.Error(), "cdn.example.com") {
		t.Errorf("no traffic: %v", err)
	}
	h = load()
	for i := range h.Log.Entries { // saved without content: no body but the page's
		if strings.Contains(h.Log.Entries[i].Request.URL, "/queue/") {
			h.Log.Entries[i].Response.Content.Text = ""
		}
	}
	if _, err := ImportHAR(t.Context(), h, HAROptions{}); !errors.Is(err, ErrNoBodies) || !strings.Contains(err.Error(), "with content") {
		t.Errorf("no bodies: %v", err)
	}
	h = load()
	for i := range h.Log.Entries { // one response cut, the others whole
		if strings.Contains(h.Log.Entries[i].Request.URL, "/queue/join") {
			h.Log.Entries[i].Response.Content.Text = ""
		}
	}
	if im, err := ImportHAR(t.Context(), h, HAROptions{}); err != nil || im.Cut != 1 || len(im.Recording.Calls) != 1 || im.Recording.Calls[0].Status != recording.Incomplete {
		t.Errorf("one body cut: %v, %+v; want its call incomplete and counted as cut", err, im)
	}
	h = load()
	h.Log.Entries = h.Log.Entries[1:] // not the page
	if _, err := ImportHAR(t.Context(), h, HAROptions{}); !errors.Is(err, ErrNoConfig) || !strings.Contains(err.Error(), "--url") {
		t.Errorf("no config: %v", err)
	}
}

// TestImportPlaywrightLive records HARs with Playwright (the Python
// package, driving Debian's Chromium: nothing downloaded) of calculator.py
// (one multiply, a .har; again mounted under /sub/app), state.py (two words
// counted in one gr.State session, a .zip whose bodies are side files; and
// a word in each of two tabs: two sessions in one HAR), and, as their steps files
// do, chat.py (two messages to a streaming ChatInterface), stream.py (three
// generators, with progress and log messages) and files.py (an image and a
// text file uploaded, a .zip), on every Gradio version, and imports them
// with --url for the API schema. The calls, their session and their inputs
// are the session's (for chat, stream and files, those of the golden
// DevTools recording of the same steps, normalised as it is); each call has
// its recorded outputs when Playwright kept its stream's body, else it is
// incomplete and says why (Playwright keeps no body of a stream the page
// closed first: see TestImportPlaywrightHARs); and the import replays green
// against the app, up to a cut call (after it, the calls of its session may
// differ: the State it changed is not changed in the replay).
func TestImportPlaywrightLive(t *testing.T) {
	_, err := FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	py := gradiotest.Python(t, gradiotest.DefaultVersion)
	if out, err := exec.Command(py, "-c", "import playwright").CombinedOutput(); err != nil {
		gradiotest.Need(t, "Playwright for Python", fmt.Errorf("%v: %s", err, out))
	}
	chromium, _ := FindChromium("")
	sessions := map[string][]string{ // session: its calls as "api(inputs) -> outputs"
		"calculator": {`/calculate(num1=6 operation="multiply" num2=7) -> [42]`},
		"mounted":    {`/calculate(num1=6 operation="multiply" num2=7) -> [42]`}, // the calculator under /sub/app
		"state":      {`/count_words(word="apple") -> [1,"apple"]`, `/count_words(word="banana") -> [2,"apple banana"]`},
		"tabs":       {`/count_words(word="apple") -> [1,"apple"]`, `/count_words(word="banana") -> [1,"banana"]`}, // state, two tabs
	}
	for _, v := range gradiotest.Versions() {
		// The chat (a streaming ChatInterface), stream (generators, progress
		// and log messages) and files (two uploads) sessions are their steps
		// files' (testdata/steps): the import is compared with the golden
		// recording, normalised as it is.
		goldens := map[string]*recording.Recording{}
		for _, app := range []string{"chat", "stream", "files"} {
			golden, err := recording.Load(filepath.Join(gradiotest.Root(t), "testdata", "recordings", v, app+".json"))
			if err != nil {
				t.Fatal(err)
			}
			goldens[app] = golden
			var calls []string
			for _, c := range golden.Calls {
				args, _ := json.Marshal(c.Data)
				outs, _ := json.Marshal(c.Outputs)
				calls = append(calls, c.APIName+string(args)+" -> "+string(outs))
			}
			sessions[app] = calls
		}
		for app, want := range sessions {
			t.Run(v+"/"+app, func(t *testing.T) {
				script, driver, tabs := app, app, 1
				opts := []gradiotest.Option{gradiotest.Version(v)}
				switch app {
				case "mounted":
					script, driver = "calculator", "calculator"
					opts = append(opts, gradiotest.Env("GRADIOREC_MOUNT_PATH", "/sub/app"))
				case "tabs":
					script, tabs = "state", 2
				}
				a := gradiotest.Start(t, script, opts...)
				// The state session is written as a .zip: Playwright then
				// keeps the bodies as side files of the archive.
				ext := map[string]string{"state": ".zip", "files": ".zip"}[app]
				if ext == "" {
					ext = ".har"
				}
				out := filepath.Join(t.TempDir(), app+ext)
				cmd := exec.CommandContext(t.Context(), py, filepath.Join(gradiotest.Root(t), "testdata", "drivers", "har.py"), driver, a.URL, out, "--chromium", chromium)
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("har.py: %v\n%s", err, b)
				}
				h, files, err := har.Open(out, 0)
				if err != nil {
					t.Fatal(err)
				}
				if (files != nil) != (ext == ".zip") {
					t.Fatalf("%s: side files %v", out, files != nil)
				}
				im, err := ImportHAR(t.Context(), h, HAROptions{URL: a.URL, Files: files})
				if err != nil {
					t.Fatal(err)
				}
				rec := im.Recording
				if goldens[app] != nil {
					normaliseGolden(t, rec, a.URL, nil)
				}
				if len(rec.Calls) != len(want) || len(rec.Sessions) != tabs {
					t.Fatalf("%d calls in %d sessions, want %d in %d", len(rec.Calls), len(rec.Sessions), len(want), tabs)
				}
				for i, c := range rec.Calls {
					var args []string
					for _, a := range c.Inputs {
						args = append(args, a.Name+"="+string(a.Value))
					}
					got := c.APIName + "(" + strings.Join(args, " ") + ")"
					if goldens[app] != nil {
						data, _ := json.Marshal(c.Data)
						got = c.APIName + string(data)
					}
					call, outputs, _ := strings.Cut(want[i], " -> ")
					if unnumbered(got) != unnumbered(call) {
						t.Errorf("call %d: %s, want %s", c.ID, got, call)
					}
					outs, _ := json.Marshal(c.Outputs)
					switch {
					case c.Status == recording.Completed:
						if unnumbered(string(outs)) != unnumbered(outputs) {
							t.Errorf("call %d: outputs %s, want %s", c.ID, outs, outputs)
						}
					case c.Status != recording.Incomplete:
						t.Errorf("call %d: %s %+v, want completed, or incomplete", c.ID, c.Status, c.Error)
					case c.Error != nil && (im.Cut == 0 || !strings.Contains(c.Error.Message, "no body")):
						// Else it was under way when the HAR was written.
						t.Errorf("call %d: incomplete with %+v (%d streams cut), want a cut stream's", c.ID, c.Error, im.Cut)
					}
				}
				replaysGreen(t, rec, a.URL)
			})
		}
	}
}

// replaysGreen replays an import against the app it came from: every call
// it holds whole passes, until a cut one, which is skipped; after it, the
// calls of its session may differ (the State it changed is not changed in
// the replay).
func replaysGreen(t *testing.T, rec *recording.Recording, url string) {
	t.Helper()
	rep, err := replay.Run(t.Context(), rec, replay.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	cut := map[string]bool{} // sessions with a cut call so far
	for i, res := range rep.Calls {
		c := &rec.Calls[i]
		if c.Status == recording.Incomplete {
			cut[c.Session] = true
		} else if !cut[c.Session] && res.Status != replay.Passed {
			var b strings.Builder
			rep.WriteText(&b, replay.Plain, true)
			t.Errorf("call %d of the import replays %s, want pass:\n%s", c.ID, res.Status, b.String())
			return
		}
	}
}

// unnumbered leaves out the numbers normaliseGolden gives the server's
// cache folders in order of first appearance: an import that lacks a file
// the recorder saw (the bytes of a cut stream's output) numbers the others
// differently.
func unnumbered(s string) string { return installDir.ReplaceAllString(s, goldenTemp+"/install-N") }

var installDir = regexp.MustCompile(regexp.QuoteMeta(goldenTemp) + `/install-[0-9]+`)

// TestImportHARSecrets: what the page sent as credentials (a cookie, an
// Authorization header) is a secret: an output that holds it is redacted,
// and Gradio's login cookie marks the app as needing a login.
func TestImportHARSecrets(t *testing.T) {
	rec, err := recording.Load(filepath.Join(gradiotest.Root(t), "testdata", "recordings", gradiotest.DefaultVersion, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := har.FromRecording(rec, har.Creator{Name: "test", Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range h.Log.Entries {
		r := &h.Log.Entries[i].Request
		r.Headers = append(r.Headers, har.NameValue{Name: "Cookie", Value: "access-token-unsecure=apple banana; theme=dark"}, har.NameValue{Name: "Authorization", Value: "Bearer hf_secrettoken123"})
	}
	im, err := ImportHAR(t.Context(), h, HAROptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(im.Recording.Calls)
	if strings.Contains(string(got), "apple banana") || !strings.Contains(string(got), "redacted") {
		t.Errorf("the cookie's value is not redacted from the outputs: %s", got)
	}
	if !im.Recording.App.Auth {
		t.Error("the login cookie did not mark the app as needing a login")
	}
	var values []string
	for _, s := range im.Secrets {
		values = append(values, s.Value)
	}
	if !slices.Contains(values, "hf_secrettoken123") || !slices.Contains(values, "apple banana") || slices.Contains(values, "dark") {
		t.Errorf("secrets %q: want the token and the long cookie value, not short ones", values)
	}
}

// TestHARFetchStaysHome: a file the HAR lacks is asked of the app at
// --url only when its URL is under the recorded app's root, never of a
// host whose name merely starts like it.
func TestHARFetchStaysHome(t *testing.T) {
	asked := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- r.Host + r.URL.Path
		w.Write([]byte("bytes"))
	}))
	defer srv.Close()
	im := &harImporter{root: "http://app.example", opts: HAROptions{URL: srv.URL}}
	var b bytes.Buffer
	if _, err := im.fetch(t.Context(), "http://app.example.evil/file=x", &b); err == nil {
		t.Error("a file of another host was fetched")
	}
	if _, err := im.fetch(t.Context(), "http://app.example/gradio_api/file=/tmp/x.txt", &b); err != nil || b.String() != "bytes" {
		t.Errorf("a file under the root: %v, %q", err, b.String())
	}
	close(asked)
	var got []string
	for a := range asked {
		got = append(got, a)
	}
	if len(got) != 1 || !strings.HasSuffix(got[0], "/gradio_api/file=/tmp/x.txt") {
		t.Errorf("the app was asked for %v", got)
	}
	if len(im.missing) != 1 || im.missing[0] != "http://app.example.evil/file=x" {
		t.Errorf("missing %v", im.missing)
	}
}

// TestImportHARMissingFiles: output files whose download the HAR lacks
// are listed as missing (and the calls keep their outputs).
func TestImportHARMissingFiles(t *testing.T) {
	rec, err := recording.Load(filepath.Join(gradiotest.Root(t), "testdata", "recordings", gradiotest.DefaultVersion, "files.json"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := har.FromRecording(rec, har.Creator{Name: "test", Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	var kept []har.Entry
	for _, e := range h.Log.Entries {
		if !strings.Contains(e.Request.URL, "/file=") {
			kept = append(kept, e)
		}
	}
	h.Log.Entries = kept
	im, err := ImportHAR(t.Context(), h, HAROptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Missing) != 2 || !strings.Contains(im.Missing[0], "/file=") {
		t.Errorf("missing %v, want the two output files", im.Missing)
	}
	if len(im.Recording.Calls) != 2 || im.Recording.Calls[1].Status != recording.Completed {
		t.Errorf("calls %+v", im.Recording.Calls)
	}
}
