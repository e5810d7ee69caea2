//go:build unix

package relay

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openPrivate opens the pairings file for reading without following a
// symbolic link (or blocking on a FIFO) and checks that it is a regular
// file that only the user owns and can read.
func openPrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK) {
		return nil, fmt.Errorf("the paired browsers file %s is a symbolic link, which gradiorec does not follow: remove it (rm %s) and pair your browsers again", path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("open the paired browsers file: %w", err)
	}
	if err := checkPrivate(f, path, os.Getuid()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// checkPrivate checks the opened pairings file for the user uid.
func checkPrivate(f *os.File, path string, uid int) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open the paired browsers file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("the paired browsers file %s is not a regular file: remove it and pair your browsers again", path)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != uid {
		return fmt.Errorf("the paired browsers file %s belongs to user %d, not to you (user %d): remove it (rm %s) and pair your browsers again", path, st.Uid, uid, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("other users may read or change the paired browsers file %s (mode %04o): run `chmod 600 %s`, and pair your browsers again if someone else may have read it", path, perm, path)
	}
	return nil
}

// privateDir creates dir with mode 0700, or checks that the user owns it
// and takes other users' permissions away.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w (check that you can write there, or give another path)", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("check %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder: move it away so that gradiorec can keep its paired browsers there", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("the folder %s belongs to user %d, not to you (user %d): use a folder of your own (set XDG_CONFIG_HOME) or fix its owner", dir, st.Uid, os.Getuid())
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("make %s private: %w (run `chmod 700 %s`)", dir, err, dir)
		}
	}
	return nil
}

// lockDir takes an exclusive lock on dir against other gradiorec
// processes; unlock releases it.
func lockDir(dir string) (unlock func(), err error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX); err != nil {
		d.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
		d.Close()
	}, nil
}
