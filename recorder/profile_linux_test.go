package recorder

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestAbandonedProfiles: a start removes the temporary profiles that no
// running browser holds, whatever their pid now names, and nothing else.
func TestAbandonedProfiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	mkdir := func(name string) string {
		t.Helper()
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "Default"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "Default", "Cookies"), []byte("a cookie"), 0o600); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	other := os.Getppid() // alive, and not a browser of ours
	name := func(pid int, random string) string { return fmt.Sprintf("%s%d-%s", profilePrefix, pid, random) }

	dead := mkdir(name(ended.Process.Pid, "1"))
	reused := mkdir(name(other, "2")) // the pid names another process now
	inUse := mkdir(name(other, "3"))
	held, err := lockDir(inUse) // as its browser's process holds it
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	own := mkdir(name(os.Getpid(), "4"))
	target := mkdir("not-a-profile")
	link := filepath.Join(tmp, name(ended.Process.Pid, "5"))
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, name(ended.Process.Pid, "6"))
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	odd := []string{
		mkdir(profilePrefix + "x-7"),
		mkdir(profilePrefix + strconv.Itoa(ended.Process.Pid)),
		mkdir(profilePrefix + "0" + strconv.Itoa(ended.Process.Pid) + "-8"),
	}

	p, err := newProfile()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p.dir) != tmp || filepath.Base(p.dir)[:len(name(os.Getpid(), ""))] != name(os.Getpid(), "") {
		t.Errorf("new profile %s, want %s<random> in %s", p.dir, name(os.Getpid(), ""), tmp)
	}
	for _, gone := range []string{dead, reused} {
		if _, err := os.Lstat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", gone, err)
		}
	}
	for _, kept := range append([]string{inUse, own, target, filepath.Join(target, "Default", "Cookies"), link, file, p.dir}, odd...) {
		if _, err := os.Lstat(kept); err != nil {
			t.Errorf("%s was removed: %v", kept, err)
		}
	}
	if _, err := lockDir(p.dir); err != errProfileInUse {
		t.Errorf("locking the new profile again: %v, want %v", err, errProfileInUse)
	}
	if err := p.remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(p.dir); !os.IsNotExist(err) {
		t.Errorf("%s is still there after remove (%v)", p.dir, err)
	}
}
