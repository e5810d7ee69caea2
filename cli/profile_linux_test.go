package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// profiles returns the temporary Chromium profiles in tmp, by the pid their
// names carry.
func profiles(t *testing.T, tmp string) map[int]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(tmp, "gradiorec-chromium-*"))
	if err != nil {
		t.Fatal(err)
	}
	found := map[int]string{}
	for _, p := range paths {
		pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(p), "gradiorec-chromium-"), "-")
		n, err := strconv.Atoi(pid)
		if err != nil {
			t.Fatalf("%s: a profile without a pid in its name", p)
		}
		found[n] = p
	}
	return found
}

// TestRecordProfiles: the Chromium profile of a record (it holds the app's
// cookies, a login's among them) is removed when record ends, normally or by
// Ctrl-C; the one a record killed with SIGKILL leaves is removed by the next
// record when it starts.
func TestRecordProfiles(t *testing.T) {
	needChromium(t)
	app := gradiotest.Start(t, "calculator")
	tmp := t.TempDir() // $TMPDIR of every command of the test
	env := []string{"TMPDIR=" + tmp}
	dir := t.TempDir()

	killed := startCommand(t, dir, env, "record", "-o", filepath.Join(dir, "killed.json"), app.URL+"/")
	waitOutput(t, killed, "recording ")
	stale, ok := profiles(t, tmp)[killed.cmd.Process.Pid]
	if !ok {
		t.Fatalf("no profile of process %d in %s: %v", killed.cmd.Process.Pid, tmp, profiles(t, tmp))
	}
	if err := syscall.Kill(killed.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.exitCode(t)
	if entries, err := os.ReadDir(stale); err != nil || len(entries) == 0 {
		t.Fatalf("the killed record's profile %s is not there to clean up (%d entries, %v)", stale, len(entries), err)
	}

	next := startCommand(t, dir, env, "record", "--steps", stepsFile(t, "calculator"), "-o", filepath.Join(dir, "next.json"), app.URL+"/")
	waitOutput(t, next, "recording ")
	if got := profiles(t, tmp); len(got) != 1 || got[next.cmd.Process.Pid] == "" {
		t.Errorf("while the next record runs, the profiles are %v; want only its own (%d): the stale one removed", got, next.cmd.Process.Pid)
	}
	if code := next.exitCode(t); code != ExitOK {
		t.Fatalf("the next record: exit %d\n%s", code, next.output())
	}
	if got := profiles(t, tmp); len(got) != 0 {
		t.Errorf("after a record that ended normally, profiles are left: %v", got)
	}

	stopped := startCommand(t, dir, env, "record", "-o", filepath.Join(dir, "stopped.json"), app.URL+"/")
	waitOutput(t, stopped, "recording ")
	if got := profiles(t, tmp); len(got) != 1 {
		t.Errorf("while a record runs, the profiles are %v; want its own", got)
	}
	stopped.interrupt(t)
	if code := stopped.exitCode(t); code != ExitOK {
		t.Fatalf("record ended with Ctrl-C: exit %d\n%s", code, stopped.output())
	}
	if got := profiles(t, tmp); len(got) != 0 {
		t.Errorf("after a record ended with Ctrl-C, profiles are left: %v", got)
	}
}
