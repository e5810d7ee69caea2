//go:build unix

package recording

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// savedSample saves sampleRecording at a temporary path and loads it back:
// its fixtures are read from the files folder. It returns the loaded
// recording and its input fixture.
func savedSample(t *testing.T) (string, *Recording, File) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.json")
	if err := Save(path, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	rec, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, rec, rec.Files[0]
}

// fixturePath is where the file of fixture f of the recording at path is.
func fixturePath(path string, f File) string {
	return filepath.Join(FilesDir(path), filepath.FromSlash(f.Name))
}

// replaceWithLink replaces name by a symbolic link to target.
func replaceWithLink(t *testing.T, name, target string) {
	t.Helper()
	if err := os.RemoveAll(name); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// TestHostileFixtures: every way a files folder can lie about a fixture is
// refused by every reader, with an error that names the fixture and the
// folder and says what to do.
func TestHostileFixtures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, path string, f File)
		want  error
	}{
		{"link to /dev/zero", func(t *testing.T, path string, f File) {
			replaceWithLink(t, fixturePath(path, f), "/dev/zero")
		}, ErrUnsafeFixture},
		{"link to a file with the same bytes", func(t *testing.T, path string, f File) {
			same := filepath.Join(t.TempDir(), "same")
			data, _ := os.ReadFile(fixturePath(path, f))
			if err := os.WriteFile(same, data, 0o644); err != nil {
				t.Fatal(err)
			}
			replaceWithLink(t, fixturePath(path, f), same)
		}, ErrUnsafeFixture},
		{"linked <sha256> folder", func(t *testing.T, path string, f File) {
			sub := filepath.Join(FilesDir(path), f.SHA256)
			moved := filepath.Join(t.TempDir(), f.SHA256)
			if err := os.Rename(sub, moved); err != nil {
				t.Fatal(err)
			}
			replaceWithLink(t, sub, moved)
		}, ErrUnsafeFixture},
		{"a pipe", func(t *testing.T, path string, f File) {
			os.Remove(fixturePath(path, f))
			if err := syscall.Mkfifo(fixturePath(path, f), 0o644); err != nil {
				t.Fatal(err)
			}
		}, ErrUnsafeFixture},
		{"a folder", func(t *testing.T, path string, f File) {
			os.Remove(fixturePath(path, f))
			if err := os.Mkdir(fixturePath(path, f), 0o755); err != nil {
				t.Fatal(err)
			}
		}, ErrUnsafeFixture},
		{"other bytes of the same size", func(t *testing.T, path string, f File) {
			if err := os.WriteFile(fixturePath(path, f), bytes.Repeat([]byte("x"), int(f.Size)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, ErrCorruptFixture},
		{"grown larger", func(t *testing.T, path string, f File) {
			file, err := os.OpenFile(fixturePath(path, f), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			file.Write(make([]byte, 1<<20))
			file.Close()
		}, ErrCorruptFixture},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, rec, f := savedSample(t)
			tc.spoil(t, path, f)
			check := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, tc.want) {
					t.Errorf("%s: %v, want %v", what, err, tc.want)
					return
				}
				for _, s := range []string{f.Name, FilesDir(path), "copy the recording's files folder again"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("%s: %q does not say %q", what, err, s)
					}
				}
			}
			_, err := rec.FileBytes(f.Name)
			check("FileBytes", err)
			if rc, err := rec.OpenFile(f.Name); err != nil {
				check("OpenFile", err)
			} else {
				_, err := io.Copy(io.Discard, rc)
				rc.Close()
				check("reading OpenFile", err)
			}

			// Saving the recording elsewhere copies nothing of it.
			other := filepath.Join(t.TempDir(), "copy.json")
			check("Save elsewhere", Save(other, rec))
			if _, err := os.Lstat(fixturePath(other, f)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Save elsewhere left %s: %v", fixturePath(other, f), err)
			}
		})
	}
}

// TestFixtureReadBound: a fixture that grows after it was opened is read no
// further than its recorded size plus one byte.
func TestFixtureReadBound(t *testing.T) {
	path, rec, f := savedSample(t)
	rc, err := rec.OpenFile(f.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	file, err := os.OpenFile(fixturePath(path, f), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	file.Write(make([]byte, 1<<20))
	file.Close()
	n, err := io.Copy(io.Discard, rc)
	if !errors.Is(err, ErrCorruptFixture) || n != f.Size {
		t.Errorf("read %d bytes, %v; want the recorded %d, then ErrCorruptFixture", n, err, f.Size)
	}
}

// TestSaveReplacesLinkedFolder: Save never writes through a link in the
// files folder it writes to.
func TestSaveReplacesLinkedFolder(t *testing.T) {
	_, rec, f := savedSample(t)
	other := filepath.Join(t.TempDir(), "copy.json")
	elsewhere := t.TempDir()
	if err := os.MkdirAll(FilesDir(other), 0o755); err != nil {
		t.Fatal(err)
	}
	replaceWithLink(t, filepath.Join(FilesDir(other), f.SHA256), elsewhere)
	if err := Save(other, rec); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("Save wrote through the link into %s: %v", elsewhere, entries)
	}
	st, err := os.Lstat(filepath.Join(FilesDir(other), f.SHA256))
	if err != nil || !st.IsDir() {
		t.Errorf("the <sha256> entry is %v, %v; want a real folder", st.Mode(), err)
	}
	saved, err := Load(other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := saved.FileBytes(f.Name); err != nil {
		t.Errorf("FileBytes of the copy: %v", err)
	}
}
