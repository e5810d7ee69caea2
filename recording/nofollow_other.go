//go:build !unix

package recording

// openNoFollow is 0 where os.OpenFile has no O_NOFOLLOW: openFixture's
// Lstat and its check that the file opened is the one looked at stand in.
const openNoFollow = 0
