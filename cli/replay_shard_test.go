package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// junitCases reads a JUnit report: the suite of each test case, by the
// case's class name (suite.session) and name.
func junitCases(t *testing.T, path string) (suites []string, cases []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Class string `xml:"classname,attr"`
				Name  string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, data)
	}
	for _, s := range doc.Suites {
		suites = append(suites, s.Name)
		for _, c := range s.Cases {
			cases = append(cases, c.Class+" "+c.Name)
		}
	}
	return suites, cases
}

// untimed is a JUnit report without its times, which differ on every run.
func untimed(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(` time="[^"]*"`).ReplaceAllString(string(data), "")
}

// saveRecording saves rec at dir/name.json, making the folders on the way.
func saveRecording(t *testing.T, dir, name string, rec *recording.Recording) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name)+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := recording.Save(path, rec); err != nil {
		t.Fatal(err)
	}
	return path
}

// A folder of recordings, replayed whole four sessions at a time and in three
// shards: each shard replays its recordings, every recording is in exactly
// one shard, and the merged JUnit of the shards is the unsharded one.
func TestReplayFolderShards(t *testing.T) {
	app := gradiotest.Start(t, "state")
	state, err := recording.Load(goldenRecording(t, "state"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	names := []string{"alpha", "beta", "chat/gamma", "chat/delta", "epsilon", "zeta", "eta"}
	for i, name := range names {
		saveRecording(t, dir, name, gradiotest.Sessions(state, i%3+1))
	}
	// Not recordings of the folder: a link, a journal, a hidden folder.
	if err := os.Symlink(filepath.Join(dir, "alpha.json"), filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	saveRecording(t, dir, ".hidden/theta", state)
	slices.Sort(names)

	out := t.TempDir()
	whole := filepath.Join(out, "whole.xml")
	code, stdout, stderr := run("replay", "--url", app.URL, "--parallel", "4", "--all", "--junit", whole, dir)
	if code != replay.ExitPass {
		t.Fatalf("replay of the folder: exit %d\n%s%s", code, stdout, stderr)
	}
	if suites, _ := junitCases(t, whole); !slices.Equal(suites, names) {
		t.Errorf("suites %q, want the recordings in order of name %q", suites, names)
	}
	// The reports are printed in order of name, each after its calls.
	at := -1
	for _, name := range names {
		i := strings.Index("\n"+stdout, "\n"+name+"\nPASS  call 1 ")
		if i < 0 || i < at {
			t.Errorf("%s not printed, or out of order:\n%s", name, stdout)
		}
		at = i
	}

	// --json: an array of {"recording", "report"}, in order of name.
	code, stdout, stderr = run("replay", "--url", app.URL, "--parallel", "4", "--json", dir)
	var reports []struct {
		Recording string `json:"recording"`
		Report    struct {
			Outcome string            `json:"outcome"`
			Calls   []json.RawMessage `json:"calls"`
		} `json:"report"`
	}
	if err := json.Unmarshal([]byte(stdout), &reports); code != replay.ExitPass || err != nil || len(reports) != len(names) {
		t.Fatalf("--json: exit %d, %v, %d reports\n%s%s", code, err, len(reports), stdout, stderr)
	}
	for i, r := range reports {
		if r.Recording != names[i] || r.Report.Outcome != "pass" || len(r.Report.Calls) == 0 {
			t.Errorf("--json report %d: %s %s with %d calls, want %s passed", i, r.Recording, r.Report.Outcome, len(r.Report.Calls), names[i])
		}
	}

	var seen []string
	for _, report := range replayShards(t, app.URL, dir, whole) {
		suites, _ := junitCases(t, report)
		seen = append(seen, suites...)
	}
	slices.Sort(seen)
	if !slices.Equal(seen, names) {
		t.Errorf("the shards replayed %q, want every recording once: %q", seen, names)
	}
}

// replayShards replays target in three shards, beside the unsharded
// report whole, and checks that the shards' merged report is whole's but
// for the times; it returns the shards' reports.
func replayShards(t *testing.T, url, target, whole string) []string {
	t.Helper()
	out := filepath.Dir(whole)
	var shards []string
	for _, i := range []string{"1", "2", "3"} {
		report := filepath.Join(out, "shard"+i+".xml")
		code, stdout, stderr := run("replay", "--url", url, "--parallel", "3", "--shard", i+"/3", "--junit", report, target)
		if code != replay.ExitPass || !strings.Contains(stderr, "shard "+i+"/3: ") {
			t.Fatalf("shard %s/3: exit %d\n%s%s", i, code, stdout, stderr)
		}
		shards = append(shards, report)
	}
	merged := filepath.Join(out, "merged.xml")
	if code, stdout, stderr := run(append([]string{"report", "merge", "-o", merged}, shards...)...); code != ExitOK {
		t.Fatalf("report merge: exit %d\n%s%s", code, stdout, stderr)
	}
	if got, want := untimed(t, merged), untimed(t, whole); got != want {
		t.Errorf("merged shards:\n%s\nwant the unsharded report:\n%s", got, want)
	}
	return shards
}

// One recording is sharded by session: the shards replay every session
// once, and their merged report is the unsharded one.
func TestReplayShardSessions(t *testing.T) {
	app := gradiotest.Start(t, "state")
	state, err := recording.Load(goldenRecording(t, "state"))
	if err != nil {
		t.Fatal(err)
	}
	path := saveRecording(t, t.TempDir(), "users", gradiotest.Sessions(state, 7))
	out := t.TempDir()
	whole := filepath.Join(out, "whole.xml")
	if code, stdout, stderr := run("replay", "--url", app.URL, "--junit", whole, path); code != replay.ExitPass {
		t.Fatalf("unsharded: exit %d\n%s%s", code, stdout, stderr)
	}
	_, want := junitCases(t, whole)
	var got []string
	for _, report := range replayShards(t, app.URL, path, whole) {
		_, cases := junitCases(t, report)
		got = append(got, cases...)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the shards replayed\n%q\nwant every call once:\n%q", got, want)
	}
}

func TestReplayShardBadInput(t *testing.T) {
	calc := goldenRecording(t, "calculator")
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "--shard", "0/3", calc}, "want I/N with 1 ≤ I ≤ N"},
		{[]string{"replay", "--shard", "4/3", calc}, "want I/N with 1 ≤ I ≤ N"},
		{[]string{"replay", "--shard", "x", calc}, "want I/N with 1 ≤ I ≤ N"},
		{[]string{"replay", "--parallel", "0", calc}, "--parallel must be at least 1"},
		{[]string{"replay", "--max-slowdown", "half", calc}, "--max-slowdown: slowdown \"half\": want a ratio of at least 1"},
		{[]string{"replay", empty}, "holds no recording"},
		{[]string{"replay", "--learn-noise", "2", calc, calc}, "two recordings are named calculator"},
		{[]string{"report", "merge", calc}, "not XML"},
		{[]string{"report", "merge"}, "want the JUnit reports to merge"},
		{[]string{"report"}, "want a subcommand: merge"},
	} {
		code, _, stderr := run(tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, ExitUsage, tc.want)
		}
	}
}
