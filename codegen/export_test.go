package codegen_test

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/recording"
)

func TestExport(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "files.json"))
	for _, lang := range codegen.Langs {
		for _, fl := range flavours {
			p, err := codegen.Export(rec, codegen.Options{Lang: lang, Flavour: fl})
			if err != nil {
				t.Fatalf("%s %s: %v", lang, fl, err)
			}
			dir := "fixtures/"
			if lang == codegen.Go {
				dir = "testdata/fixtures/" // which the go command ignores
			}
			if len(p.Fixtures) != 2 || p.Fixtures[0].Path != dir+"pattern.png" || p.Fixtures[1].File.Name != rec.Files[2].Name {
				t.Errorf("%s %s: fixtures %+v", lang, fl, p.Fixtures)
			}
			files := map[string]string{}
			for _, f := range p.Files {
				files[f.Path] = string(f.Content)
			}
			code := codegen.FileName(lang, fl, "")
			reads := strings.Contains(files[code], dir+"pattern.png")
			if lang == codegen.JavaScript { // the fixture helper takes a name in fixtures/
				reads = strings.Contains(files[code], `"/`+dir+`"`) && strings.Contains(files[code], `fixture("pattern.png")`)
			}
			if !reads {
				t.Errorf("%s %s: %s does not read the fixture", lang, fl, code)
			}
			readme := files["README.md"]
			for _, want := range []string{code, "GRADIO_URL", dir + "sample.txt"} {
				if !strings.Contains(readme, want) {
					t.Errorf("%s %s: README.md lacks %q:\n%s", lang, fl, want, readme)
				}
			}
			switch lang {
			case codegen.Python:
				if !strings.Contains(files["requirements.txt"], "gradio_client") {
					t.Errorf("requirements.txt: %q", files["requirements.txt"])
				}
			case codegen.JavaScript:
				var pkg map[string]any
				if err := json.Unmarshal([]byte(files["package.json"]), &pkg); err != nil || pkg["type"] != "module" {
					t.Errorf("package.json %v: %s", err, files["package.json"])
				}
			case codegen.Go:
				if !strings.HasPrefix(files["go.mod"], "module replay\n") || !strings.Contains(files["go.mod"], "require github.com/gradiorec/gradiorec/gradio v0.0.0") {
					t.Errorf("go.mod: %s", files["go.mod"])
				}
			}
		}
	}
}

func TestExportMissingFixture(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "files.json"))
	rec.Files = rec.Files[1:] // drop pattern.png
	if _, err := codegen.Export(rec, codegen.Options{Lang: codegen.Python}); err == nil || !strings.Contains(err.Error(), "pattern.png") {
		t.Fatalf("Export without the fixture: %v", err)
	}
}

func TestGoModReplace(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "calculator.json"))
	files, err := codegen.Generate(rec, codegen.Options{Lang: codegen.Go, GoModule: "example.com/calc", GradiorecVersion: "v1.2.3", GradiorecReplace: "../gradiorec"})
	if err != nil {
		t.Fatal(err)
	}
	want := "module example.com/calc\n\ngo 1.23\n\nrequire github.com/gradiorec/gradiorec/gradio v1.2.3\n\nreplace github.com/gradiorec/gradiorec/gradio => ../gradiorec/gradio\n"
	if len(files) != 2 || files[1].Path != "go.mod" || string(files[1].Content) != want {
		t.Fatalf("files %d, go.mod:\n%s", len(files), files[len(files)-1].Content)
	}
}

func TestGenerateErrors(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "calculator.json"))
	if _, err := codegen.Generate(rec, codegen.Options{Lang: "cobol"}); err == nil {
		t.Error("unknown language accepted")
	}
	if _, err := codegen.Generate(rec, codegen.Options{Lang: codegen.Python, Flavour: "poem"}); err == nil {
		t.Error("unknown flavour accepted")
	}
	bad := *rec
	bad.Calls = append([]recording.Call(nil), rec.Calls...)
	bad.Calls[0].Outputs = []json.RawMessage{json.RawMessage(`{`)}
	if _, err := codegen.Generate(&bad, codegen.Options{Lang: codegen.Python}); err == nil {
		t.Error("broken output JSON accepted")
	}
	for _, s := range []string{"py", "js", "go", "curl", "bash", "python"} {
		if _, err := codegen.ParseLang(s); err != nil {
			t.Errorf("ParseLang(%q): %v", s, err)
		}
	}
}

func TestURLOverride(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "hostile.json"))
	for _, lang := range codegen.Langs {
		files, err := codegen.Generate(rec, codegen.Options{Lang: lang, URL: "http://localhost:9999/app/"})
		if err != nil {
			t.Fatal(err)
		}
		code := string(files[0].Content)
		if !strings.Contains(code, "http://localhost:9999/app") || strings.Contains(code, "owner/space") {
			t.Errorf("%s: URL not overridden:\n%s", lang, code[:min(len(code), 600)])
		}
	}
}

// TestExportCounts checks the counts of the README: "1 call", never "1
// calls", and the plural from 2 on.
func TestExportCounts(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "calculator.json"))
	for _, c := range []struct {
		calls    int
		sessions []string // of the calls, in order
		want     string
	}{
		{1, []string{"s1"}, "a recording of 1 call in 1 session "},
		{2, []string{"s1", "s1"}, "a recording of 2 calls in 1 session "},
		{2, []string{"s1", "s2"}, "a recording of 2 calls in 2 sessions "},
	} {
		r := *rec
		r.Calls = append([]recording.Call(nil), rec.Calls[:c.calls]...)
		r.Sessions = append(rec.Sessions[:1:1], recording.Session{ID: "s2", Hash: "hashs2"})
		for i := range r.Calls {
			r.Calls[i].Session = c.sessions[i]
		}
		p, err := codegen.Export(&r, codegen.Options{Lang: codegen.Python})
		if err != nil {
			t.Fatal(err)
		}
		readme := string(p.Files[len(p.Files)-1].Content)
		if !strings.Contains(readme, c.want) {
			t.Errorf("%d calls in sessions %v: README.md lacks %q:\n%s", c.calls, c.sessions, c.want, readme)
		}
	}

	files := load(t, filepath.Join("testdata", "recordings", "files.json"))
	for i := range files.Files {
		files.Files[i].Size = 1
	}
	p, err := codegen.Export(files, codegen.Options{Lang: codegen.Curl})
	if err != nil {
		t.Fatal(err)
	}
	readme := string(p.Files[len(p.Files)-1].Content)
	if !strings.Contains(readme, "pattern.png` (1 byte)\n") {
		t.Errorf("a fixture of 1 byte: README.md says:\n%s", readme)
	}
}

// TestExportGoTestUncached checks that every go test command the generated
// code and README name has -count=1: a cached pass says nothing of a live
// app. The test file's header says so.
func TestExportGoTestUncached(t *testing.T) {
	goTest := regexp.MustCompile(`go test(?: +(?:-\S+|\./\S*))+`)
	for name, rec := range recordings(t) {
		for _, lang := range codegen.Langs {
			for _, fl := range flavours {
				p, err := codegen.Export(rec, codegen.Options{Lang: lang, Flavour: fl})
				if err != nil {
					t.Fatal(err)
				}
				files := map[string]string{}
				for _, f := range p.Files {
					files[f.Path] = string(f.Content)
					for _, cmd := range goTest.FindAllString(string(f.Content), -1) {
						if !strings.Contains(cmd, "-count=1") {
							t.Errorf("%s %s %s: %s names %q, without -count=1", name, lang, fl, f.Path, cmd)
						}
					}
				}
				if lang != codegen.Go || fl != codegen.Test {
					continue
				}
				for _, path := range []string{"README.md", "replay_test.go"} {
					if !strings.Contains(files[path], "go test -count=1 -v ./...") {
						t.Errorf("%s: %s does not say to run go test -count=1:\n%s", name, path, files[path])
					}
				}
			}
		}
	}
}

// TestExportNotReproduced checks that the README of a Python project lists
// the calls gradio_client cannot make or reproduce (the cart's private
// Empty and the calls after it), and that other languages, which make
// them, list none.
func TestExportNotReproduced(t *testing.T) {
	rec := load(t, filepath.Join("..", "testdata", "recordings", "6.31.0", "cart.json"))
	for _, lang := range codegen.Langs {
		p, err := codegen.Export(rec, codegen.Options{Lang: lang, Flavour: codegen.Test})
		if err != nil {
			t.Fatal(err)
		}
		var readme string
		for _, f := range p.Files {
			if f.Path == "README.md" {
				readme = string(f.Content)
			}
		}
		want := []string{"## Not reproduced by gradio_client", "- Call 3 /empty is not made",
			"- Call 4 /add: it reads a gr.State that call 3 /empty changed", "- Call 5 /checkout:"}
		if lang != codegen.Python {
			want = nil
			if strings.Contains(readme, "Not reproduced") {
				t.Errorf("%s README lists calls not reproduced:\n%s", lang, readme)
			}
		}
		for _, w := range want {
			if !strings.Contains(readme, w) {
				t.Errorf("%s README lacks %q:\n%s", lang, w, readme)
			}
		}
	}
}

// TestChanges: the intent form of a chat recording makes each turn's calls
// by one call of /chat; a calculator recording has no change.
func TestChanges(t *testing.T) {
	chat := load(t, filepath.Join("..", "testdata", "recordings", "6.31.0", "chat.json"))
	changes, err := codegen.Changes(chat)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != len(chat.Calls) || changes[0].Into != 1 || changes[len(changes)-1].Into != 9 || changes[0].Reason == "" {
		t.Errorf("chat changes: %+v", changes)
	}
	calc := load(t, filepath.Join("..", "testdata", "recordings", "6.31.0", "calculator.json"))
	if changes, err := codegen.Changes(calc); err != nil || len(changes) != 0 {
		t.Errorf("calculator changes: %+v, %v", changes, err)
	}
}
