package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/recording"
)

// Tools are the interpreters the snippets run with.
type Tools struct {
	Root   string // the repository: testdata/node/node_modules has @gradio/client
	Python string // the virtualenv's python, with gradio_client
}

// runTimeout bounds each run of a snippet.
const runTimeout = 2 * time.Minute

// A Run is what became of running one piece of code.
type Run struct {
	OK      bool   // it exited 0
	Output  string // its output, for a person
	Results []byte // Python: what each client.predict returned (measure.py's JSON list)
}

//go:embed measure.py
var measurePy string

// RunSnippet runs the API Recorder's code in lang, unchanged, against the
// app it was recorded on (the code names its URL). A Python snippet runs
// under measure.py, which keeps what each client.predict returns (Results,
// for Reproduces).
func (tl Tools) RunSnippet(ctx context.Context, lang codegen.Lang, code string) (Run, error) {
	dir, err := os.MkdirTemp("", "apirecorder-")
	if err != nil {
		return Run{}, err
	}
	defer os.RemoveAll(dir)
	var cmd []string
	switch lang {
	case codegen.Python:
		if err := write(dir, "measure.py", measurePy); err != nil {
			return Run{}, err
		}
		cmd = []string{tl.Python, "measure.py", "snippet.py", "results.json"}
		err = write(dir, "snippet.py", code)
	case codegen.JavaScript:
		if err := os.Symlink(filepath.Join(tl.Root, "testdata", "node", "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
			return Run{}, err
		}
		cmd = []string{"node", "snippet.mjs"}
		err = write(dir, "snippet.mjs", code)
	case codegen.Curl:
		cmd = []string{"bash", "-e", "-o", "pipefail", "snippet.sh"}
		err = write(dir, "snippet.sh", code)
	default:
		return Run{}, fmt.Errorf("no API Recorder snippet in %s", lang)
	}
	if err != nil {
		return Run{}, err
	}
	r := run(ctx, dir, cmd)
	if lang == codegen.Python {
		r.Results, _ = os.ReadFile(filepath.Join(dir, "results.json"))
	}
	if lang == codegen.Curl {
		// curl exits 0 on an HTTP error, and the snippet pipes it: it ran
		// when the event stream it reads ended with a result.
		r.OK = r.OK && strings.Contains(r.Output, "event: complete")
	}
	return r, nil
}

// RunOurs writes gradiorec's intent script of rec in lang as a project
// (the code, its input files) and runs it as its README says, against the
// app it was recorded on (the code's default URL), with env added to the
// environment (the login). rec is as loaded from disk, so that its files
// folder is known. It returns the code and the run.
func (tl Tools) RunOurs(ctx context.Context, rec *recording.Recording, lang codegen.Lang, env []string) (string, Run, error) {
	dir, err := os.MkdirTemp("", "gradiorec-intent-")
	if err != nil {
		return "", Run{}, err
	}
	defer os.RemoveAll(dir)
	p, err := codegen.Export(rec, codegen.Options{Lang: lang})
	if err != nil {
		return "", Run{}, err
	}
	if err := p.Write(dir, rec); err != nil {
		return "", Run{}, err
	}
	code := p.Files[0]
	var cmd []string
	switch lang {
	case codegen.Python:
		cmd = []string{tl.Python, code.Path}
	case codegen.JavaScript:
		if err := os.Symlink(filepath.Join(tl.Root, "testdata", "node", "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
			return "", Run{}, err
		}
		cmd = []string{"node", code.Path}
	case codegen.Curl:
		cmd = []string{"bash", code.Path}
	default:
		return "", Run{}, fmt.Errorf("no intent script run in %s", lang)
	}
	return string(code.Content), run(ctx, dir, cmd, env...), nil
}

// run runs cmd in dir, bounded by runTimeout, with env added to the
// environment.
func run(ctx context.Context, dir string, cmd []string, env ...string) Run {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	c := exec.CommandContext(ctx, cmd[0], cmd[1:]...)
	c.Dir = dir
	c.Env = append(os.Environ(), "GRADIO_ANALYTICS_ENABLED=False", "HF_HUB_OFFLINE=1", "HF_HUB_DISABLE_TELEMETRY=1")
	c.Env = append(c.Env, env...)
	c.WaitDelay = 5 * time.Second
	out, err := c.CombinedOutput()
	if err != nil {
		out = append(out, "\n"+err.Error()...)
	}
	return Run{OK: err == nil, Output: string(out)}
}

func write(dir, name, text string) error {
	return os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
}

// Reproduces reports whether the results of a Python snippet's calls (as
// measure.py keeps them) are the outputs of rec's calls, call by call in
// order: every call of the session made, each returning what the page got
// (files by their SHA-256, and without the parts the golden recording's
// masks say vary). It says why not when it does not.
func Reproduces(rec *recording.Recording, results []byte, masks []recording.Mask) (bool, string) {
	var got []any
	if err := json.Unmarshal(results, &got); err != nil {
		return false, "no results: " + err.Error()
	}
	if len(got) != len(rec.Calls) {
		return false, fmt.Sprintf("%d calls made, the session has %d", len(got), len(rec.Calls))
	}
	for i, c := range rec.Calls {
		var want []any
		for _, o := range c.Outputs {
			var v any
			if err := json.Unmarshal(o, &v); err != nil {
				return false, err.Error()
			}
			want = append(want, hashFiles(rec, v))
		}
		have, ok := got[i].([]any)
		if len(c.Outputs) == 1 || !ok {
			have = []any{got[i]}
		}
		for _, m := range masks {
			if m.Endpoint == "" || m.Endpoint == c.APIName {
				want, have = unset(want, m.Path), unset(have, m.Path)
			}
		}
		if !reflect.DeepEqual(want, have) {
			return false, fmt.Sprintf("call %d %s returned %s, the page got %s", c.ID, c.APIName, jsonText(have), jsonText(want))
		}
	}
	return true, ""
}

// hashFiles replaces the FileData values in v by {"sha256": …} of their
// recorded bytes, as measure.py replaces downloaded files.
func hashFiles(rec *recording.Recording, v any) any {
	switch t := v.(type) {
	case []any:
		for i := range t {
			t[i] = hashFiles(rec, t[i])
		}
	case map[string]any:
		raw, _ := json.Marshal(t)
		for fd := range recording.FileDatas(raw) {
			if fd.Pointer == "" {
				if f := rec.File(fd.Fixture); f != nil {
					return map[string]any{"sha256": f.SHA256}
				}
			}
		}
		for k := range t {
			t[k] = hashFiles(rec, t[k])
		}
	}
	return v
}

// unset removes the value at a JSON Pointer into outputs, if there is one.
func unset(outputs []any, pointer string) []any {
	parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	var v any = outputs
	for i, p := range parts {
		last := i == len(parts)-1
		switch t := v.(type) {
		case []any:
			var k int
			if _, err := fmt.Sscanf(p, "%d", &k); err != nil || k < 0 || k >= len(t) {
				return outputs
			}
			if last {
				t[k] = nil
				return outputs
			}
			v = t[k]
		case map[string]any:
			if last {
				delete(t, p)
				return outputs
			}
			v = t[p]
		default:
			return outputs
		}
	}
	return outputs
}

func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	s := strings.TrimSpace(b.String())
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// Lines counts the lines of code: not blank, not a comment, not in a
// Python docstring. Both tools' code is counted so.
func Lines(lang codegen.Lang, code string) int {
	n := 0
	doc := false
	for _, line := range strings.Split(code, "\n") {
		l := strings.TrimSpace(line)
		if lang == codegen.Python && strings.HasPrefix(l, `"""`) {
			closes := len(l) >= 6 && strings.HasSuffix(l, `"""`)
			if !doc && !closes {
				doc = true
			} else if doc {
				doc = false
			}
			continue
		}
		if doc && strings.HasSuffix(l, `"""`) {
			doc = false
			continue
		}
		if l == "" || doc || comment(lang, l) {
			continue
		}
		n++
	}
	return n
}

func comment(lang codegen.Lang, l string) bool {
	switch lang {
	case codegen.JavaScript, codegen.Go:
		return strings.HasPrefix(l, "//") || strings.HasPrefix(l, "/*") || strings.HasPrefix(l, "*")
	default:
		return strings.HasPrefix(l, "#")
	}
}
