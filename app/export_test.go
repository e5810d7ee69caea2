//go:build unix

package app

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// TestExportSafely: the window's export writes as generate -o does: not
// into a folder that holds anything, not from a fixture that is a link; and
// the previews read fixtures as replay does.
func TestExportSafely(t *testing.T) {
	rec, err := recording.Load(filepath.Join("..", "testdata", "recordings", gradiotest.DefaultVersion, "files.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "files.json")
	if err := recording.Save(path, rec); err != nil {
		t.Fatal(err)
	}
	a, _, _ := testApp(t, Options{Open: path})

	full := t.TempDir()
	readme := filepath.Join(full, "README.md")
	if err := os.WriteFile(readme, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = a.Code.ExportTo(full, "python", "script", false)
	if err == nil || !strings.Contains(err.Error(), codegen.ErrNotEmpty.Error()) {
		t.Errorf("ExportTo a folder that is not empty: %v, want %q", err, codegen.ErrNotEmpty)
	}
	if f, ok := err.(*Fault); !ok || !strings.Contains(f.Hint, "new or empty folder") {
		t.Errorf("the export's fault %#v does not say to choose a new or empty folder", err)
	}
	if got, _ := os.ReadFile(readme); string(got) != "mine" {
		t.Errorf("a refused export changed README.md: %q", got)
	}

	const sample = "aa597c4ea0eec6af895cdf671f68b863ac012d7245288bed0fb05e87713b3d8f/sample.txt"
	file := filepath.Join(recording.FilesDir(path), filepath.FromSlash(sample))
	copied := filepath.Join(t.TempDir(), "sample.txt")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copied, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(copied, file); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	if _, err := a.Code.ExportTo(empty, "python", "script", false); err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
		t.Errorf("ExportTo with a linked fixture: %v, want a refusal", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a refused export left %v", entries)
	}
	w := httptest.NewRecorder()
	a.Assets().ServeHTTP(w, httptest.NewRequest("GET", fixturePrefix+sample, nil))
	if w.Code != 404 || !strings.Contains(w.Body.String(), "symbolic link") {
		t.Errorf("the preview of a linked fixture: %d %q, want 404 saying why", w.Code, w.Body.String())
	}
}
