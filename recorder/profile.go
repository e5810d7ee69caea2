package recorder

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// profilePrefix begins the name of every temporary Chromium profile that
// NewBrowser makes: gradiorec-chromium-<pid>-<random> in os.TempDir(), pid
// being the process that made it. A profile holds the app's cookies (a
// login's among them), so Close removes it; a process killed before it
// could (SIGKILL, a second Ctrl-C, a crash) leaves it, and the next
// NewBrowser removes it (removeAbandonedProfiles).
//
// On Linux the process holds a lock on its profile folder while its browser
// runs (flock, which the kernel releases when the process ends, however it
// ends). A folder whose lock can be taken belongs to no running browser:
// its process is gone, or its pid now names another process.
const profilePrefix = "gradiorec-chromium-"

// profile is a temporary Chromium profile folder.
type profile struct {
	dir  string
	lock io.Closer // the folder's lock; nil where folders are not locked
}

// newProfile removes the stale profiles of processes that ended, then makes
// and locks a profile for this process.
func newProfile() (*profile, error) {
	tmp := os.TempDir()
	removeAbandonedProfiles(tmp)
	var err error
	for range 3 {
		var dir string
		if dir, err = os.MkdirTemp(tmp, profilePrefix+strconv.Itoa(os.Getpid())+"-"); err != nil {
			return nil, fmt.Errorf("make a temporary Chromium profile: %w (check that $TMPDIR or /tmp is a writable folder)", err)
		}
		var lock io.Closer
		if lock, err = lockDir(dir); err == nil {
			return &profile{dir: dir, lock: lock}, nil
		}
		// Another start took the folder for stale in the instant before
		// it was locked, and removes it: make another.
	}
	return nil, fmt.Errorf("lock a temporary Chromium profile in %s: %w", tmp, err)
}

// remove removes the profile once its browser has ended, then releases
// the lock.
func (p *profile) remove() error {
	err := removeDir(p.dir)
	if p.lock != nil {
		p.lock.Close()
	}
	if err != nil {
		return fmt.Errorf("remove the temporary Chromium profile %s: %w (it holds the app's cookies: delete it)", p.dir, err)
	}
	return nil
}

// removeDir removes a profile folder: it kills the processes still using
// it (Chromium's children can outlive the browser, and write into the
// folder), removes it, and tries again for a while when a process that was
// dying wrote into it meanwhile.
func removeDir(dir string) error {
	deadline := time.Now().Add(2 * time.Second)
	for {
		killUsing(dir)
		err := os.RemoveAll(dir) // never follows a symbolic link inside
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// profilePID returns the pid in the name of a temporary profile folder.
func profilePID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, profilePrefix)
	if !ok {
		return 0, false
	}
	digits, random, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(digits)
	if !ok || random == "" || err != nil || pid <= 0 || strconv.Itoa(pid) != digits {
		return 0, false
	}
	return pid, true
}

// removeAbandonedProfiles removes the temporary profiles in tmp that no running
// browser uses: folders of our naming only, owned by this user, never
// through a symbolic link, never this process's own.
func removeAbandonedProfiles(tmp string) {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := profilePID(e.Name())
		if !ok || pid == os.Getpid() || e.Type() != os.ModeDir {
			continue
		}
		removeIfStale(tmp + string(os.PathSeparator) + e.Name())
	}
}

// errProfileInUse means a running browser's process holds the profile's
// lock.
var errProfileInUse = errors.New("the profile is in use")
