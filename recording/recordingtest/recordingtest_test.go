package recordingtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeT records failures instead of failing the test.
type fakeT struct {
	testing.TB
	errors []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestValidateSchema(t *testing.T) {
	good, err := os.ReadFile("../testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	ValidateSchema(t, good)

	ft := &fakeT{TB: t}
	ValidateSchema(ft, []byte(`{"format": "gradiorec.recording/v1"}`))
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], SchemaPath) || !strings.Contains(ft.errors[0], `required member "calls" is missing`) {
		t.Errorf("ValidateSchema reported %q", ft.errors)
	}
}

func TestCheckSchemaAcceptsTheGoldenRecordings(t *testing.T) {
	paths, err := filepath.Glob("../testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"format": "gradiorec.recording/v1"`) {
			continue // an older format, kept to test migration
		}
		checked++
		if err := CheckSchema(data); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if checked < 2 {
		t.Errorf("checked %d golden recordings, want at least 2", checked)
	}
}

func TestDeclares(t *testing.T) {
	for gomod, want := range map[string]bool{
		"module github.com/gradiorec/gradiorec\n\ngo 1.26\n":                    true,
		"// comment\nmodule \"github.com/gradiorec/gradiorec\"\n":               true,
		"module github.com/gradiorec/gradiorec/v2\n":                            false,
		"module example.com/other\nrequire github.com/gradiorec/gradiorec v1\n": false,
	} {
		if got := declares([]byte(gomod), module); got != want {
			t.Errorf("declares(%q) = %v", gomod, got)
		}
	}
}

func TestModuleRoot(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, SchemaPath)); err != nil {
		t.Errorf("module root %s has no %s: %v", root, SchemaPath, err)
	}
}
