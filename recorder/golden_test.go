package recorder

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/recording/recordingtest"
	"github.com/gradiorec/gradiorec/steps"
)

var update = flag.Bool("update", false, "rewrite the golden recordings in testdata/recordings")

// The auth app's credentials, given to it in its environment
// (testdata/apps/auth.py) and to the recorder and the client to log in.
const (
	authUser     = "admin"
	authPassword = "s3cret-pass"
)

// goldenRun is one steps file recorded on one Gradio version.
type goldenRun struct {
	name    string // the app
	version string // the Gradio version
	app     *gradiotest.App
	rec     *recording.Recording // as the recorder saved it; normalised in place before the comparison
	path    string               // where the recorder saved it (WithJournal)

	mu     sync.Mutex
	events map[int][]EventKind // by call id, as WithOnEvent saw them
}

// TestGoldenRecordings records the steps file of every test-bed app but
// those in notGolden (testdata/steps/<app>.yaml) through a Recorder with a
// journal, on every Gradio version under test, and
//   - checks the recording against what the app is known to do (goldenApps,
//     in golden_apps_test.go) and what every recording must hold;
//   - calls the same endpoints with the same inputs through the Go client
//     and requires the same outputs (golden_client_test.go);
//   - normalises what differs between runs (normaliseGolden) and compares
//     the result, document and fixtures, byte for byte with
//     testdata/recordings/<version>/<app>.json and <app>.files/, which
//     -update rewrites.
func TestGoldenRecordings(t *testing.T) {
	root := gradiotest.Root(t)
	apps := goldenAppNames(t)
	for _, v := range gradiotest.Versions() {
		for _, name := range apps {
			t.Run(v+"/"+name, func(t *testing.T) {
				t.Parallel()
				want, ok := goldenApps[name]
				if !ok {
					t.Fatalf("no expectations for testdata/apps/%s.py: add a row to goldenApps (golden_apps_test.go)", name)
				}
				g := recordGolden(t, name, v, want, WithBrowser(testBrowser(t)))
				g.check(t, want)
				checkWithClient(t, g, want)
				if t.Failed() {
					return // a golden file is only written from a recording that passed
				}
				normaliseGolden(t, g.rec, g.app.URL, want.noise)
				g.compare(t, filepath.Join(root, "testdata", "recordings", v, name+".json"), *update)
			})
		}
	}
}

// TestGoldenRecordingsViaExtension records every steps file again on the
// default Gradio version, through the browser extension (WithVia: a
// Chromium with the extension loaded and paired with a relay server), and
// requires of it what TestGoldenRecordings requires of the DevTools
// recording: the same checks and, once normalised, the same golden file
// byte for byte. So both sources record the same session, field by field.
// It runs after TestGoldenRecordings, which -update lets rewrite the files.
func TestGoldenRecordingsViaExtension(t *testing.T) {
	root := gradiotest.Root(t)
	v := gradiotest.DefaultVersion
	ext := testExtension(t)
	for _, name := range goldenAppNames(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := goldenApps[name]
			g := recordGolden(t, name, v, want, WithBrowser(ext.browser), WithVia(ext.attach))
			g.check(t, want)
			if t.Failed() {
				return
			}
			normaliseGolden(t, g.rec, g.app.URL, want.noise)
			g.compare(t, filepath.Join(root, "testdata", "recordings", v, name+".json"), false)
		})
	}
}

// goldenAppNames lists the test-bed apps with a golden recording: all but
// those in notGolden, checking that both tables name real apps.
func goldenAppNames(t *testing.T) []string {
	t.Helper()
	root := gradiotest.Root(t)
	scripts, err := filepath.Glob(filepath.Join(root, "testdata", "apps", "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	var apps []string
	for _, py := range scripts {
		name := strings.TrimSuffix(filepath.Base(py), ".py")
		if _, other := notGolden[name]; !other && !strings.HasPrefix(name, "_") {
			apps = append(apps, name)
		}
	}
	for name := range goldenApps {
		if !slices.Contains(apps, name) {
			t.Errorf("goldenApps has a row for %s, which is not an app of testdata/apps", name)
		}
	}
	for name := range notGolden {
		if !slices.Contains(scripts, filepath.Join(root, "testdata", "apps", name+".py")) {
			t.Errorf("notGolden names %s, which is not an app of testdata/apps", name)
		}
	}
	return apps
}

// recordGolden records an app's steps file with a journal, in the browser
// and through the source the options give, then runs the row's page check
// in the tab.
func recordGolden(t *testing.T, name, version string, want appWant, source ...Option) *goldenRun {
	t.Helper()
	script, err := steps.Load(filepath.Join(gradiotest.Root(t), "testdata", "steps", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	g := &goldenRun{name: name, version: version, path: filepath.Join(t.TempDir(), name+".json"), events: map[int][]EventKind{}}
	appOpts := []gradiotest.Option{gradiotest.Version(version)}
	opts := []Option{
		WithLogf(t.Logf), WithJournal(g.path),
		WithOnEvent(func(e Event) {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.events[e.Call.ID] = append(g.events[e.Call.ID], e.Kind)
		}),
	}
	if name == "auth" {
		appOpts = append(appOpts, gradiotest.Env("GRADIOREC_AUTH_USER", authUser), gradiotest.Env("GRADIOREC_AUTH_PASSWORD", authPassword))
		opts = append(opts, WithLogin(authUser, authPassword))
	}
	opts = append(opts, source...)
	g.app = gradiotest.Start(t, name, appOpts...)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rec, err := New(ctx, g.app.URL+"/", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Stop() })
	if _, err := os.Stat(recording.JournalPath(g.path)); err != nil {
		t.Errorf("no journal while recording: %v", err)
	}
	sctx, cancel := context.WithTimeout(rec.Tab(), 3*time.Minute)
	defer cancel()
	runErr := script.Run(sctx, rec.WaitIdle)
	if runErr == nil && want.page != nil {
		want.page(t, rec.Tab())
	}
	g.rec, err = rec.Stop()
	if runErr != nil {
		t.Fatalf("run testdata/steps/%s.yaml: %v", name, runErr)
	}
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// check checks the recording as the recorder saved it: what every
// recording of a steps file holds, then the app's row.
func (g *goldenRun) check(t *testing.T, want appWant) {
	t.Helper()
	if _, err := os.Stat(recording.JournalPath(g.path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("journal left after Stop: %v", err)
	}
	if _, err := recording.Load(g.path); err != nil {
		t.Errorf("load what the recorder saved: %v", err)
	}
	noSecret(t, g.path)

	r := g.rec
	prefix := "/gradio_api"
	if major(g.version) < 5 {
		prefix = ""
	}
	a := r.App
	if a.URL != g.app.URL+"/" || a.Root != g.app.URL || a.APIPrefix != prefix || a.Version != g.version ||
		a.Protocol != "sse_v3" || a.Auth != (g.name == "auth") || a.SpaceID != "" {
		t.Errorf("app %s; want url %s/, root %s, api_prefix %q, gradio_version %s, protocol sse_v3, auth %t",
			jsonOf(recording.App{URL: a.URL, Root: a.Root, APIPrefix: a.APIPrefix, Version: a.Version, Protocol: a.Protocol, Auth: a.Auth, SpaceID: a.SpaceID}),
			g.app.URL, g.app.URL, prefix, g.version, g.name == "auth")
	}
	if r.Created.IsZero() || r.Tool != "gradiorec" {
		t.Errorf("created %v, tool %q", r.Created, r.Tool)
	}
	// A steps file runs in one tab: one session.
	if len(r.Sessions) != 1 || r.Sessions[0].ID != "s1" || r.Sessions[0].Hash == "" {
		t.Errorf("sessions %s, want one", jsonOf(r.Sessions))
	}
	for i, c := range r.Calls {
		where := fmt.Sprintf("call %d (%s)", c.ID, c.APIName)
		if c.ID != i+1 || c.Session != "s1" {
			t.Errorf("%s: id %d, session %q; want id %d, session s1", where, c.ID, c.Session, i+1)
		}
		if ep := r.Endpoint(c.FnIndex); ep == nil || !ep.BackendFn || ep.APIName != c.APIName {
			t.Errorf("%s: endpoint %s, want one with a backend function and the call's api_name", where, jsonOf(ep))
		}
		if (c.EventID != "") != (c.Via == recording.ViaQueue) {
			t.Errorf("%s: event id %q through %s", where, c.EventID, c.Via)
		}
		if c.Started.Before(r.Created) || c.Duration <= 0 {
			t.Errorf("%s: started %v (recording created %v), duration %g", where, c.Started, r.Created, c.Duration)
		}
		// Every update, log and progress message was an event.
		g.mu.Lock()
		events := g.events[c.ID]
		g.mu.Unlock()
		wantEvents := []EventKind{CallStarted}
		for range len(c.Updates) + len(c.Log) + len(c.Progress) {
			wantEvents = append(wantEvents, CallUpdated)
		}
		if wantEvents = append(wantEvents, CallCompleted); !slices.Equal(events, wantEvents) {
			t.Errorf("%s: events %v, want %v", where, events, wantEvents)
		}
	}
	want.checkEndpoints(t, g)
	want.checkCalls(t, g)
	if want.check != nil {
		want.check(t, g)
	}
}

// noSecret fails the test if the auth app's password is in the document
// saved at path or in its fixtures.
func noSecret(t *testing.T, path string) {
	t.Helper()
	files := map[string][]byte{}
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	files[path] = doc
	for name, b := range treeFiles(t, recording.FilesDir(path)) {
		files[name] = b
	}
	for name, b := range files {
		if bytes.Contains(b, []byte(authPassword)) {
			t.Errorf("the password is in %s", name)
		}
	}
}

// The placeholders of what normaliseGolden replaces.
const (
	goldenRoot = "http://127.0.0.1:7860" // the app's root URL (its port is free at random)
	goldenTemp = "/tmp/gradio"           // the app's GRADIO_TEMP_DIR (gradiotest makes one per process)
)

// goldenCreated replaces Created; call n started n seconds later.
var goldenCreated = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// Durations are timing: every call gets these.
const (
	goldenDuration   = 0.1  // Call.Duration, seconds
	goldenServerTime = 0.05 // Call.ServerTime, when the server reported one
)

// tempDirPattern matches the GRADIO_TEMP_DIR gradioproc gives an app
// process: <os.TempDir()>/gradioproc-<app>-<random>/gradio.
var tempDirPattern = regexp.MustCompile(regexp.QuoteMeta(os.TempDir()) + `/gradioproc-[A-Za-z0-9_]+-[0-9]+/gradio`)

// cacheDirPattern matches a cache folder in goldenTemp.
var cacheDirPattern = regexp.MustCompile(regexp.QuoteMeta(goldenTemp) + `/[0-9a-f]{64}`)

// normaliseGolden replaces, in place, what differs between two recordings
// of the same steps file, so that the golden files are stable; the result
// is still a valid Recording. It replaces
//   - created, tool, and each call's started, duration and server_time
//     (timing), with fixed values;
//   - the app's root URL (a random free port), wherever it occurs, with
//     goldenRoot;
//   - the server's temporary folder in file paths and URLs with
//     goldenTemp; the cache folders inside it that Gradio 5 and 6 name with
//     a hash seeded per installation (gradio/hash_seed.txt, written at
//     random on first use) with "install-<n>", numbered in order of first
//     appearance (folders named by the content's SHA-256 are the same
//     everywhere and stay);
//   - session hashes (random) with "session-<id>", event ids (random) with
//     "event-<call id>";
//   - the values at the noise pointers of each endpoint's outputs (and
//     updates) with "<varies>", and adds a Mask for each, so that a replay
//     of the golden recording ignores them;
//   - the updates of a cancelled call after the first: how many arrive
//     before the cancel lands depends on timing;
//   - gr.Progress updates: how many arrive, and which step each shows,
//     depends on timing (Gradio samples progress every 0.1 s); the last one
//     is kept, without its step index.
//
// Fixture names are content hashes and need nothing.
func normaliseGolden(t *testing.T, r *recording.Recording, root string, noise map[string][]string) {
	t.Helper()
	content := map[string]bool{}
	for _, f := range r.Files {
		content[f.SHA256] = true
	}
	seeded := map[string]string{}
	text := func(s string) string {
		s = tempDirPattern.ReplaceAllString(strings.ReplaceAll(s, root, goldenRoot), goldenTemp)
		return cacheDirPattern.ReplaceAllStringFunc(s, func(dir string) string {
			hash := strings.TrimPrefix(dir, goldenTemp+"/")
			if content[hash] {
				return dir
			}
			if seeded[hash] == "" {
				seeded[hash] = fmt.Sprintf("install-%d", len(seeded)+1)
			}
			return goldenTemp + "/" + seeded[hash]
		})
	}
	raw := func(v []byte) []byte {
		if v == nil {
			return nil
		}
		return []byte(text(string(v)))
	}
	r.Created, r.Tool = goldenCreated, "gradiorec"
	r.App.URL, r.App.Root = text(r.App.URL), text(r.App.Root)
	for i := range r.Sessions {
		r.Sessions[i].Hash = "session-" + r.Sessions[i].ID
	}
	for i := range r.Calls {
		c := &r.Calls[i]
		if c.EventID != "" {
			c.EventID = fmt.Sprintf("event-%d", c.ID)
		}
		c.Started = goldenCreated.Add(time.Duration(c.ID) * time.Second)
		c.Duration = goldenDuration
		if c.ServerTime != 0 {
			c.ServerTime = goldenServerTime
		}
		for j := range c.Inputs {
			c.Inputs[j].Value = raw(c.Inputs[j].Value)
		}
		for j := range c.Data {
			c.Data[j] = raw(c.Data[j])
		}
		c.EventData = raw(c.EventData)
		c.Outputs = maskNoise(t, c.Outputs, noise[c.APIName])
		for j := range c.Outputs {
			c.Outputs[j] = raw(c.Outputs[j])
		}
		if c.Status == recording.Cancelled && len(c.Updates) > 1 {
			c.Updates = c.Updates[:1]
		}
		for j := range c.Updates {
			c.Updates[j] = maskNoise(t, c.Updates[j], noise[c.APIName])
			for k := range c.Updates[j] {
				c.Updates[j][k] = raw(c.Updates[j][k])
			}
		}
		if c.Error != nil {
			c.Error.Message = text(c.Error.Message)
		}
		if n := len(c.Progress); n > 0 {
			last := c.Progress[n-1]
			for k := range last.Bars {
				last.Bars[k].Index = nil
			}
			c.Progress = []recording.Progress{last}
		}
	}
	r.Masks = nil
	for _, ep := range r.App.Endpoints {
		for _, p := range noise[ep.APIName] {
			r.Masks = append(r.Masks, recording.Mask{Endpoint: ep.APIName, Path: p, Reason: "varies on every call"})
		}
	}
}

// compare saves the normalised recording and compares it, document and
// fixtures, with the golden one at golden; with -update it rewrites the
// golden one first.
func (g *goldenRun) compare(t *testing.T, golden string, update bool) {
	t.Helper()
	got := filepath.Join(t.TempDir(), "recordings", g.version, g.name+".json")
	if err := os.MkdirAll(filepath.Dir(got), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := recording.Save(got, g.rec); err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := recording.Save(golden, g.rec); err != nil {
			t.Fatal(err)
		}
	}
	checkSaved(t, got)
	want, err := os.ReadFile(golden)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("no golden recording %s: write it with `go test ./recorder -run TestGoldenRecordings -update` (GRADIO_VERSIONS=all for every version)", golden)
	}
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want) {
		t.Errorf("the recording differs from %s (if the change is right, rewrite it with -update):\n%s", golden, firstDiff(doc, want))
	}
	gotFiles, wantFiles := treeFiles(t, recording.FilesDir(got)), treeFiles(t, recording.FilesDir(golden))
	for name, b := range gotFiles {
		if w, ok := wantFiles[name]; !ok || !bytes.Equal(b, w) {
			t.Errorf("fixture %s is not in %s as recorded (if the change is right, rewrite it with -update)", name, recording.FilesDir(golden))
		}
	}
	for name := range wantFiles {
		if _, ok := gotFiles[name]; !ok {
			t.Errorf("fixture %s of %s was not recorded", name, recording.FilesDir(golden))
		}
	}
}

// checkSaved checks that a saved recording is one every reader accepts:
// Load (which validates), the JSON Schema, its fixtures, and no secret.
func checkSaved(t *testing.T, path string) {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recordingtest.ValidateSchema(t, doc)
	r, err := recording.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Error(err)
	}
	if err := r.CheckFiles(); err != nil {
		t.Error(err)
	}
	noSecret(t, path)
}

// treeFiles returns the files under dir by their slash-separated path
// relative to it (none when dir does not exist).
func treeFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// firstDiff shows the first line where got and want differ, with the lines
// around it.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	around := func(lines []string) string {
		var b strings.Builder
		for j := max(i-3, 0); j < min(i+4, len(lines)); j++ {
			mark := "  "
			if j == i {
				mark = "> "
			}
			fmt.Fprintf(&b, "\t%s%4d %s\n", mark, j+1, lines[j])
		}
		return b.String()
	}
	return fmt.Sprintf("recorded (line %d):\n%sgolden:\n%s", i+1, around(g), around(w))
}
