package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// reportFile is a file a replay writes its report to (--junit), checked and
// reserved before the calls, so that a mistake costs no replay: a temporary
// file beside it, renamed over it at the end; or, for a device or a pipe
// (/dev/stdout), the file itself, opened at once.
type reportFile struct {
	path   string   // as given
	target string   // where the report goes: path, or the file a link at path points to
	tmp    *os.File // the temporary file, or the device or pipe itself
	direct bool     // tmp is the device or pipe: written in place
	mode   fs.FileMode
}

// reserveReport checks that the report file path is none of the replay's
// inputs (the recording, its journal, a file in its files folder, the rules
// file; by name or as the same file) and that it can be written, and
// reserves it. The errors say what to give instead; they exit 2.
func reserveReport(flag, path, recPath string, others ...string) (*reportFile, error) {
	if err := notAnInput(flag, path, recPath, others...); err != nil {
		return nil, err
	}
	cannot := func(err error) error {
		return &exitError{code: replay.ExitBadInput, err: fmt.Errorf("%s %s: cannot write the report there (%w); give a file in a folder you can write to", flag, path, err)}
	}
	r := &reportFile{path: path, target: path, mode: 0o644}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return nil, usagef("%s %s is a folder: give the path of a file for the report", flag, path)
	case err == nil && !st.Mode().IsRegular():
		// A device or a pipe: written in place, as a shell's > would.
		if r.tmp, err = os.OpenFile(path, os.O_WRONLY, 0); err != nil {
			return nil, cannot(err)
		}
		r.direct = true
		return r, nil
	case err == nil:
		// A file to replace: the one a link points to, if path is a link,
		// with its mode; it must be writable now, as it would be for >.
		if r.target, err = filepath.EvalSymlinks(path); err != nil {
			return nil, cannot(err)
		}
		f, err := os.OpenFile(r.target, os.O_WRONLY, 0)
		if err != nil {
			return nil, cannot(err)
		}
		f.Close()
		r.mode = st.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return nil, cannot(err)
	}
	dir, base := filepath.Split(r.target)
	if dir == "" {
		dir = "."
	}
	if r.tmp, err = os.CreateTemp(dir, "."+base+".tmp-*"); err != nil {
		return nil, cannot(err)
	}
	return r, nil
}

// write writes the report with fill and puts it in place. Its errors exit
// 2.
func (r *reportFile) write(fill func(io.Writer) error) error {
	err := fill(r.tmp)
	if !r.direct {
		if err == nil {
			err = r.tmp.Chmod(r.mode)
		}
		if err == nil {
			err = r.tmp.Sync()
		}
	}
	if cerr := r.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && !r.direct {
		err = os.Rename(r.tmp.Name(), r.target)
	}
	if err != nil {
		if !r.direct {
			os.Remove(r.tmp.Name())
		}
		return &exitError{code: replay.ExitBadInput, err: fmt.Errorf("write the report %s: %w; give a file you can write to", r.path, err)}
	}
	return nil
}

// discard drops a reserved report that was not written. It does nothing
// after write.
func (r *reportFile) discard() {
	if r == nil {
		return
	}
	if r.tmp.Close() == nil && !r.direct {
		os.Remove(r.tmp.Name())
	}
}

// notAnInput refuses an output path that is the recording at recPath, its
// journal, its files folder or a file in it, or one of others (say the
// rules file): by name, or as the same file under another name (a link, a
// hard link).
func notAnInput(flag, path, recPath string, others ...string) error {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			return filepath.Clean(p)
		}
		return a
	}
	out := abs(path)
	outSt, outErr := os.Stat(path)
	inputs := append([]string{recPath, recording.JournalPath(recPath)}, others...)
	for _, in := range inputs {
		if in == "" {
			continue
		}
		same := abs(in) == out
		if !same && outErr == nil {
			st, err := os.Stat(in)
			same = err == nil && os.SameFile(st, outSt)
		}
		if same {
			return usagef("%s %s would overwrite %s, an input of the replay: give another file for the report", flag, path, in)
		}
	}
	files := recording.FilesDir(recPath)
	inFiles := out == abs(files) || strings.HasPrefix(out, abs(files)+string(filepath.Separator))
	if filesSt, err := os.Stat(files); err == nil && !inFiles {
		// The files folder under another name: one of the folders above.
		for d := out; !inFiles; {
			if st, err := os.Stat(d); err == nil && os.SameFile(st, filesSt) {
				inFiles = true
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	if inFiles {
		return usagef("%s %s is inside %s, the recording's files folder: give a file outside it for the report", flag, path, files)
	}
	return nil
}

// checkWritable checks, before the replays, that the recording at path can
// be saved again (--learn-noise): that a file can be created beside it.
func checkWritable(path string) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return &exitError{code: replay.ExitBadInput, err: fmt.Errorf("--learn-noise saves the masks in %s, but its folder cannot be written (%w): "+
			"copy the recording to a folder you can write to, or replay without --learn-noise", path, err)}
	}
	f.Close()
	return os.Remove(f.Name())
}
