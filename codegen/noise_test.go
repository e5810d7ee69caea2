package codegen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// streamRuns is how many times each language's generated test runs against
// the random chatbot: every run must pass.
const streamRuns = 100

// TestGeneratedTestsStreamNoise runs the generated tests of a recording of
// a random-reply streaming chatbot (testdata/apps/llm.py), with the masks
// that replay --learn-noise learns for it (replay TestLearnStreamNoise: the
// whole /chat reply, and the updates of both streams, whose number and
// chunks vary), streamRuns times in every language: all must pass. Against
// llm_changed, whose /answer's final reply changed, every language must
// fail and name /answer. On every Gradio version under test, each with its
// own recording.
func TestGeneratedTestsStreamNoise(t *testing.T) {
	tl := findTools(t)
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			// gradiorec record --steps testdata/steps/llm.yaml, on each version
			rec, err := recording.Load(filepath.Join("..", "replay", "testdata", "llm", v+".json"))
			if err != nil {
				t.Fatal(err)
			}
			rec.Masks = []recording.Mask{
				{Call: 1, Endpoint: "/chat", Path: "/0"},
				{Call: 1, Endpoint: "/chat", Path: "/updates"},
				{Call: 2, Endpoint: "/answer", Path: "/updates"},
			}
			app := gradiotest.Start(t, "llm", gradiotest.Version(v))
			changed := gradiotest.Start(t, "llm_changed", gradiotest.Version(v))
			for _, lang := range codegen.Langs {
				t.Run(string(lang), func(t *testing.T) {
					t.Parallel()
					p := tl.prepare(t, rec, v, app.URL, codegen.Options{Lang: lang, Flavour: codegen.Test})
					p.repeat(t, lang, streamRuns)
					r := p.run()
					if r.err != nil {
						t.Fatalf("%v\n%s", r.err, r.out)
					}
					if n := passes(r.out, lang); n != streamRuns {
						t.Fatalf("%d passing runs, want %d:\n%s", n, streamRuns, r.out)
					}
					r = tl.execute(t, rec, v, changed.URL, codegen.Options{Lang: lang, Flavour: codegen.Test})
					if r.err == nil {
						t.Fatalf("the test passed against llm_changed:\n%s", r.out)
					}
					for _, re := range []string{`2(?: /|_)answer`, `Answer to life: 43\.`} {
						if !regexp.MustCompile(re).MatchString(r.out) {
							t.Errorf("the failure does not mention %s:\n%s", re, r.out)
						}
					}
				})
			}
		})
	}
}

// repeat makes the project's test command run its tests n times in one
// process where the runner can (pytest, go test, node:test), or the script
// n times in one shell, stopping at the first failure.
func (p *project) repeat(t *testing.T, lang codegen.Lang, n int) {
	t.Helper()
	code := p.argv[len(p.argv)-1]
	switch lang {
	case codegen.Python:
		// pytest runs a file given n times with --keep-duplicates.
		p.argv = append(p.argv[:len(p.argv)-1], "--keep-duplicates")
		for range n {
			p.argv = append(p.argv, code)
		}
	case codegen.Go:
		i := slices.Index(p.argv, "-count=1")
		p.argv[i] = fmt.Sprintf("-count=%d", n)
	case codegen.JavaScript:
		// Each import with another query is a new module instance, which
		// registers the tests again.
		runner := filepath.Join(p.dir, "repeat.test.mjs")
		src := fmt.Sprintf("for (let i = 0; i < %d; i++) await import(%q + i);\n", n, "./"+filepath.Base(code)+"?run=")
		if err := os.WriteFile(runner, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		p.argv[len(p.argv)-1] = filepath.Join(filepath.Base(p.dir), "repeat.test.mjs")
	case codegen.Curl:
		p.argv = []string{p.argv[0], "-c", fmt.Sprintf(`for ((i = 0; i < %d; i++)); do "$0" "$1" || exit; done`, n), p.argv[0], code}
	}
}

// passes counts the passing runs of a repeated test in its output: the
// sessions (pytest), the TestReplay runs (go test), the top-level tests
// (node:test) or the scripts' summaries (curl).
func passes(out string, lang codegen.Lang) int {
	switch lang {
	case codegen.Python:
		return count(out, `(?m) PASSED`)
	case codegen.Go:
		return count(out, `(?m)^--- PASS: TestReplay `)
	case codegen.JavaScript:
		return count(out, `(?m)^✔ session `)
	}
	return count(out, `(?m)^\d+ passed, 0 failed$`)
}
