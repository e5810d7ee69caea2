package codegen_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestFixturesOfOneName runs the code of the files session with both input
// files named sample.txt, so that the second is read from a folder of its
// own (fixtures/<hash>/sample.txt) and JavaScript's fixture helper takes
// paths, not names: the app must get each file's bytes under its recorded
// name (the report /stats writes is named after it), in every language.
func TestFixturesOfOneName(t *testing.T) {
	tl := findTools(t)
	v := gradiotest.DefaultVersion
	rec := loadGolden(t, goldenRec{version: v, app: "files", path: filepath.Join(*recordingsDir, v, "files.json")})
	renamed := 0
	for i := range rec.Files {
		if rec.Files[i].OrigName == "pattern.png" {
			rec.Files[i].OrigName = "sample.txt" // /mirror reads the image whatever its name
			renamed++
		}
	}
	if renamed != 1 {
		t.Fatalf("files.json has %d files named pattern.png, want 1", renamed)
	}
	p, err := plan.New(rec, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Fixtures) != 2 || strings.Count(p.Fixtures[1].Path, "/") != 2 {
		t.Fatalf("fixtures %+v: want the second in a folder of its own", p.Fixtures)
	}
	app := gradiotest.Start(t, "files", gradiotest.Version(v))
	for _, lang := range codegen.Langs {
		for _, fl := range flavours {
			t.Run(string(lang)+"/"+string(fl), func(t *testing.T) {
				r := tl.execute(t, rec, v, app.URL, codegen.Options{Lang: lang, Flavour: fl})
				if r.err != nil {
					t.Fatalf("%v\n%s", r.err, r.out)
				}
				if fl == codegen.Script {
					checkScript(t, p, lang, r.out)
					// The report of /stats is named after the upload.
					if !strings.Contains(r.out, "sample.stats.txt") {
						t.Errorf("no report on sample.txt: the file went up under another name:\n%s", r.out)
					}
				} else {
					checkTest(t, p, lang, r.out)
				}
			})
		}
	}
}
