//go:build !linux

package recorder

import "io"

// lockDir does not lock: folders are locked on Linux only.
func lockDir(string) (io.Closer, error) { return nil, nil }

// removeIfStale removes nothing: without locks a stale profile cannot be
// told from one in use.
func removeIfStale(string) {}

// killUsing kills nothing: processes are found by /proc on Linux only.
func killUsing(string) {}
