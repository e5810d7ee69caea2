package recorder

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
)

// lockDir takes the lock of the profile folder dir without waiting, and
// checks that dir still names the folder it locked: another start that took
// it for stale may have removed it in between. dir itself must not be a
// symbolic link.
func lockDir(dir string) (io.Closer, error) {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	f := os.NewFile(uintptr(fd), dir)
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errProfileInUse
		}
		return nil, &os.PathError{Op: "lock", Path: dir, Err: err}
	}
	locked, err1 := f.Stat()
	named, err2 := os.Lstat(dir)
	if err1 != nil || err2 != nil || !os.SameFile(locked, named) {
		f.Close()
		return nil, fmt.Errorf("%s was removed while it was locked", dir)
	}
	return f, nil
}

// removeIfStale removes the profile folder dir if it is a folder (not a
// symbolic link) of this user that no running process has locked, after
// killing what is left of its browser.
func removeIfStale(dir string) {
	st, err := os.Lstat(dir)
	if err != nil || !st.IsDir() {
		return
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); !ok || int(sys.Uid) != os.Getuid() {
		return
	}
	lock, err := lockDir(dir)
	if err != nil {
		return // in use, or gone
	}
	defer lock.Close()
	removeDir(dir)
}

// killUsing kills this user's processes that run with dir as their user
// data directory: what is left of a browser whose main process ended.
// Chromium passes --user-data-dir to each of its children.
func killUsing(dir string) {
	want := []byte("--user-data-dir=" + dir)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
			if bytes.Equal(arg, want) {
				syscall.Kill(pid, syscall.SIGKILL) // fails for another user's process
				break
			}
		}
	}
}
