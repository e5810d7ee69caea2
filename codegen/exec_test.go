package codegen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/python"
	"github.com/gradiorec/gradiorec/gradio/expect"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

var recordingsDir = flag.String("recordings", filepath.Join("..", "testdata", "recordings"),
	"the golden recordings, <version>/<app>.json, whose generated code TestGeneratedCodeRuns runs")

// runTimeout stops a generated program that hangs; it is no measure of speed.
const runTimeout = 5 * time.Minute

// A goldenRec is a recording of a steps file, made on a real app.
type goldenRec struct {
	version, app, path string
}

// goldens returns the golden recordings of the Gradio versions under test.
// Having none is a failure: they are part of the repository.
func goldens(t *testing.T) []goldenRec {
	t.Helper()
	var out []goldenRec
	for _, v := range gradiotest.Versions() {
		paths, _ := filepath.Glob(filepath.Join(*recordingsDir, v, "*.json"))
		for _, p := range paths {
			out = append(out, goldenRec{version: v, app: strings.TrimSuffix(filepath.Base(p), ".json"), path: p})
		}
	}
	if len(out) == 0 {
		t.Fatalf("no golden recordings in %s/<version>/ for Gradio %v: they are recorded from testdata/steps with the real apps",
			*recordingsDir, gradiotest.Versions())
	}
	return out
}

// loadGolden loads a golden recording. Its masks cover the outputs that
// differ on every call (see testdata/recordings/README.md).
func loadGolden(t *testing.T, g goldenRec) *recording.Recording {
	t.Helper()
	rec, err := recording.Load(g.path)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// tools are the interpreters and clients generated code runs on.
type tools struct {
	root    string
	node    string // node, with @gradio/client in root/testdata/node
	gocmd   string
	bash    string
	pythons map[string]string // by Gradio version: the virtualenv's python (gradio_client, pytest)
}

func findTools(t *testing.T) *tools {
	t.Helper()
	tl := &tools{root: gradiotest.Root(t), pythons: map[string]string{}}
	var err error
	tl.node, err = exec.LookPath("node")
	gradiotest.Need(t, "node", err)
	_, err = os.Stat(filepath.Join(tl.root, "testdata", "node", "node_modules", "@gradio", "client", "package.json"))
	gradiotest.Need(t, "@gradio/client in testdata/node", err)
	tl.bash, err = exec.LookPath("bash")
	gradiotest.Need(t, "bash", err)
	for _, tool := range []string{"curl", "jq"} {
		_, err = exec.LookPath(tool)
		gradiotest.Need(t, tool, err)
	}
	tl.gocmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, v := range gradiotest.Versions() {
		tl.pythons[v] = gradiotest.Python(t, v)
	}
	return tl
}

// A run is one generated project, exported and executed.
type run struct {
	out string // stdout and stderr
	err error  // how the program ended
}

// execute exports rec as a project (opts: its language, flavour and form)
// into a temporary folder and runs it against url the way its README says, but from the
// folder's parent (so that it must find its fixtures from its own place),
// with GRADIO_URL set and the test apps' login in GRADIO_USERNAME and
// GRADIO_PASSWORD, and env added to the environment.
func (tl *tools) execute(t *testing.T, rec *recording.Recording, version, url string, opts codegen.Options, env ...string) *run {
	t.Helper()
	return tl.prepare(t, rec, version, url, opts, env...).run()
}

// A project is generated code written to a folder, ready to run from
// another one.
type project struct {
	dir  string // the project's folder
	cwd  string // where it is run: dir's parent
	argv []string
	env  []string
}

// prepare exports rec as a project (opts: its language, flavour and form)
// into a temporary folder, installs what it needs (node_modules, go mod tidy), and returns
// how to run it from the folder's parent (see execute).
func (tl *tools) prepare(t *testing.T, rec *recording.Recording, version, url string, opts codegen.Options, env ...string) *project {
	t.Helper()
	cwd := t.TempDir()
	dir := filepath.Join(cwd, "out")
	lang, fl := opts.Lang, opts.Flavour
	opts.GradiorecReplace = tl.root
	p, err := codegen.Export(rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write(dir, rec); err != nil {
		t.Fatal(err)
	}
	code := filepath.Join("out", p.Files[0].Path)
	env = append(append(os.Environ(),
		"GRADIO_URL="+url, "GRADIO_USERNAME=admin", "GRADIO_PASSWORD=s3cret-pass",
		// gradio_client: no telemetry, no Hub.
		"GRADIO_ANALYTICS_ENABLED=False", "HF_HUB_OFFLINE=1", "HF_HUB_DISABLE_TELEMETRY=1",
		// go: build offline against the checkout named by the replace directive.
		"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local",
	), env...)
	var argv []string
	switch lang {
	case codegen.Python:
		argv = []string{tl.pythons[version], code}
		if fl == codegen.Test {
			argv = []string{tl.pythons[version], "-m", "pytest", "-v", "-p", "no:cacheprovider", code}
		}
	case codegen.JavaScript:
		// ES modules ignore NODE_PATH: the project finds the client in its
		// own node_modules, as after npm install.
		if err := os.Symlink(filepath.Join(tl.root, "testdata", "node", "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
			t.Fatal(err)
		}
		argv = []string{tl.node, code}
		if fl == codegen.Test {
			argv = []string{tl.node, "--test", "--test-reporter=spec", code}
		}
	case codegen.Go:
		tidy := exec.Command(tl.gocmd, "mod", "tidy")
		tidy.Dir, tidy.Env = dir, env
		if out, err := tidy.CombinedOutput(); err != nil {
			t.Fatalf("go mod tidy: %v\n%s", err, out)
		}
		// From the parent, through a workspace that uses the project, as
		// in a repository that holds it (-mod=mod is not for workspaces).
		work := filepath.Join(cwd, "go.work")
		if err := os.WriteFile(work, []byte("go 1.26\n\nuse ./out\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		env = append(env, "GOWORK="+work, "GOFLAGS=")
		argv = []string{tl.gocmd, "run", "./out"}
		if fl == codegen.Test {
			argv = []string{tl.gocmd, "test", "-count=1", "-v", "./out/..."}
		}
	case codegen.Curl:
		argv = []string{tl.bash, code}
	}
	return &project{dir: dir, cwd: cwd, argv: argv, env: env}
}

// run runs the project's code and returns how it ended.
func (p *project) run() *run {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.argv[0], p.argv[1:]...)
	cmd.Dir, cmd.Env = p.cwd, p.env
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	return &run{out: string(out), err: err}
}

// TestGeneratedCodeRuns generates every language and flavour for each golden
// recording of testdata/recordings, in the trace form and, where it differs,
// the intent form, and runs the code against a fresh copy of the recorded
// app, on the Gradio version it was recorded with: Python with the real
// gradio_client (and pytest), JavaScript with the real @gradio/client, Go
// with package gradio, cURL with bash. Scripts must exit 0 and print the
// recorded outputs, in order; tests must pass, with one passing check per
// replayed session or call.
func TestGeneratedCodeRuns(t *testing.T) {
	all := goldens(t)
	tl := findTools(t)
	for _, g := range all {
		t.Run(g.version+"/"+g.app, func(t *testing.T) {
			t.Parallel()
			rec := loadGolden(t, g)
			app := gradiotest.Start(t, g.app, gradiotest.Version(g.version), gradiotest.Fresh())
			for _, trace := range []bool{true, false} {
				p, err := plan.New(rec, plan.Options{Trace: trace})
				if err != nil {
					t.Fatal(err)
				}
				form := ""
				if !trace {
					if len(p.Changes) == 0 {
						continue // the same code as the trace
					}
					form = "intent/"
				}
				for _, lang := range codegen.Langs {
					for _, fl := range flavours {
						t.Run(form+string(lang)+"/"+string(fl), func(t *testing.T) {
							r := tl.execute(t, rec, g.version, app.URL, codegen.Options{Lang: lang, Flavour: fl, Trace: trace})
							if r.err != nil {
								t.Fatalf("%s: %v\n%s", codegen.FileName(lang, fl, ""), r.err, r.out)
							}
							if fl == codegen.Script {
								checkScript(t, p, lang, r.out)
							} else {
								checkTest(t, p, lang, r.out)
							}
						})
					}
				}
			}
		})
	}
}

// replayed returns the calls of p that code in lang makes, in order: all
// but the private ones in Python.
func replayed(p *plan.Plan, lang codegen.Lang) []*plan.Call {
	var out []*plan.Call
	for _, s := range p.Sessions {
		for _, c := range s.Calls {
			switch {
			case c.Skip != "":
			case c.Mode == plan.Private && lang == codegen.Python:
			default:
				out = append(out, c)
			}
		}
	}
	return out
}

// lost returns the calls of p whose outputs the client of lang cannot
// reproduce (plan.Session.Lost): gradio_client's, in Python.
func lost(p *plan.Plan, lang codegen.Lang) map[*plan.Call]string {
	out := map[*plan.Call]string{}
	if lang != codegen.Python {
		return out
	}
	for _, s := range p.Sessions {
		maps.Copy(out, s.Lost(python.Client))
	}
	return out
}

// checkScript checks that a script printed each replayed call's recorded
// outcome, in order: the outputs that are compared exactly (not files, not
// masked) as JSON, and the message of each recorded failure.
func checkScript(t *testing.T, p *plan.Plan, lang codegen.Lang, out string) {
	t.Helper()
	// The Go script prints an error and goes on: no more errors than the
	// recording has (an input file not found, say).
	failed := 0
	for _, c := range replayed(p, lang) {
		if c.Error != nil {
			failed++
		}
	}
	if n := count(out, `(?m)^\s*error: `); n > failed {
		t.Errorf("the script printed %d errors, the recording has %d:\n%s", n, failed, out)
	}
	lines := strings.Split(out, "\n")
	at := 0 // the next line to look at
	lost := lost(p, lang)
	for _, c := range replayed(p, lang) {
		if lost[c] != "" {
			continue // its outputs differ
		}
		var found bool
		switch {
		case c.Error != nil:
			want := c.Error.Message
			if want == "" || lang == codegen.Curl && major(p.Rec.App.Version) < 6 {
				want = "error" // the 4.x and 5.x /call API sends no message
			}
			found = seek(lines, &at, func(line string) bool { return strings.Contains(line, want) })
		default:
			match := outputsMatcher(c, lang)
			if match == nil {
				continue // nothing comparable
			}
			found = seek(lines, &at, func(line string) bool {
				doc, ok := lineJSON(line)
				return ok && match(doc)
			})
		}
		if !found {
			t.Errorf("call %s: the script does not print its recorded outcome (%s) after line %d:\n%s", c.Label(), expected(c), at, out)
			return
		}
	}
}

// seek advances *at to the line after the first line from *at that ok
// accepts, and reports whether there was one.
func seek(lines []string, at *int, ok func(string) bool) bool {
	for i := *at; i < len(lines); i++ {
		if ok(lines[i]) {
			*at = i + 1
			return true
		}
	}
	return false
}

// lineJSON reads a line of a script's output as JSON: the whole line, or
// what follows "data: " (curl) or the Go script's indent and "update:".
func lineJSON(line string) (any, bool) {
	line = strings.TrimSpace(line)
	for _, prefix := range []string{"data: ", "update: "} {
		line = strings.TrimPrefix(line, prefix)
	}
	return decodeJSON([]byte(line))
}

func decodeJSON(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// outputsMatcher returns what accepts a printed result of c in lang, or nil
// when no output of c is compared exactly. Python prints one output bare and
// several as a list; Go prints the list of outputs; JavaScript the list of
// every output but State; curl the server's data, with a null for each State
// output.
func outputsMatcher(c *plan.Call, lang codegen.Lang) func(any) bool {
	var want []any
	var idx []int
	for i, o := range c.Outputs {
		if o.Check != plan.Equal || len(o.Masked) > 0 {
			continue
		}
		v, ok := decodeJSON(o.Raw)
		if !ok {
			return nil
		}
		want, idx = append(want, v), append(idx, i)
	}
	if len(want) == 0 {
		return nil
	}
	// Where each output is in the printed list, and the list's length.
	positions, n := make([]int, len(c.Outputs)), len(c.Outputs)
	for i := range positions {
		positions[i] = i
	}
	var drop func(recording.Component) bool
	switch lang {
	case codegen.Curl:
		drop = func(recording.Component) bool { return false }
	case codegen.JavaScript:
		drop = func(comp recording.Component) bool { return comp.Type == "state" }
	}
	if drop != nil {
		if pos, all, ok := c.Positions(drop); ok {
			positions, n = pos, all
		}
	}
	return func(doc any) bool {
		if lang == codegen.Python && len(c.Outputs) == 1 {
			return expect.Equal(doc, want[0])
		}
		list, ok := doc.([]any)
		if !ok || len(list) != n {
			return false
		}
		for k, i := range idx {
			if !expect.Equal(list[positions[i]], want[k]) {
				return false
			}
		}
		return true
	}
}

// expected describes the outcome a script should print for c.
func expected(c *plan.Call) string {
	if c.Error != nil {
		return fmt.Sprintf("the error %q", c.Error.Message)
	}
	var outs []string
	for _, o := range c.Outputs {
		outs = append(outs, string(o.Raw))
	}
	return "outputs [" + strings.Join(outs, ", ") + "]"
}

func major(v string) int {
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}

// checkTest checks that a passing generated test did check something: one
// passing test per session (pytest), one per session and call (node:test and
// go test), or one per call (the curl script).
func checkTest(t *testing.T, p *plan.Plan, lang codegen.Lang, out string) {
	t.Helper()
	calls := replayed(p, lang)
	sessions := map[*plan.Session]bool{}
	for _, s := range p.Sessions {
		for _, c := range s.Calls {
			if slices.Contains(calls, c) {
				sessions[s] = true
			}
		}
	}
	var got, want int
	var what string
	switch lang {
	case codegen.Python:
		// A session with calls gradio_client cannot reproduce is xfailed
		// after its other checks passed.
		xfailed := map[*plan.Session]bool{}
		for c := range lost(p, lang) {
			for _, s := range p.Sessions {
				if slices.Contains(s.Calls, c) {
					xfailed[s] = true
				}
			}
		}
		if n := count(out, `(?m) XFAIL`); n != len(xfailed) {
			t.Errorf("%d xfailed pytest tests, want %d:\n%s", n, len(xfailed), out)
		}
		got, want, what = count(out, `(?m) PASSED`), len(sessions)-len(xfailed), "passed pytest tests"
	case codegen.JavaScript:
		got, want, what = count(out, `(?m)^\s*✔ `), len(sessions)+len(calls), "passed node tests"
	case codegen.Go:
		got, want, what = count(out, `(?m)^\s*--- PASS: `), 1+len(sessions)+len(calls), "passed Go tests"
	case codegen.Curl:
		got, want, what = count(out, `(?m)^ok `), len(calls), "passed checks"
	}
	if got != want {
		t.Errorf("%d %s, want %d:\n%s", got, what, want, out)
	}
}

func count(s, re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(s, -1)) }

// changes are the test apps that differ from another one in one output
// (see testdata/apps/README.md), and how a generated test must report it:
// the call (its label; the Go test names it by its subtest, "3_calculate"),
// the output, and what it must show of the values.
var changes = []struct {
	recorded, changed string
	call, output      string
	show              []string // regular expressions
	// xfail are the languages whose client cannot reproduce the output:
	// their test must say so (xfail), not fail and not pass silently.
	xfail []codegen.Lang
}{
	// multiply returns a·b+1: 6 × 7 gives 43.
	{"calculator", "calculator_changed", "3 /calculate", "output 0 (result)", []string{`\b43\b`, `\b42\b`}, nil},
	// "words" is 4 instead of 3, beside the masked timestamp and nonce.
	{"noisy", "noisy_changed", "1 /report", "output 0 (report)", []string{`words`, `\b4\b`, `\b3\b`}, nil},
	// The words are joined by commas: only calls that read the State an
	// earlier call changed differ (cURL on 4.x and 5.x must keep a session).
	{"state", "state_changed", "2 /count_words", "output 1 (words)", []string{`apple,banana`, `apple banana`}, nil},
	// /add says "1 items: apple"; its later calls, after the private Empty,
	// gradio_client cannot reproduce, but this one it can.
	{"cart", "cart_changed", "1 /add", "output 0 (status)", []string{`1 items: apple`, `1 in the cart: apple`}, nil},
	// /which says "Button First -> hi": gradio_client cannot send the trigger.
	{"eventdata", "eventdata_changed", "1 /which", "output 0 (result)", []string{`Button First -> hi`, `Button First: hi`},
		[]codegen.Lang{codegen.Python}},
}

// TestGeneratedTestsCatchChange runs the generated tests of golden
// recordings against a changed copy of the app (see changes): every
// language must fail and name the call and the output that changed, with
// the value it got and the recorded one, but a language whose client
// cannot reproduce the output, whose test must end xfailed.
func TestGeneratedTestsCatchChange(t *testing.T) {
	all := goldens(t)
	tl := findTools(t)
	for _, ch := range changes {
		var cases []goldenRec
		for _, g := range all {
			if g.app == ch.recorded {
				cases = append(cases, g)
			}
		}
		if len(cases) == 0 {
			t.Fatalf("no golden recording of %s in %s", ch.recorded, *recordingsDir)
		}
		for _, g := range cases {
			t.Run(g.version+"/"+ch.changed, func(t *testing.T) {
				t.Parallel()
				rec := loadGolden(t, g)
				changed := gradiotest.Start(t, ch.changed, gradiotest.Version(g.version), gradiotest.Fresh())
				call := strings.Replace(regexp.QuoteMeta(ch.call), " /", "(?: /|_)", 1)
				want := append([]string{call, regexp.QuoteMeta(ch.output)}, ch.show...)
				for _, lang := range codegen.Langs {
					t.Run(string(lang), func(t *testing.T) {
						r := tl.execute(t, rec, g.version, changed.URL, codegen.Options{Lang: lang, Flavour: codegen.Test})
						if slices.Contains(ch.xfail, lang) {
							if r.err != nil || count(r.out, `(?m) XFAIL`) == 0 {
								t.Fatalf("want an xfailed test (%v):\n%s", r.err, r.out)
							}
							return
						}
						if r.err == nil {
							t.Fatalf("the test passed against %s:\n%s", ch.changed, r.out)
						}
						for _, re := range want {
							if !regexp.MustCompile(re).MatchString(r.out) {
								t.Errorf("the failure does not mention %s:\n%s", re, r.out)
							}
						}
					})
				}
			})
		}
	}
}

// TestGeneratedScriptsFailOnError runs the scripts of the calculator's
// recording against an app that has no /calculate: a call that fails,
// which did not fail in the recording, must end the script with a non-zero
// status in every language (the recorded division by zero alone would not).
func TestGeneratedScriptsFailOnError(t *testing.T) {
	tl := findTools(t)
	var g *goldenRec
	for _, c := range goldens(t) {
		if c.app == "calculator" && c.version == gradiotest.DefaultVersion {
			g = &c
		}
	}
	if g == nil {
		t.Fatal("no golden recording of the calculator")
	}
	rec := loadGolden(t, *g)
	other := gradiotest.Start(t, "echo")
	for _, lang := range codegen.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := tl.execute(t, rec, g.version, other.URL, codegen.Options{Lang: lang, Flavour: codegen.Script})
			if r.err == nil {
				t.Errorf("the script exited 0 though its calls failed:\n%s", r.out)
			}
		})
	}
}
