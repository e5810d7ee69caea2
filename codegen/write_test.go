package codegen_test

import (
	"bytes"
	"errors"
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
	// A folder that holds anything is refused; with ReplaceFiles a file of
	// the project already there is replaced, mode included.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "replay.sh"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := p.Write(dir, saved); !errors.Is(err, codegen.ErrNotEmpty) || !strings.Contains(err.Error(), "replay.sh") {
		t.Errorf("Write into a folder that is not empty: %v, want ErrNotEmpty", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "replay.sh")); string(got) != "old" {
		t.Errorf("a refused Write changed replay.sh: %q", got)
	}
	if err := p.Write(dir, saved, codegen.ReplaceFiles()); err != nil {
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

// savedWithNote saves the calculator recording with an input file, loads it
// back and exports it in lang: a project with one fixture.
func savedWithNote(t *testing.T, opts codegen.Options) (*recording.Recording, *codegen.Project) {
	t.Helper()
	rec := calculator()
	f := rec.AddFile([]byte("seven\n"), "note.txt", "text/plain", "input")
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
	p, err := codegen.Export(saved, opts)
	if err != nil {
		t.Fatal(err)
	}
	return saved, p
}

// TestProjectWriteLinks: Write never writes through a symbolic link in the
// output folder, even with ReplaceFiles.
func TestProjectWriteLinks(t *testing.T) {
	saved, p := savedWithNote(t, codegen.Options{Lang: codegen.Python})
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}

	// A linked file is replaced by a regular file; its target is untouched.
	dir := t.TempDir()
	for _, name := range []string{"replay.py", "README.md"} {
		if err := os.Symlink(victim, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Write(dir, saved); !errors.Is(err, codegen.ErrNotEmpty) {
		t.Errorf("Write into a folder of links: %v, want ErrNotEmpty", err)
	}
	if err := p.Write(dir, saved, codegen.ReplaceFiles()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep me" {
		t.Errorf("Write wrote through a link: the target holds %q", got)
	}
	if st, _ := os.Stat(victim); st.Mode().Perm() != 0o600 {
		t.Errorf("Write changed the mode of a link's target to %v", st.Mode().Perm())
	}
	for _, name := range []string{"replay.py", "README.md"} {
		if st, err := os.Lstat(filepath.Join(dir, name)); err != nil || !st.Mode().IsRegular() {
			t.Errorf("%s is %v (%v), want a regular file", name, st.Mode(), err)
		}
	}

	// A linked folder of the project is refused, before anything goes into it.
	dir = t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "fixtures")); err != nil {
		t.Fatal(err)
	}
	err := p.Write(dir, saved, codegen.ReplaceFiles())
	if err == nil || !strings.Contains(err.Error(), "symbolic link") || !strings.Contains(err.Error(), filepath.Join(dir, "fixtures")) {
		t.Errorf("Write through a linked fixtures folder: %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("Write wrote into the linked folder: %v", entries)
	}
}

// TestProjectWriteModes: only scripts meant to be run are executable.
func TestProjectWriteModes(t *testing.T) {
	for _, tc := range []struct {
		opts codegen.Options
		exec string // the one executable file, or ""
	}{
		{codegen.Options{Lang: codegen.Python}, "replay.py"},
		{codegen.Options{Lang: codegen.Python, Flavour: codegen.Test}, ""},
		{codegen.Options{Lang: codegen.Curl}, "replay.sh"},
		{codegen.Options{Lang: codegen.Go}, ""},
		{codegen.Options{Lang: codegen.JavaScript}, ""},
	} {
		saved, p := savedWithNote(t, tc.opts)
		p.Files[len(p.Files)-1].Mode = 0o600 // any mode but a script's becomes 0644
		dir := filepath.Join(t.TempDir(), "out")
		if err := p.Write(dir, saved); err != nil {
			t.Fatal(err)
		}
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			st, err := d.Info()
			if err != nil {
				return err
			}
			want := os.FileMode(0o644)
			if rel, _ := filepath.Rel(dir, path); rel == tc.exec {
				want = 0o755
			}
			if st.Mode().Perm() != want {
				t.Errorf("%s %s: %s has mode %v, want %v", tc.opts.Lang, tc.opts.Flavour, path, st.Mode().Perm(), want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
