package codegen

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"

	"github.com/gradiorec/gradiorec/recording"
)

// ErrNotEmpty means Write was given a folder that holds something already,
// without ReplaceFiles.
var ErrNotEmpty = errors.New("the output folder is not empty")

// WriteOption changes how Write writes a project.
type WriteOption func(*writeOptions)

type writeOptions struct{ replace bool }

// ReplaceFiles lets Write write into a folder that is not empty: the
// project's files replace the files of the same names there (a symbolic
// link among them is replaced by a regular file, never written through);
// nothing else in the folder is touched. By default Write refuses a folder
// that holds anything, with ErrNotEmpty.
func ReplaceFiles() WriteOption { return func(o *writeOptions) { o.replace = true } }

// Write writes the project into dir, creating it if needed: every file,
// and every fixture copied from rec (the recording Export was given, as
// loaded from disk, so that its files folder is known). It is the one step
// of code generation that writes files.
//
// dir must be empty or missing (else ErrNotEmpty; see ReplaceFiles). Write
// never follows a symbolic link inside dir: a folder of the project that is
// a link (fixtures/, say) is refused, and each file is written to a new
// file that is then renamed into place. dir itself may be a link. Scripts
// meant to be run (a File whose Mode has an execute bit) get mode 0755,
// everything else 0644. The fixtures are read and checked (see
// recording.FileBytes: regular files, their recorded size and hash) before
// anything is written, so a fixture that is not what the recording lists
// leaves dir as it was.
func (p *Project) Write(dir string, rec *recording.Recording, opts ...WriteOption) error {
	var o writeOptions
	for _, opt := range opts {
		opt(&o)
	}
	for _, f := range p.Files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return fmt.Errorf("write project: %q is not a path inside the output folder", f.Path)
		}
	}
	for _, fx := range p.Fixtures {
		if !filepath.IsLocal(filepath.FromSlash(fx.Path)) {
			return fmt.Errorf("write project: %q is not a path inside the output folder", fx.Path)
		}
		if err := checkFixture(rec, fx.File.Name); err != nil {
			return fmt.Errorf("write project: fixture %s: %w", fx.Path, err)
		}
	}
	if err := outputFolder(dir, o.replace); err != nil {
		return fmt.Errorf("write project: %w", err)
	}
	for _, f := range p.Files {
		mode := fs.FileMode(0o644)
		if f.Mode&0o111 != 0 {
			mode = 0o755
		}
		err := writeFile(dir, f.Path, mode, func(w io.Writer) error {
			_, err := w.Write(f.Content)
			return err
		})
		if err != nil {
			return fmt.Errorf("write project: %w", err)
		}
	}
	for _, fx := range p.Fixtures {
		err := writeFile(dir, fx.Path, 0o644, func(w io.Writer) error {
			src, err := rec.OpenFile(fx.File.Name)
			if err != nil {
				return err
			}
			defer src.Close()
			_, err = io.Copy(w, src) // the hash is checked at the end
			return err
		})
		if err != nil {
			return fmt.Errorf("write project: fixture %s: %w", fx.Path, err)
		}
	}
	return nil
}

// checkFixture reads the fixture name to the end, which checks it.
func checkFixture(rec *recording.Recording, name string) error {
	src, err := rec.OpenFile(name)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(io.Discard, src)
	return err
}

// outputFolder makes sure dir is a folder Write may write to: created when
// missing, else empty unless replace.
func outputFolder(dir string, replace bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		if st, serr := os.Stat(dir); serr == nil && !st.IsDir() {
			return fmt.Errorf("%s is not a folder; choose a folder for the project", dir)
		}
		return err
	case len(entries) > 0 && !replace:
		return fmt.Errorf("%w: %s holds %s; choose a new or empty folder", ErrNotEmpty, dir, entries[0].Name())
	}
	return nil
}

// writeFile writes the file rel (slash-separated, inside dir) with the bytes
// fill writes and the given mode. The folders on the way are created, and
// must not be symbolic links; the file is written to a new file beside it,
// then renamed over whatever was there (a link is replaced, not followed).
// A failed fill leaves nothing behind.
func writeFile(dir, rel string, mode fs.FileMode, fill func(io.Writer) error) (err error) {
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return fmt.Errorf("%q is not a path inside the output folder", rel)
	}
	parent := dir
	if d := path.Dir(rel); d != "." {
		for _, elem := range splitPath(d) {
			parent = filepath.Join(parent, elem)
			if err := realFolder(parent); err != nil {
				return err
			}
		}
	}
	target := filepath.Join(dir, filepath.FromSlash(rel))
	if st, err := os.Lstat(target); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder: remove it, or choose another output folder", target)
	}
	tmp, err := createTemp(parent, "."+path.Base(rel)+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	// Chmod, unlike the mode given at creation, is not narrowed by the umask.
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// realFolder makes sure path is a folder and not a symbolic link, creating
// it when missing.
func realFolder(path string) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Mkdir(path, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		return realFolder(path) // made, or made by someone else meanwhile: look again
	case err != nil:
		return err
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: gradiorec does not write through links; remove it, or choose another output folder", path)
	case !st.IsDir():
		return fmt.Errorf("%s is not a folder: remove it, or choose another output folder", path)
	}
	return nil
}

// splitPath splits a clean slash-separated relative path into its elements.
func splitPath(p string) []string {
	var elems []string
	for p != "." && p != "" {
		elems = append([]string{path.Base(p)}, elems...)
		p = path.Dir(p)
	}
	return elems
}

// createTemp creates a new file in dir, named prefix and a random suffix,
// never opening an existing file or a link.
func createTemp(dir, prefix string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf("%s%016x", prefix, rand.Uint64()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("create a temporary file in %s: too many name collisions", dir)
}
