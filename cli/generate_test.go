package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recording"
)

// handWritten returns the path of one of codegen's hand-written recordings.
func handWritten(t *testing.T, name string) string {
	return filepath.Join(gradiotest.Root(t), "codegen", "testdata", "recordings", name+".json")
}

// filesRecording copies codegen's recording of the files app into a
// temporary folder, with its input fixtures (the test apps' fixture files),
// and returns its path.
func filesRecording(t *testing.T) string {
	t.Helper()
	root := gradiotest.Root(t)
	dir := t.TempDir()
	doc, err := os.ReadFile(handWritten(t, "files"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "files.json")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"8726d7fc6b250b84cdad955cd730ffbc6d75f715da7501b9138f557b3dc5eae6/pattern.png": "pattern.png",
		"aa597c4ea0eec6af895cdf671f68b863ac012d7245288bed0fb05e87713b3d8f/sample.txt":  "sample.txt",
	} {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "apps", "fixtures", src))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(recording.FilesDir(path), filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestGenerateStdout(t *testing.T) {
	path := handWritten(t, "calculator")
	rec, err := recording.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		opts codegen.Options
	}{
		{[]string{"--lang", "python"}, codegen.Options{Lang: codegen.Python}},
		{[]string{"--lang", "js", "--test"}, codegen.Options{Lang: codegen.JavaScript, Flavour: codegen.Test}},
		{[]string{"--lang=go", "--url", "http://localhost:9000/app/"}, codegen.Options{Lang: codegen.Go, URL: "http://localhost:9000/app/"}},
		{[]string{"--lang", "curl", "--test", "--name", "calc"}, codegen.Options{Lang: codegen.Curl, Flavour: codegen.Test, Name: "calc"}},
	} {
		files, err := codegen.Generate(rec, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		// Flags may come before or after the recording.
		code, out, errs := run(append(append([]string{"generate"}, tc.args...), path)...)
		if code != ExitOK || out != string(files[0].Content) || errs != "" {
			t.Errorf("generate %v: exit %d, stderr %q, stdout:\n%s", tc.args, code, errs, out)
		}
		code, again, _ := run(append([]string{"generate", path}, tc.args...)...)
		if code != ExitOK || again != out {
			t.Errorf("generate RECORDING %v: exit %d, output differs", tc.args, code)
		}
	}
}

func TestGenerateProject(t *testing.T) {
	path := filesRecording(t)
	for _, lang := range codegen.Langs {
		for _, test := range []bool{false, true} {
			dir := filepath.Join(t.TempDir(), "out")
			args := []string{"generate", "--lang", string(lang), "-o", dir, path}
			if test {
				args = append(args, "--test")
			}
			code, out, errs := run(args...)
			if code != ExitOK {
				t.Fatalf("%v: exit %d, stderr %s", args, code, errs)
			}
			fl := codegen.Script
			if test {
				fl = codegen.Test
			}
			fixtures := "fixtures"
			if lang == codegen.Go {
				fixtures = "testdata/fixtures" // which the go command ignores
			}
			want := []string{codegen.FileName(lang, fl, ""), "README.md", fixtures + "/pattern.png", fixtures + "/sample.txt"}
			switch lang {
			case codegen.Python:
				want = append(want, "requirements.txt")
			case codegen.JavaScript:
				want = append(want, "package.json")
			case codegen.Go:
				want = append(want, "go.mod")
			}
			for _, f := range want {
				p := filepath.Join(dir, filepath.FromSlash(f))
				if _, err := os.Stat(p); err != nil {
					t.Errorf("%s %s: %v", lang, fl, err)
				}
				if !strings.Contains(out, p) {
					t.Errorf("%s %s: the output does not name %s:\n%s", lang, fl, p, out)
				}
			}
			png, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(fixtures), "pattern.png"))
			orig, _ := os.ReadFile(filepath.Join(gradiotest.Root(t), "testdata", "apps", "fixtures", "pattern.png"))
			if err != nil || !bytes.Equal(png, orig) {
				t.Errorf("%s %s: fixture not copied byte for byte (%v)", lang, fl, err)
			}
			if lang == codegen.Curl {
				st, err := os.Stat(filepath.Join(dir, codegen.FileName(lang, fl, "")))
				if err != nil || st.Mode().Perm()&0o100 == 0 {
					t.Errorf("curl %s: the script is not executable: %v", fl, err)
				}
			}
			if lang == codegen.Go && !strings.Contains(errs, "--go-replace") {
				t.Errorf("go: no note on the go.mod's requirement: %q", errs)
			}
		}
	}
}

func TestGenerateGoReplace(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := run("generate", "--lang", "go", "--test", "-o", dir, "--go-module", "example.com/calc",
		"--go-replace", "../gradiorec", handWritten(t, "calculator"))
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"module example.com/calc\n", "go 1.23\n", "require github.com/gradiorec/gradiorec/gradio v0.0.0\n", "replace github.com/gradiorec/gradiorec/gradio => ../gradiorec/gradio\n"} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, mod)
		}
	}
	// A second export into the same folder is refused, unless --force:
	// then it replaces the files.
	again := []string{"generate", "--lang", "go", "--test", "-o", dir, handWritten(t, "calculator")}
	if code, _, errs := run(again...); code != ExitError || !strings.Contains(errs, "not empty") || !strings.Contains(errs, "--force") {
		t.Errorf("again without --force: exit %d, stderr %q", code, errs)
	}
	if mod, _ := os.ReadFile(filepath.Join(dir, "go.mod")); !strings.Contains(string(mod), "replace") {
		t.Errorf("go.mod replaced without --force:\n%s", mod)
	}
	if code, _, errs := run(append(again, "--force")...); code != ExitOK {
		t.Fatalf("again with --force: exit %d, stderr %q", code, errs)
	}
	if mod, _ := os.ReadFile(filepath.Join(dir, "go.mod")); strings.Contains(string(mod), "replace") {
		t.Errorf("go.mod not replaced:\n%s", mod)
	}
}

func TestGenerateVersion(t *testing.T) {
	old := version.Version
	version.Version = "v1.4.2"
	t.Cleanup(func() { version.Version = old })
	dir := t.TempDir()
	if code, _, errs := run("generate", "--lang", "go", "-o", dir, handWritten(t, "calculator")); code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !strings.Contains(string(mod), "require github.com/gradiorec/gradiorec/gradio v1.4.2\n") {
		t.Errorf("a release build does not require its own version:\n%s", mod)
	}
}

func TestGenerateBadInput(t *testing.T) {
	dir := t.TempDir()
	future := filepath.Join(dir, "future.json")
	if err := os.WriteFile(future, []byte(`{"format": "gradiorec.recording/v99"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(dir, "notes.json")
	if err := os.WriteFile(notJSON, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")
	calc := handWritten(t, "calculator")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"generate", "--lang", "cobol", calc}, ExitUsage, `unknown language "cobol"`},
		{[]string{"generate", calc}, ExitUsage, "--lang is required"},
		{[]string{"generate", "--lang", "python"}, ExitUsage, "want one recording file"},
		{[]string{"generate", "--lang", "python", calc, calc}, ExitUsage, "want one recording file"},
		{[]string{"generate", "--lang", "python", "--bogus", calc}, ExitUsage, "flag provided but not defined"},
		{[]string{"generate", "--lang", "python", missing}, ExitUsage, "missing.json: no such file"},
		{[]string{"generate", "--lang", "python", future}, ExitUsage, "upgrade gradiorec"},
		{[]string{"generate", "--lang", "python", notJSON}, ExitUsage, "line 1"},
		{[]string{"generate", "--lang", "python", filesRecording(t)}, ExitError, "-o DIR"},
		{[]string{"generate", "--lang", "python", "--force", calc}, ExitUsage, "--force applies to the -o DIR"},
	} {
		code, out, errs := run(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q (want %q)", tc.args, code, tc.code, out, errs, tc.want)
		}
	}
}

func TestGenerateMissingFixture(t *testing.T) {
	path := filesRecording(t)
	if err := os.RemoveAll(filepath.Join(recording.FilesDir(path), "aa597c4ea0eec6af895cdf671f68b863ac012d7245288bed0fb05e87713b3d8f")); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run("generate", "--lang", "python", "-o", t.TempDir(), path)
	if code != ExitUsage || !strings.Contains(errs, "sample.txt") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// TestGenerateForms: generate writes the intent form (a ChatInterface turn
// is one call of /chat), --trace every call the page made.
func TestGenerateForms(t *testing.T) {
	path := filepath.Join(gradiotest.Root(t), "testdata", "recordings", "6.31.0", "chat.json")
	code, intent, errs := run("generate", "--lang", "python", path)
	if code != ExitOK || strings.Count(intent, `api_name="/chat"`) != 2 || strings.Contains(intent, "/_submit_fn") {
		t.Errorf("intent form: exit %d, %s\n%s", code, errs, intent)
	}
	code, trace, errs := run("generate", "--lang", "python", "--trace", path)
	if code != ExitOK || strings.Contains(trace, `api_name="/chat"`) || !strings.Contains(trace, "/_submit_fn") {
		t.Errorf("trace form: exit %d, %s\n%s", code, errs, trace)
	}
}
