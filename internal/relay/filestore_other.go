//go:build !unix

package relay

import (
	"fmt"
	"os"
)

// openPrivate opens the pairings file for reading, refusing a symbolic
// link. Outside Unix it does not check owners and modes: the file lives in
// the user's profile.
func openPrivate(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("open the paired browsers file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("the paired browsers file %s is not a regular file (a link?), which gradiorec does not follow: remove it and pair your browsers again", path)
	}
	return os.Open(path)
}

// privateDir creates dir.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w (check that you can write there, or give another path)", dir, err)
	}
	return nil
}

// lockDir does nothing outside Unix.
func lockDir(string) (func(), error) { return func() {}, nil }
