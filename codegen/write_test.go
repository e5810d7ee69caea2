package codegen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/recording"
)

func TestProjectWrite(t *testing.T) {
	rec := calculator()
	data := []byte("seven\n")
	f := rec.AddFile(data, "note.txt", "text/plain", "input")
	rec.App.Endpoints[0].Parameters = append(rec.App.Endpoints[0].Parameters, recording.Parameter{Name: "note"})
	rec.Calls[0].Inputs = append(rec.Calls[0].Inputs, recording.Arg{Name: "note", Value: []byte(
		`{"path":"/tmp/x/note.txt","orig_name":"note.txt","meta":{"_type":"gradio.FileData"},"fixture":"` + f.Name + `"}`)})
	path := filepath.Join(t.TempDir(), "session.json")
	if err := recording.Save(path, rec); err != nil {
		t.Fatal(err)
	}
	saved, err := recording.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := codegen.Export(saved, codegen.Options{Lang: codegen.Curl})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	// A file of the project already there is replaced, mode included.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "replay.sh"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := p.Write(dir, saved); err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Files {
		st, err := os.Stat(filepath.Join(dir, f.Path))
		if err != nil || st.Mode().Perm() != f.Mode.Perm() {
			t.Errorf("%s: %v, mode %v, want %v", f.Path, err, st.Mode().Perm(), f.Mode.Perm())
		}
		if got, _ := os.ReadFile(filepath.Join(dir, f.Path)); !bytes.Equal(got, f.Content) {
			t.Errorf("%s: content differs", f.Path)
		}
	}
	if len(p.Fixtures) != 1 {
		t.Fatalf("fixtures %+v", p.Fixtures)
	}
	if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p.Fixtures[0].Path))); err != nil || !bytes.Equal(got, data) {
		t.Errorf("fixture %s: %q, %v", p.Fixtures[0].Path, got, err)
	}

	// Fixture bytes that are gone, and paths that would leave the folder.
	if err := os.RemoveAll(recording.FilesDir(path)); err != nil {
		t.Fatal(err)
	}
	if err := p.Write(t.TempDir(), saved); err == nil || !strings.Contains(err.Error(), "note.txt") {
		t.Errorf("Write without the fixture's bytes: %v", err)
	}
	bad := &codegen.Project{Files: []codegen.File{{Path: "../escape.sh", Content: []byte("x")}}}
	if err := bad.Write(t.TempDir(), saved); err == nil || !strings.Contains(err.Error(), "../escape.sh") {
		t.Errorf("Write outside the folder: %v", err)
	}
}
