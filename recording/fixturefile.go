package recording

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// The files folder of a recording comes with it, from wherever the
// recording came from: every read of a fixture file goes through
// openFixture and fixtureReader, which trust nothing in it but the names
// and sizes and hashes the document lists.

// restoreHint says what to do about a fixture file that is not what the
// recording lists.
const restoreHint = "copy the recording's files folder again from where the recording came from, or record the session again"

// openFixture opens the file of the stored fixture f in the files folder dir
// ("<dir>/<sha256>/<name>"). It refuses, with ErrUnsafeFixture, a
// "<sha256>" folder or a file that is a symbolic link, and a file that is not
// a regular file (a folder, a device, a pipe); the files folder itself may
// be a link. The file is opened without following a link and without
// blocking, and must still be the regular file looked at, of f.Size bytes
// (else ErrCorruptFixture). A file that is not there is ErrMissingFixture.
// Read it through newFixtureReader, which checks its hash.
func openFixture(dir string, f File) (*os.File, error) {
	if err := checkFixtureName(f.Name); err != nil {
		return nil, err
	}
	sub, base, _ := strings.Cut(f.Name, "/")
	st, err := os.Lstat(filepath.Join(dir, sub))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: %w from %s", f.Name, ErrMissingFixture, dir)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, unsafeFixture(f, dir, fmt.Sprintf("its folder %s is a symbolic link", sub))
	case !st.IsDir():
		return nil, unsafeFixture(f, dir, fmt.Sprintf("%s is not a folder", sub))
	}
	path := filepath.Join(dir, sub, base)
	before, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: %w from %s", f.Name, ErrMissingFixture, dir)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	case before.Mode()&fs.ModeSymlink != 0:
		return nil, unsafeFixture(f, dir, "it is a symbolic link")
	case !before.Mode().IsRegular():
		return nil, unsafeFixture(f, dir, fmt.Sprintf("it is not a regular file (%s)", before.Mode().Type()))
	}
	file, err := os.OpenFile(path, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, unsafeFixture(f, dir, "it is a symbolic link")
		}
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	st, err = file.Stat()
	switch {
	case err != nil:
		file.Close()
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	case !st.Mode().IsRegular() || !os.SameFile(before, st):
		file.Close()
		return nil, unsafeFixture(f, dir, "it was replaced while being opened")
	case st.Size() != f.Size:
		file.Close()
		return nil, corruptFixture(f, dir, fmt.Sprintf("the file has %d bytes, the recording lists %d", st.Size(), f.Size))
	}
	return file, nil
}

func unsafeFixture(f File, dir, why string) error {
	return fmt.Errorf("%s: %w in %s: %s; gradiorec reads only regular files there, never through links: "+
		"replace it with a copy of the file itself, or %s", f.Name, ErrUnsafeFixture, dir, why, restoreHint)
}

func corruptFixture(f File, dir, why string) error {
	return fmt.Errorf("%s: %w in %s: %s; %s", f.Name, ErrCorruptFixture, dir, why, restoreHint)
}

// fixtureReader reads an opened fixture file, at most its recorded size
// plus one byte, and checks what it read: a Read past the recorded size, or
// the Read that reaches the end of fewer bytes or of other bytes than
// recorded, returns an error matching ErrCorruptFixture. A reader must read
// to the end (as io.Copy and io.ReadAll do) to know the bytes are right.
type fixtureReader struct {
	file *os.File
	r    io.Reader
	sum  hash.Hash
	n    int64
	f    File
	dir  string
}

// newFixtureReader returns a reader of the fixture f opened by openFixture
// from dir. Closing it closes file.
func newFixtureReader(file *os.File, f File, dir string) *fixtureReader {
	return &fixtureReader{file: file, r: io.LimitReader(file, f.Size+1), sum: sha256.New(), f: f, dir: dir}
}

func (fr *fixtureReader) Read(p []byte) (int, error) {
	n, err := fr.r.Read(p)
	fr.sum.Write(p[:n])
	fr.n += int64(n)
	if fr.n > fr.f.Size {
		return n - int(fr.n-fr.f.Size), corruptFixture(fr.f, fr.dir, fmt.Sprintf("the file has more than the %d bytes the recording lists", fr.f.Size))
	}
	if err == io.EOF {
		if fr.n != fr.f.Size {
			return n, corruptFixture(fr.f, fr.dir, fmt.Sprintf("the file has %d bytes, the recording lists %d", fr.n, fr.f.Size))
		}
		if got := hex.EncodeToString(fr.sum.Sum(nil)); got != fr.f.SHA256 {
			return n, corruptFixture(fr.f, fr.dir, fmt.Sprintf("its sha256 is %s, the recording lists %s", got, fr.f.SHA256))
		}
	}
	return n, err
}

// Close closes the file.
func (fr *fixtureReader) Close() error { return fr.file.Close() }

// readFixture returns the bytes of the stored fixture f from the files
// folder dir, checked against its size and hash (see openFixture).
func readFixture(dir string, f File) ([]byte, error) {
	file, err := openFixture(dir, f)
	if err != nil {
		return nil, err
	}
	fr := newFixtureReader(file, f, dir)
	defer fr.Close()
	return io.ReadAll(fr)
}

// fixtureIntact reports whether dir holds the stored fixture f as a regular
// file with the right size and hash.
func fixtureIntact(dir string, f File) bool {
	file, err := openFixture(dir, f)
	if err != nil {
		return false
	}
	fr := newFixtureReader(file, f, dir)
	defer fr.Close()
	_, err = io.Copy(io.Discard, fr)
	return err == nil
}
