package recording

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FilesDir returns the fixture folder of the recording saved at path: the
// path without its extension, plus ".files" ("session.json" →
// "session.files"). A fixture named "<sha256>/<name>" is the file
// FilesDir(path)/<sha256>/<name>.
func FilesDir(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".files"
}

// checkDocPath refuses a document path that is its own files folder
// ("x.files").
func checkDocPath(path string) error {
	if FilesDir(path) == path {
		return fmt.Errorf("a recording cannot be named %q: that is the name of its files folder", filepath.Base(path))
	}
	return nil
}

// AddFile lists data as a fixture and returns its entry: Name is
// "<sha256 hex>/<origName made safe>", Stored is true. Files are
// deduplicated by content: adding the same bytes again returns the first
// entry (marked RoleInput if either use is an input). The bytes are held in
// memory, not copied, until Save writes them to the files folder; don't
// change data afterwards. The caller puts the returned Name in the FileData
// values that refer to the file, under the key "fixture".
//
// AddFile is for recordings built in memory; a recorder that must survive a
// crash uses (*Journal).AddFile, which writes the bytes at once.
func (r *Recording) AddFile(data []byte, origName, mimeType, role string) File {
	f := newFile(data, origName, mimeType, role)
	if r.held == nil {
		r.held = map[string][]byte{}
	}
	r.held[f.SHA256] = data
	for i := range r.Files {
		if e := &r.Files[i]; e.SHA256 == f.SHA256 {
			e.Stored = true
			if role == RoleInput {
				e.Role = RoleInput
			}
			return *e
		}
	}
	r.Files = append(r.Files, f)
	return f
}

// AddFileHash lists a file known by hash and size only, its bytes not
// stored: an output above the recorder's size limit, hashed as it streamed.
// The entry is what AddFile would give the same bytes, with Stored false;
// files are deduplicated by content as with AddFile.
func (r *Recording) AddFileHash(sha256Hex string, size int64, origName, mimeType, role string) File {
	for i := range r.Files {
		if e := &r.Files[i]; e.SHA256 == sha256Hex {
			if role == RoleInput {
				e.Role = RoleInput
			}
			return *e
		}
	}
	f := fileByHash(sha256Hex, size, origName, mimeType, role)
	r.Files = append(r.Files, f)
	return f
}

// fileByHash returns the unstored fixture entry of a file.
func fileByHash(sha256Hex string, size int64, origName, mimeType, role string) File {
	return File{
		Name:     sha256Hex + "/" + safeName(origName),
		OrigName: origName,
		MIMEType: mimeType,
		Size:     size,
		SHA256:   sha256Hex,
		Role:     role,
	}
}

// newFile returns the stored fixture entry for data.
func newFile(data []byte, origName, mimeType, role string) File {
	sum := sha256.Sum256(data)
	f := fileByHash(hex.EncodeToString(sum[:]), int64(len(data)), origName, mimeType, role)
	f.Stored = true
	return f
}

// maxNameBytes caps the length of a fixture's file name (its extension is
// kept).
const maxNameBytes = 100

// safeName turns a user's file name into one that is safe on every file
// system: the last path element, without separators, control characters,
// characters Windows refuses, or leading dots; at most maxNameBytes bytes;
// "file" if nothing is left.
func safeName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	if len(name) > maxNameBytes {
		ext := filepath.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		stem := name[:maxNameBytes-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	if name == "" {
		return "file"
	}
	return name
}

// isHex64 reports whether s is a SHA-256 in lower-case hex.
func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// checkFixtureName reports why name is not a valid fixture name
// ("<sha256 hex>/<one path element>"), or nil.
func checkFixtureName(name string) error {
	h, base, ok := strings.Cut(name, "/")
	switch {
	case !ok || !isHex64(h):
		return fmt.Errorf("fixture name %q is not <sha256 hex>/<name>", name)
	case base == "" || base == "." || base == ".." || strings.ContainsAny(base, "/\\\x00"):
		return fmt.Errorf("fixture name %q does not end in a plain file name", name)
	}
	return nil
}

// File returns the fixture entry with this Name, or nil.
func (r *Recording) File(name string) *File {
	for i := range r.Files {
		if r.Files[i].Name == name {
			return &r.Files[i]
		}
	}
	return nil
}

// fixture returns the entry of a stored fixture and, unless its bytes are
// held in memory, the path of its file.
func (r *Recording) fixture(name string) (*File, string, error) {
	f := r.File(name)
	switch {
	case f == nil:
		return nil, "", fmt.Errorf("%w %q", ErrUnknownFixture, name)
	case !f.Stored:
		return nil, "", fmt.Errorf("%s: %w (only its size and hash were recorded)", name, ErrNotStored)
	}
	if _, ok := r.held[f.SHA256]; ok {
		return f, "", nil
	}
	if err := checkFixtureName(name); err != nil {
		return nil, "", err
	}
	if r.dir == "" {
		return nil, "", fmt.Errorf("%s: %w: the recording has no files folder (it was never saved)", name, ErrMissingFixture)
	}
	return f, filepath.Join(r.dir, filepath.FromSlash(name)), nil
}

// FileBytes returns the bytes of the stored fixture name, checked against
// its size and SHA-256. The file must be a regular file in the files folder,
// not a symbolic link, nor in a "<sha256>" folder that is one; at most its
// recorded size (plus one byte) is read. Errors: ErrUnknownFixture (not in
// Files), ErrNotStored, ErrMissingFixture (naming the file and the folder),
// ErrUnsafeFixture (a link, a device, a pipe), ErrCorruptFixture (another
// size or hash).
func (r *Recording) FileBytes(name string) ([]byte, error) {
	f, path, err := r.fixture(name)
	if err != nil {
		return nil, fmt.Errorf("read fixture: %w", err)
	}
	if path == "" {
		return r.held[f.SHA256], nil
	}
	data, err := readFixture(r.dir, *f)
	if err != nil {
		return nil, fmt.Errorf("read fixture %w", err)
	}
	return data, nil
}

// OpenFile opens the stored fixture name for reading, for files too large to
// hold in memory. It refuses what FileBytes refuses and checks the size on
// opening; the hash is checked as the bytes are read: the Read that reaches
// the end of other bytes than recorded (or goes past the recorded size)
// returns an error matching ErrCorruptFixture instead of io.EOF, so read to
// the end (io.Copy does) before trusting what was read. The errors are
// those of FileBytes.
func (r *Recording) OpenFile(name string) (io.ReadCloser, error) {
	f, path, err := r.fixture(name)
	if err != nil {
		return nil, fmt.Errorf("open fixture: %w", err)
	}
	if path == "" {
		return io.NopCloser(bytes.NewReader(r.held[f.SHA256])), nil
	}
	file, err := openFixture(r.dir, *f)
	if err != nil {
		return nil, fmt.Errorf("open fixture %w", err)
	}
	return newFixtureReader(file, *f, r.dir), nil
}

// CheckFiles reports every stored fixture whose file is missing from the
// files folder, is not a regular file, or has the wrong size (a cheap check,
// without hashing), as one error joining them; nil when all are there.
func (r *Recording) CheckFiles() error {
	var errs []error
	for _, f := range r.Files {
		if !f.Stored {
			continue
		}
		rc, err := r.OpenFile(f.Name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rc.Close()
	}
	return errors.Join(errs...)
}

// fixtureSource returns a reader of the bytes of f, from memory or from the
// recording's files folder (checked as FileBytes checks them, the hash as
// they are read), or nil when there are none.
func (r *Recording) fixtureSource(f File) (io.ReadCloser, error) {
	if b, ok := r.held[f.SHA256]; ok {
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	if r.dir == "" || checkFixtureName(f.Name) != nil {
		return nil, nil
	}
	file, err := openFixture(r.dir, f)
	if errors.Is(err, ErrMissingFixture) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return newFixtureReader(file, f, r.dir), nil
}

// writeFixture writes the bytes src provides, which must be those of the
// stored fixture f, to dir, atomically, unless dir holds them already (a
// regular file of the right size and hash: names are content-addressed).
// It never writes through a link: a "<sha256>" entry that is not a folder
// (a symbolic link) is replaced by one, and the file by a new file. Nothing
// is changed in dir unless src opens.
func writeFixture(dir string, f File, src func() (io.ReadCloser, error)) error {
	if err := checkFixtureName(f.Name); err != nil {
		return err
	}
	if fixtureIntact(dir, f) {
		return nil
	}
	rc, err := src()
	if err != nil {
		return err
	}
	if rc == nil {
		return fmt.Errorf("%s: %w: its bytes are neither in memory nor in the recording's files folder", f.Name, ErrMissingFixture)
	}
	defer rc.Close()
	sub, _, _ := strings.Cut(f.Name, "/")
	if err := fixtureFolder(dir, sub); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, filepath.FromSlash(f.Name)), func(w io.Writer) error {
		_, err := io.Copy(w, rc)
		return err
	})
}

// fixtureFolder makes dir/sub a real folder: created if missing, and
// replacing whatever else has that name (a symbolic link, a file). dir may
// be a link.
func fixtureFolder(dir, sub string) error {
	path := filepath.Join(dir, sub)
	st, err := os.Lstat(path)
	switch {
	case err == nil && st.IsDir():
		return nil
	case err == nil:
		if err := os.Remove(path); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.Mkdir(path, 0o755)
}
