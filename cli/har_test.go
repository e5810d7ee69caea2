package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// TestExportImport: export --har writes a HAR of a golden recording (with
// its files), import reads it back into the same calls; neither replaces
// a file without --force.
func TestExportImport(t *testing.T) {
	src := filepath.Join(gradiotest.Root(t), "testdata", "recordings", gradiotest.DefaultVersion, "files.json")
	dir := t.TempDir()
	out := filepath.Join(dir, "files.har")
	if code, _, errs := run("export", "--har", "-o", out, src); code != ExitOK || !strings.Contains(errs, "exported 2 calls") {
		t.Fatalf("export: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := run("export", "--har", "-o", out, src); code != ExitUsage || !strings.Contains(errs, "--force") {
		t.Errorf("export over a file: exit %d, stderr %q", code, errs)
	}
	rec := filepath.Join(dir, "back.json")
	if code, _, errs := run("import", "-o", rec, out); code != ExitOK || !strings.Contains(errs, "imported 2 calls (2 completed) and 4 files") {
		t.Fatalf("import: exit %d, stderr %q", code, errs)
	}
	got, err := recording.Load(rec)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := recording.Load(src)
	for i := range want.Calls {
		if string(got.Calls[i].Outputs[0]) != string(want.Calls[i].Outputs[0]) {
			t.Errorf("call %d: %s, want %s", i+1, got.Calls[i].Outputs[0], want.Calls[i].Outputs[0])
		}
	}
	if code, _, errs := run("import", "-o", rec, out); code != ExitUsage || !strings.Contains(errs, "--force") {
		t.Errorf("import over a file: exit %d, stderr %q", code, errs)
	}
}

// TestImportErrors: each bad input gets its exit status and says what to do.
func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"import"}, ExitUsage, "want one HAR file"},
		{[]string{"import", write("cut.har", `{"log": {"entries": [`)}, ExitUsage, "ends early"},
		{[]string{"import", write("page.har", `<html></html>`)}, ExitUsage, "not a HAR"},
		{[]string{"import", write("none.har", `{"log": {"version": "1.2", "entries": []}}`)}, ExitError, "no Gradio API traffic"},
		{[]string{"import", "--url", "ftp://x", write("u.har", `{}`)}, ExitUsage, "not an http(s) URL"},
		{[]string{"export", filepath.Join(dir, "x.json")}, ExitUsage, "--har"},
	} {
		code, _, errs := run(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d saying %q", tc.args, code, errs, tc.code, tc.says)
		}
	}
}
