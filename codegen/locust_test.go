package codegen_test

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// locustTimeout stops a Locust run that hangs; the runs themselves are
// bounded by --run-time.
const locustTimeout = 3 * time.Minute

// locustRun is a finished headless Locust run.
type locustRun struct {
	out      string              // Locust's output (it logs to stderr)
	err      error               // how it ended: exit status 1 when a request failed
	stats    map[string][2]int   // requests and failures by request name, "Aggregated" included
	failures map[string][]string // the failures' errors by request name
}

// runLocust exports rec as a Locust project with opts into a temporary
// folder and runs it headless against url with the Gradio version's
// virtualenv, with the given extra arguments (users, processes, run time),
// then reads its CSV statistics.
func runLocust(t *testing.T, rec *recording.Recording, url string, opts codegen.Options, args ...string) *locustRun {
	t.Helper()
	python := gradiotest.Python(t, gradiotest.DefaultVersion)
	err := exec.Command(python, "-c", "import locust").Run()
	gradiotest.Need(t, "locust (in the Gradio "+gradiotest.DefaultVersion+" virtualenv)", err)

	cwd := t.TempDir()
	dir := filepath.Join(cwd, "out")
	opts.Lang = codegen.Locust
	p, err := codegen.Export(rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write(dir, rec); err != nil {
		t.Fatal(err)
	}
	stats := filepath.Join(cwd, "stats")
	argv := append([]string{"-m", "locust", "-f", filepath.Join("out", p.Files[0].Path),
		"--headless", "--host", url, "--csv", stats, "--only-summary"}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), locustTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, argv...)
	cmd.Dir = cwd // from the folder's parent: the code finds its fixtures itself
	cmd.Env = append(os.Environ(),
		"GRADIO_URL=", "GRADIO_USERNAME=admin", "GRADIO_PASSWORD=s3cret-pass",
		"GRADIO_ANALYTICS_ENABLED=False", "HF_HUB_OFFLINE=1", "HF_HUB_DISABLE_TELEMETRY=1")
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	r := &locustRun{out: string(out), err: err, stats: map[string][2]int{}, failures: map[string][]string{}}
	if ctx.Err() != nil {
		t.Fatalf("locust ran longer than %v:\n%s", locustTimeout, r.out)
	}
	for _, row := range readCSV(t, stats+"_stats.csv", r.out) {
		requests, err1 := strconv.Atoi(row["Request Count"])
		failures, err2 := strconv.Atoi(row["Failure Count"])
		if err1 != nil || err2 != nil {
			t.Fatalf("stats.csv: a row without counts: %v\n%s", row, r.out)
		}
		r.stats[row["Name"]] = [2]int{requests, failures}
	}
	for _, row := range readCSV(t, stats+"_failures.csv", r.out) {
		r.failures[row["Name"]] = append(r.failures[row["Name"]], row["Error"])
	}
	t.Logf("requests and failures: %v; failures: %q", r.stats, r.failures)
	return r
}

// readCSV reads a CSV file with a header row into one map per row.
func readCSV(t *testing.T, path, log string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("locust wrote no %s: %v\n%s", filepath.Base(path), err, log)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v\n%s", filepath.Base(path), err, log)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// TestLocustRuns runs the load test of the state app's golden recording,
// with checks and the recorded think times, against the real app: two
// worker processes, four users. Every request must succeed, which needs each
// user to keep its own gr.State (the recorded word lists grow call by call)
// and to start a new one each time it replays the session; each endpoint
// must have been called, /count_words three times as often as /list_words
// but for the replays cut short at the end.
func TestLocustRuns(t *testing.T) {
	rec, err := recording.Load(filepath.Join(*recordingsDir, gradiotest.DefaultVersion, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	app := gradiotest.Start(t, "state")
	r := runLocust(t, rec, app.URL, codegen.Options{Flavour: codegen.Test},
		"--processes", "2", "-u", "4", "-r", "4", "--run-time", "8s")
	if r.err != nil {
		t.Fatalf("locust: %v (failures: %v)\n%s", r.err, r.failures, r.out)
	}
	count, list, all := r.stats["/count_words"], r.stats["/list_words"], r.stats["Aggregated"]
	if list[0] < 4 || count[0] < 3*list[0] || count[0] > 3*list[0]+3*4 {
		t.Errorf("requests: %d of /count_words and %d of /list_words; want one /list_words for three /count_words, from each of 4 users\n%s",
			count[0], list[0], r.out)
	}
	if all[1] != 0 || len(r.failures) > 0 {
		t.Errorf("%d failed requests: %v\n%s", all[1], r.failures, r.out)
	}
}

// TestLocustCheckCatchesChange runs the load test of the calculator's
// golden recording against a copy whose multiply is off by one. With
// --check, the multiply calls fail, named by their output, and nothing
// else; without, no request fails (the recorded division by zero fails
// again, as expected).
func TestLocustCheckCatchesChange(t *testing.T) {
	rec, err := recording.Load(filepath.Join(*recordingsDir, gradiotest.DefaultVersion, "calculator.json"))
	if err != nil {
		t.Fatal(err)
	}
	changed := gradiotest.Start(t, "calculator_changed")
	args := []string{"-u", "2", "-r", "2", "--run-time", "4s"}
	none := codegen.Think{Fixed: true}

	checked := runLocust(t, rec, changed.URL, codegen.Options{Flavour: codegen.Test, Think: none}, args...)
	calc := checked.stats["/calculate"]
	if checked.err == nil || calc[1] == 0 {
		t.Fatalf("with checks, no request failed against calculator_changed (%v):\n%s", checked.err, checked.out)
	}
	// Five calls a replay, the third of them a multiply.
	if calc[1] > calc[0]/5+2 {
		t.Errorf("%d of %d requests failed: want only the multiply calls\n%s", calc[1], calc[0], checked.out)
	}
	errs := checked.failures["/calculate"]
	if len(errs) != 1 || !strings.Contains(errs[0], "3 /calculate: output 0 (result) differs from the recording") {
		t.Errorf("failures %q: want one, naming call 3's output\n%s", errs, checked.out)
	}

	unchecked := runLocust(t, rec, changed.URL, codegen.Options{Think: none}, args...)
	if all := unchecked.stats["Aggregated"]; unchecked.err != nil || all[0] == 0 || all[1] != 0 {
		t.Errorf("without checks: %v, %d requests, %d failed: %v\n%s", unchecked.err, all[0], all[1], unchecked.failures, unchecked.out)
	}
}

// locustGoldens are the hand-written recordings whose locustfiles are
// compared with testdata/golden/locust/<recording>/<script|check>/: one
// stateful session, fixtures, secrets and a Space, hostile text.
var locustGoldens = []string{"calculator", "state", "files", "apikey", "hostile"}

// TestLocustGolden generates the locustfile of a few recordings, without
// and with checks, and compares it with its golden file (TestGoldenCompiles
// compiles them and runs black on them). Run go test ./codegen -update to
// rewrite them.
func TestLocustGolden(t *testing.T) {
	all := recordings(t)
	for _, name := range locustGoldens {
		rec := all[name]
		if rec == nil {
			t.Fatalf("no recording %s in testdata/recordings", name)
		}
		for form, fl := range map[string]codegen.Flavour{"script": codegen.Script, "check": codegen.Test} {
			files, err := codegen.Generate(rec, codegen.Options{Lang: codegen.Locust, Flavour: fl})
			if err != nil {
				t.Fatalf("%s %s: %v", name, form, err)
			}
			golden(t, filepath.Join("testdata", "golden", "locust", name, form, files[0].Path), files[0].Content)
		}
	}
}

// TestLocustThink checks the pauses of each --think setting in the
// locustfile of the calculator's golden recording, whose calls start a
// second apart and take 0.1 s.
func TestLocustThink(t *testing.T) {
	rec, err := recording.Load(filepath.Join(*recordingsDir, gradiotest.DefaultVersion, "calculator.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		think   string
		want    []string
		without []string
	}{
		{"recorded", []string{"time.sleep(0.9)  # as the recorded person did"}, []string{"THINK"}},
		{"none", nil, []string{"time.sleep", "THINK"}},
		{"1500ms", []string{"THINK = 1.5\n", "time.sleep(THINK)"}, []string{"# as the recorded person did"}},
	} {
		th, err := codegen.ParseThink(c.think)
		if err != nil {
			t.Fatal(err)
		}
		files, err := codegen.Generate(rec, codegen.Options{Lang: codegen.Locust, Think: th})
		if err != nil {
			t.Fatal(err)
		}
		code := string(files[0].Content)
		for _, w := range c.want {
			if !strings.Contains(code, w) {
				t.Errorf("--think %s: no %q in\n%s", c.think, w, code)
			}
		}
		for _, w := range c.without {
			if strings.Contains(code, w) {
				t.Errorf("--think %s: %q in\n%s", c.think, w, code)
			}
		}
	}
	for _, bad := range []string{"", "-1s", "2", "fast"} {
		if _, err := codegen.ParseThink(bad); err == nil {
			t.Errorf("ParseThink(%q): no error", bad)
		}
	}
}
