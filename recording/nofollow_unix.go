//go:build unix

package recording

import "syscall"

// openNoFollow opens a fixture file without following a symbolic link and
// without blocking (on a pipe or device put in its place).
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
