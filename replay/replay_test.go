package replay

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

// authOptions are the client options of the auth test app.
var authOptions = []gradio.Option{gradio.WithAuth("admin", "s3cret-pass")}

// golden loads the golden recording of a test app's steps file on a Gradio
// version (testdata/recordings/<version>/<app>.json).
func golden(t testing.TB, version, app string) *recording.Recording {
	t.Helper()
	rec, err := recording.Load(filepath.Join(gradiotest.Root(t), "testdata", "recordings", version, app+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// goldenApps lists the apps with a golden recording on a version.
func goldenApps(t *testing.T, version string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(gradiotest.Root(t), "testdata", "recordings", version, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var apps []string
	for _, p := range paths {
		apps = append(apps, strings.TrimSuffix(filepath.Base(p), ".json"))
	}
	if len(apps) == 0 {
		t.Fatalf("no golden recordings for Gradio %s in testdata/recordings/%s (make them with: go test ./recorder -run TestGolden -update)", version, version)
	}
	return apps
}

func replayApp(t *testing.T, rec *recording.Recording, app string, version string, opts Options) *Report {
	t.Helper()
	a := gradiotest.Start(t, app, gradiotest.Version(version))
	opts.URL = a.URL
	if app == "auth" {
		opts.Client = authOptions
	}
	rep, err := Run(t.Context(), rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func logReport(t *testing.T, rep *Report) {
	t.Helper()
	var b strings.Builder
	rep.WriteText(&b, Plain, true)
	t.Log("\n" + b.String())
}

// TestReplayGolden replays the golden recording of every test app against
// the app, on every Gradio version under test: each call passes. (The
// goldens mask the noise of the noisy app and of echo's /stamp; TestNoise
// learns it instead.)
func TestReplayGolden(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		for _, app := range goldenApps(t, v) {
			t.Run(v+"/"+app, func(t *testing.T) {
				rec := golden(t, v, app)
				rep := replayApp(t, rec, app, v, Options{})
				if rep.Outcome != Pass {
					logReport(t, rep)
					t.Fatalf("outcome %s, want pass", rep.Outcome)
				}
				n := rep.Count()
				if n[Passed] == 0 {
					t.Fatalf("no call passed: %v", n)
				}
				for _, c := range rep.Calls {
					if c.Status == Skipped && rec.Call(c.ID).Status == recording.Completed && rec.Endpoint(rec.Call(c.ID).FnIndex).BackendFn {
						t.Errorf("call %d %s was skipped: %s", c.ID, c.Endpoint, c.Reason)
					}
				}
			})
		}
	}
}

// TestReplayChanged replays the calculator recording against
// calculator_changed, whose multiply is off by one: exactly the multiply
// calls fail, with a diff that shows both values.
func TestReplayChanged(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			rec := golden(t, v, "calculator")
			rep := replayApp(t, rec, "calculator_changed", v, Options{})
			if rep.Outcome != Mismatch || len(rep.Drift) > 0 {
				logReport(t, rep)
				t.Fatalf("outcome %s with drift %v, want mismatch without drift", rep.Outcome, rep.Drift)
			}
			var failed, multiply []int
			for _, c := range rep.Calls {
				if c.Status == Failed {
					failed = append(failed, c.ID)
				}
				if rc := rec.Call(c.ID); rc.APIName == "/calculate" && inputIs(rc, "operation", `"multiply"`) {
					multiply = append(multiply, c.ID)
				}
			}
			if len(multiply) == 0 || !slices.Equal(failed, multiply) {
				logReport(t, rep)
				t.Fatalf("failed calls %v, want the multiply calls %v", failed, multiply)
			}
			d := rep.Calls[slices.IndexFunc(rep.Calls, func(c CallResult) bool { return c.ID == multiply[0] })].Diffs
			if len(d) != 1 || d[0].Path != "/0" || d[0].Want == d[0].Got {
				t.Errorf("diff of a multiply call: %v, want one at /0 with both values", d)
			}
		})
	}
}

func inputIs(c *recording.Call, name, value string) bool {
	for _, in := range c.Inputs {
		if in.Name == name {
			return string(in.Value) == value
		}
	}
	return false
}

// TestReplayDrift replays the calculator recording against
// calculator_renamed, whose num2 parameter is now called second: drift,
// naming both.
func TestReplayDrift(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			rep := replayApp(t, golden(t, v, "calculator"), "calculator_renamed", v, Options{})
			if rep.Outcome != DriftFound || rep.ExitCode() != ExitDrift {
				logReport(t, rep)
				t.Fatalf("outcome %s, want drift", rep.Outcome)
			}
			var kinds []string
			for _, d := range rep.Drift {
				kinds = append(kinds, d.Kind+": "+d.Detail)
			}
			got := strings.Join(kinds, "\n")
			if want := DriftParamRenamed + `: "num2" is now "second"`; !strings.HasPrefix(got, want) || len(rep.Drift) != 1 {
				t.Errorf("drift:\n%s\nwant only %s", got, want)
			}
		})
	}
}

// TestNoise: the noisy app's reports carry a timestamp and a nonce. Replay
// fails without masks, passes with the masks Learn finds, and those masks
// still catch noisy_changed, whose deterministic "words" field changed.
func TestNoise(t *testing.T) {
	v := gradiotest.DefaultVersion
	rec := golden(t, v, "noisy")
	rec.Masks = nil
	rep := replayApp(t, rec, "noisy", v, Options{})
	if rep.Outcome != Mismatch {
		logReport(t, rep)
		t.Fatalf("without masks: outcome %s, want mismatch", rep.Outcome)
	}
	a := gradiotest.Start(t, "noisy", gradiotest.Version(v))
	masks, _, err := Learn(t.Context(), rec, Options{URL: a.URL}, 3)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, m := range masks {
		paths = append(paths, fmt.Sprintf("%d%s", m.Call, m.Path))
		if m.Reason != LearnedReason || m.Endpoint != "/report" {
			t.Errorf("mask %+v", m)
		}
	}
	var want []string
	for _, c := range rec.Calls {
		want = append(want, fmt.Sprintf("%d/0/nonce", c.ID), fmt.Sprintf("%d/0/timestamp", c.ID))
	}
	if !slices.Equal(paths, want) {
		t.Fatalf("learned masks %q, want %q", paths, want)
	}
	if n := AddMasks(rec, masks); n != len(masks) || AddMasks(rec, masks) != 0 {
		t.Errorf("AddMasks added %d, then more", n)
	}
	if rep := replayApp(t, rec, "noisy", v, Options{}); rep.Outcome != Pass {
		logReport(t, rep)
		t.Fatalf("with learned masks: outcome %s, want pass", rep.Outcome)
	}
	rep = replayApp(t, rec, "noisy_changed", v, Options{})
	if rep.Outcome != Mismatch {
		logReport(t, rep)
		t.Fatalf("noisy_changed with learned masks: outcome %s, want mismatch", rep.Outcome)
	}
	for _, c := range rep.Calls {
		if len(c.Diffs) != 1 || c.Diffs[0].Path != "/0/words" {
			t.Errorf("call %d: diffs %v, want only /0/words", c.ID, c.Diffs)
		}
	}
}

// TestLearnStreamNoise: llm streams a sampled reply (/chat), and a fixed one
// (/answer) in random chunks. Without masks the replay fails; a rule that
// ignores /chat's reply also ignores how many updates carry it. Learn from 8
// runs masks /chat's reply and both streams (final output only), not
// /answer's final reply: then 100 of 100 replays pass, and llm_changed's
// answer is still caught. On every Gradio version under test, each with
// its own recording. (Once /chat's reply is masked, only the number of its
// updates tells its stream apart, 2 to 9 at random: runs after the first
// all have the first one's number with a chance of 1 in 8^(runs-1), which
// with 4 runs failed a CI run; with 8 it is 1 in two million.)
func TestLearnStreamNoise(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			learnStreamNoise(t, v)
		})
	}
}

// learnStreamNoise is TestLearnStreamNoise on one Gradio version.
func learnStreamNoise(t *testing.T, v string) {
	// gradiorec record --steps testdata/steps/llm.yaml, on each version
	rec, err := recording.Load(filepath.Join("testdata", "llm", v+".json"))
	if err != nil {
		t.Fatal(err)
	}
	a := gradiotest.Start(t, "llm", gradiotest.Version(v))
	opts := Options{URL: a.URL}
	if rep, err := Run(t.Context(), rec, opts); err != nil || rep.Outcome != Mismatch {
		t.Fatalf("without masks: %v, %+v, want mismatch", err, rep)
	}
	ignore := Options{URL: a.URL, Rules: []Rule{{Endpoint: "/chat", Match: MatchIgnore}}}
	if rep, err := Run(t.Context(), rec, ignore); err != nil || rep.Calls[0].Status != Passed {
		logReport(t, rep)
		t.Fatalf("/chat with its reply ignored: %v, want it to pass", err)
	}
	masks, _, err := Learn(t.Context(), rec, opts, 8)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, m := range masks {
		paths = append(paths, fmt.Sprintf("%d%s%s", m.Call, m.Endpoint, m.Path))
	}
	if want := []string{"1/chat/0", "1/chat/updates", "2/answer/updates"}; !slices.Equal(paths, want) {
		t.Fatalf("learned %q, want %q", paths, want)
	}
	AddMasks(rec, masks)
	const runs = 100
	for i := range runs {
		rep, err := Run(t.Context(), rec, opts)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Outcome != Pass {
			logReport(t, rep)
			t.Fatalf("run %d of %d with the learned masks: %s, want pass", i+1, runs, rep.Outcome)
		}
	}
	changed := gradiotest.Start(t, "llm_changed", gradiotest.Version(v))
	rep, err := Run(t.Context(), rec, Options{URL: changed.URL})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != Mismatch || rep.Calls[0].Status != Passed || len(rep.Calls[1].Diffs) != 1 || rep.Calls[1].Diffs[0].Path != "/0" {
		logReport(t, rep)
		t.Fatalf("llm_changed: %s, want a mismatch on /answer's /0 only", rep.Outcome)
	}
}

// TestStability replays deterministic and noisy recordings 100 times each,
// and the calculator recording against its changed variant 100 times: no
// false failure, and every change caught.
func TestStability(t *testing.T) {
	const runs = 100
	v := gradiotest.DefaultVersion
	calc := golden(t, v, "calculator")
	noisy := golden(t, v, "noisy")
	noisy.Masks = nil
	learnOn := gradiotest.Start(t, "noisy", gradiotest.Version(v))
	masks, _, err := Learn(t.Context(), noisy, Options{URL: learnOn.URL}, 3)
	if err != nil {
		t.Fatal(err)
	}
	AddMasks(noisy, masks)
	for _, tc := range []struct {
		rec  *recording.Recording
		app  string
		want Outcome
	}{
		{calc, "calculator", Pass},
		{noisy, "noisy", Pass},
		{calc, "calculator_changed", Mismatch},
	} {
		a := gradiotest.Start(t, tc.app, gradiotest.Version(v))
		got := 0
		for range runs {
			rep, err := Run(t.Context(), tc.rec, Options{URL: a.URL})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Outcome == tc.want {
				got++
			} else if got < 3 {
				logReport(t, rep)
			}
		}
		t.Logf("%s against %s: %d of %d runs %s", tc.rec.Calls[0].APIName, tc.app, got, runs, tc.want)
		if got != runs {
			t.Errorf("%s against %s: %d of %d runs gave %s", tc.rec.Calls[0].APIName, tc.app, got, runs, tc.want)
		}
	}
}

// TestAppGoesDown kills the app after the first call: the rest are errors
// and the outcome is unreachable.
func TestAppGoesDown(t *testing.T) {
	v := gradiotest.DefaultVersion
	rec := golden(t, v, "calculator")
	a := gradiotest.Start(t, "calculator", gradiotest.Version(v), gradiotest.Fresh())
	killed := false
	rep, err := Run(t.Context(), rec, Options{URL: a.URL, OnCall: func(CallResult) {
		if !killed {
			killed = true
			a.Kill()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != Unreachable || rep.ExitCode() != ExitUnreachable {
		logReport(t, rep)
		t.Fatalf("outcome %s, want unreachable", rep.Outcome)
	}
	if rep.Calls[0].Status != Passed || rep.Calls[len(rep.Calls)-1].Status != Errored {
		logReport(t, rep)
		t.Errorf("want the first call passed and the last an error")
	}
	// Nothing listens any more: unreachable from the start.
	rep, err = Run(t.Context(), rec, Options{URL: a.URL})
	if err != nil || rep.Outcome != Unreachable || rep.Err == "" {
		t.Errorf("replay against a dead app: %v, %+v", err, rep)
	}
}

// TestMissingFixture: a recording whose input file is gone is bad input,
// found before anything is sent.
func TestMissingFixture(t *testing.T) {
	v := gradiotest.DefaultVersion
	src := filepath.Join(gradiotest.Root(t), "testdata", "recordings", v, "files.json")
	rec, err := recording.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "files.json")
	if err := recording.Save(path, rec); err != nil {
		t.Fatal(err)
	}
	var input string
	for _, f := range rec.Files {
		if f.Role == recording.RoleInput {
			input = f.Name
			break
		}
	}
	if input == "" {
		t.Fatal("the files recording has no input fixture")
	}
	if err := os.RemoveAll(filepath.Join(recording.FilesDir(path), filepath.Dir(input))); err != nil {
		t.Fatal(err)
	}
	rec, err = recording.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(t.Context(), rec, Options{URL: "http://127.0.0.1:1"})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), filepath.Base(input)) {
		t.Errorf("error %v, want bad input naming %s", err, input)
	}
}

// TestGoTest runs a recording as Go subtests with Test.
func TestGoTest(t *testing.T) {
	a := gradiotest.Start(t, "calculator")
	rec := golden(t, gradiotest.DefaultVersion, "calculator")
	rep := Test(t, rec, a.URL)
	if rep.Outcome != Pass || len(rep.Calls) != len(rec.Calls) {
		t.Errorf("outcome %s with %d calls, want pass with %d", rep.Outcome, len(rep.Calls), len(rec.Calls))
	}
}
