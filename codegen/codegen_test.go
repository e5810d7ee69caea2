package codegen_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/codegen/golang"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// recordings returns the hand-written recordings of testdata/recordings, by
// name.
func recordings(t testing.TB) map[string]*recording.Recording {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "recordings", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no recordings in testdata/recordings: %v", err)
	}
	out := map[string]*recording.Recording{}
	for _, p := range paths {
		out[strings.TrimSuffix(filepath.Base(p), ".json")] = load(t, p)
	}
	return out
}

func load(t testing.TB, path string) *recording.Recording {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rec recording.Recording
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &rec
}

var flavours = []codegen.Flavour{codegen.Script, codegen.Test}

// recorded returns the golden recordings of the real test apps,
// testdata/recordings/<version>/<app>.json at the repository's root, of
// every Gradio version, by "recorded/<version>/<app>".
func recorded(t testing.TB) map[string]*recording.Recording {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(*recordingsDir, "*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden recordings in %s/<version>/: %v", *recordingsDir, err)
	}
	out := map[string]*recording.Recording{}
	for _, p := range paths {
		rec, err := recording.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		name := path.Join("recorded", filepath.Base(filepath.Dir(p)), strings.TrimSuffix(filepath.Base(p), ".json"))
		out[name] = rec
	}
	return out
}

// TestGolden generates every language and flavour for every recording, the
// hand-written ones of testdata/recordings and the recorded ones of the
// repository's testdata/recordings, in both forms, and compares the files
// with testdata/golden/<recording>/<flavour>/ (recorded/<version>/<app> for
// the latter) for the trace form, and .../intent-<flavour>/ for the intent
// form where it differs from the trace. Run go test ./codegen -update to
// rewrite them.
func TestGolden(t *testing.T) {
	all := recordings(t)
	maps.Copy(all, recorded(t))
	for name, rec := range all {
		for _, fl := range flavours {
			trace := generateAll(t, name, rec, codegen.Options{Flavour: fl, Trace: true})
			intent := generateAll(t, name, rec, codegen.Options{Flavour: fl})
			forms := map[string][]codegen.File{string(fl): trace}
			if !slices.EqualFunc(trace, intent, func(a, b codegen.File) bool { return a.Path == b.Path && bytes.Equal(a.Content, b.Content) }) {
				forms["intent-"+string(fl)] = intent
			}
			for _, form := range []string{string(fl), "intent-" + string(fl)} {
				dir := filepath.Join("testdata", "golden", filepath.FromSlash(name), form)
				var want []string
				for _, f := range forms[form] {
					want = append(want, f.Path)
					golden(t, filepath.Join(dir, filepath.FromSlash(f.Path)), f.Content)
				}
				if *update {
					removeStale(t, dir, want)
				} else if want == nil {
					if _, err := os.Stat(dir); err == nil {
						t.Errorf("%s: the intent form equals the trace form, but the folder is there (run go test ./codegen -update)", dir)
					}
				}
			}
		}
	}
	if *update {
		// The goldens of recordings that are gone.
		dirs, _ := filepath.Glob(filepath.Join("testdata", "golden", "recorded", "*", "*"))
		for _, d := range dirs {
			rel, _ := filepath.Rel(filepath.Join("testdata", "golden"), d)
			if _, ok := all[filepath.ToSlash(rel)]; !ok {
				os.RemoveAll(d)
			}
		}
	}
}

// generateAll generates every language for rec with opts, twice, and
// requires the same files both times.
func generateAll(t *testing.T, name string, rec *recording.Recording, opts codegen.Options) []codegen.File {
	t.Helper()
	var all []codegen.File
	for _, lang := range codegen.Langs {
		opts.Lang = lang
		files, err := codegen.Generate(rec, opts)
		if err != nil {
			t.Fatalf("%s %s %s: %v", name, lang, opts.Flavour, err)
		}
		again, _ := codegen.Generate(rec, opts)
		for i, f := range files {
			if !bytes.Equal(f.Content, again[i].Content) {
				t.Errorf("%s %s %s: output differs between runs", name, lang, opts.Flavour)
			}
			if strings.HasSuffix(f.Path, ".go") {
				if formatted, err := format.Source(f.Content); err != nil || !bytes.Equal(formatted, f.Content) {
					t.Errorf("%s %s %s: %s is not gofmt-clean (%v)", name, lang, opts.Flavour, f.Path, err)
				}
			}
		}
		all = append(all, files...)
	}
	return all
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (run go test ./codegen -update)", err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generated code (run go test ./codegen -update to accept):\n%s", path, diff(string(want), string(got)))
	}
}

func removeStale(t *testing.T, dir string, keep []string) {
	if len(keep) == 0 {
		os.RemoveAll(dir)
		return
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !slices.Contains(keep, filepath.ToSlash(rel)) {
			os.Remove(p)
		}
		return nil
	})
}

// diff shows the first differing line with a little context.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, wl, gl)
		}
	}
	return "(same lines, different bytes)"
}

// TestGoldenCompiles checks that the golden files are valid code: Python
// compiles (and is black-clean when black is there), JavaScript parses as ES
// modules in node, Go passes go vet against the real gradio package, and bash
// parses the scripts.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the language tools")
	}
	root := filepath.Join("testdata", "golden")
	var py, js, sh, godirs []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".py":
			py = append(py, p)
		case ".mjs":
			js = append(js, p)
		case ".sh":
			sh = append(sh, p)
		case ".go":
			if dir := "./" + filepath.ToSlash(filepath.Dir(p)); !slices.Contains(godirs, dir) {
				godirs = append(godirs, dir)
			}
		}
		return nil
	})
	if len(py) == 0 || len(js) == 0 || len(sh) == 0 || len(godirs) == 0 {
		t.Fatalf("found %d Python, %d JavaScript, %d bash files and %d Go folders under %s: want some of each (go test ./codegen -run TestGolden -update)", len(py), len(js), len(sh), len(godirs), root)
	}
	t.Run("python", func(t *testing.T) {
		python := pythonCommand(t)
		args := append([]string{"-m", "py_compile"}, py...)
		compile := exec.Command(python, args...)
		// The bytecode goes to a temporary folder, not beside the goldens.
		compile.Env = append(os.Environ(), "PYTHONPYCACHEPREFIX="+t.TempDir())
		if out, err := compile.CombinedOutput(); err != nil {
			t.Fatalf("py_compile: %v\n%s", err, out)
		}
		black := gradiotest.Black(t)
		args = append(black[1:], append([]string{"--check", "--diff", "--quiet"}, py...)...)
		if out, err := exec.Command(black[0], args...).CombinedOutput(); err != nil {
			t.Fatalf("black would reformat generated code: %v\n%s", err, out)
		}
	})
	t.Run("javascript", func(t *testing.T) {
		node, err := exec.LookPath("node")
		gradiotest.Need(t, "node", err)
		// One node parses every module, as node --check does for one.
		args := append([]string{"--experimental-vm-modules", "--no-warnings", "--input-type=module", "-e", parseModules, "--"}, js...)
		if out, err := exec.Command(node, args...).CombinedOutput(); err != nil {
			t.Errorf("parse the generated modules: %v\n%s", err, out)
		}
	})
	t.Run("bash", func(t *testing.T) {
		bash, err := exec.LookPath("bash")
		gradiotest.Need(t, "bash", err)
		for _, f := range sh {
			if out, err := exec.Command(bash, "-n", f).CombinedOutput(); err != nil {
				t.Errorf("bash -n %s: %v\n%s", f, err, out)
			}
		}
	})
	t.Run("go", func(t *testing.T) {
		// In a module of their own that says go 1.23, as generated go.mod
		// files do: the compiler holds the code to Go 1.23 and vet to its
		// standard library.
		mod := t.TempDir()
		for _, dir := range godirs {
			files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
			if err := os.MkdirAll(filepath.Join(mod, dir), 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err == nil {
					err = os.WriteFile(filepath.Join(mod, f), data, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		client, err := filepath.Abs(filepath.Join("..", "gradio"))
		if err != nil {
			t.Fatal(err)
		}
		gomod := fmt.Sprintf("module goldens\n\ngo %s\n\nrequire %s v0.0.0\n\nreplace %[2]s => %s\n", golang.GoVersion, golang.ModulePath, client)
		if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
			t.Fatal(err)
		}
		gocmd := filepath.Join(runtime.GOROOT(), "bin", "go")
		cmd := exec.Command(gocmd, append([]string{"vet"}, godirs...)...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go vet: %v\n%s", err, out)
		}
	})
}

// parseModules parses each ES module named by its arguments without running
// it, and prints the syntax errors.
const parseModules = `
import { readFileSync } from "node:fs";
import vm from "node:vm";
let bad = 0;
for (const f of process.argv.slice(2)) {
  try {
    new vm.SourceTextModule(readFileSync(f, "utf8"), { identifier: f });
  } catch (e) {
    bad++;
    console.log(f + ": " + e);
  }
}
process.exit(bad ? 1 : 0);
`

func pythonCommand(t *testing.T) string {
	venv := filepath.Join(gradiotest.Root(t), ".venv", "gradio-"+gradiotest.DefaultVersion, "bin", "python")
	if _, err := os.Stat(venv); err == nil {
		return venv
	}
	p, err := exec.LookPath("python3")
	gradiotest.Need(t, "python3", err)
	return p
}
