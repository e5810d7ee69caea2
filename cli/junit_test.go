//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// TestReplayJUnitInputs: --junit refuses to overwrite an input of the
// replay, by name or under another one, before any call.
func TestReplayJUnitInputs(t *testing.T) {
	app := gradiotest.Start(t, "files")
	rec := goldenCopy(t, "files")
	dir := filepath.Dir(rec)
	rules := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rules, []byte("rules: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link.json")
	if err := os.Symlink(rec, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(t.TempDir(), "hard.json")
	if err := os.Link(rec, hard); err != nil {
		t.Fatal(err)
	}
	linkedFiles := filepath.Join(t.TempDir(), "files")
	if err := os.Symlink(recording.FilesDir(rec), linkedFiles); err != nil {
		t.Fatal(err)
	}
	journal := recording.JournalPath(rec)
	if err := os.WriteFile(journal, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(journal)
	before, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ junit, want string }{
		{rec, "an input of the replay"},
		{filepath.Join(dir, ".", filepath.Base(rec)), "an input of the replay"},
		{link, "an input of the replay"},
		{hard, "an input of the replay"},
		{journal, "an input of the replay"},
		{rules, "an input of the replay"},
		{filepath.Join(recording.FilesDir(rec), "report.xml"), "the recording's files folder"},
		{recording.FilesDir(rec), "the recording's files folder"},
		{filepath.Join(linkedFiles, "report.xml"), "the recording's files folder"},
		{dir, "is a folder"},
	} {
		code, out, errs := run("replay", "--url", app.URL, "--rules", rules, "--junit", tc.junit, "--learn-noise", "2", rec)
		if code != ExitUsage || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "give ") || out != "" {
			t.Errorf("--junit %s: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tc.junit, code, out, errs, tc.want)
		}
		if strings.Contains(errs, "learning noise") {
			t.Errorf("--junit %s: the replay began before the refusal", tc.junit)
		}
	}
	if after, _ := os.ReadFile(rec); !bytes.Equal(after, before) {
		t.Errorf("the recording changed:\n%s", after)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // the recording, its files, journal and rules
		t.Errorf("left in %s: %v", dir, entries)
	}
}

// TestReplayJUnitWrite: an unwritable --junit is found before the calls,
// a report that cannot be written at the end exits 2, and a report is
// written whole or not at all.
func TestReplayJUnitWrite(t *testing.T) {
	app := gradiotest.Start(t, "calculator")
	rec := goldenCopy(t, "calculator")

	code, out, errs := run("replay", "--url", app.URL, "--junit", "/nonexistent/report.xml", rec)
	if code != ExitUsage || out != "" || !strings.Contains(errs, "/nonexistent/report.xml") || !strings.Contains(errs, "folder you can write to") {
		t.Errorf("--junit in a missing folder: exit %d, stdout %q, stderr %q; want exit 2 before any call", code, out, errs)
	}

	// /dev/full takes the file but no bytes: the replay passes, the report
	// fails, exit 2.
	code, out, errs = run("replay", "--url", app.URL, "--junit", "/dev/full", rec)
	if code != ExitUsage || !strings.Contains(out, "PASS") || !strings.Contains(errs, "write the report /dev/full") {
		t.Errorf("--junit /dev/full: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	// A report replaces the file a link points to, keeping the link; no
	// temporary file is left beside it.
	reports := t.TempDir()
	real := filepath.Join(reports, "real.xml")
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(reports, "report.xml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run("replay", "--url", app.URL, "--junit", link, rec); code != replay.ExitPass {
		t.Fatalf("--junit through a link: exit %d, stderr %q", code, errs)
	}
	if data, _ := os.ReadFile(real); !bytes.Contains(data, []byte("<testsuite")) {
		t.Errorf("the report is not in %s: %q", real, data)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a link: %v", link, err)
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o600 {
		t.Errorf("the report's mode is %v, want the file's 0600", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(reports); len(entries) != 2 {
		t.Errorf("left in %s: %v", reports, entries)
	}

	// A replay that fails before reporting leaves no report and no
	// temporary file.
	missing := filepath.Join(reports, "missing.xml")
	if code, _, _ := run("replay", "--url", app.URL, "--rules", filepath.Join(reports, "none.yaml"), "--junit", missing, rec); code != replay.ExitBadInput {
		t.Errorf("a missing rules file: exit %d", code)
	}
	if entries, _ := os.ReadDir(reports); len(entries) != 2 {
		t.Errorf("a failed replay left %v in %s", entries, reports)
	}
}

// TestReplayLearnNoiseUnwritable: --learn-noise finds, before its replays,
// that the recording cannot be saved where it is, and exits 2.
func TestReplayLearnNoiseUnwritable(t *testing.T) {
	app := gradiotest.Start(t, "calculator")
	f, err := os.Open(goldenCopy(t, "calculator"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The recording, read through /proc/self/fd: a folder no one can write,
	// root included.
	path := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	code, out, errs := run("replay", "--url", app.URL, "--learn-noise", "2", path)
	if code != ExitUsage || out != "" || strings.Contains(errs, "learning noise") || !strings.Contains(errs, "copy the recording to a folder you can write to") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 before any replay", code, out, errs)
	}
}
