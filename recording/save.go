package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Save writes rec to path as one JSON document, indented, deterministic
// (the same recording gives the same bytes), and atomic: path holds the old
// document or the new one, never a part. It sets rec.Format and validates
// rec first (see Validate); an invalid recording is not written.
//
// Fixtures go to FilesDir(path) ("session.json" → "session.files/"), each
// under its Name, atomically, before the document: the bytes held by
// AddFile, or copied from the folder rec was loaded from, each checked as
// FileBytes checks it (a link, a device or bytes other than recorded fail
// the Save, before the document is written). A fixture already in
// FilesDir(path) with the right size and hash is kept; anything else there
// under its name, a symbolic link included, is replaced, never written
// through. Fixture folders no longer listed are removed from FilesDir(path)
// afterwards. An output above
// MaxOutputSize, or bytes containing a value given with Redact, are not
// written: the entry is saved with Stored false (rec is updated to match).
//
// Secrets are redacted in what is written (see Redacted); rec itself keeps
// them. When rec was rebuilt from a journal (by Recover, or by
// (*Journal).Save), Save removes that journal once the document is in
// place: the document now holds all it had. Any other journal is left alone.
func Save(path string, rec *Recording, opts ...Option) error {
	o := newOptions(opts)
	if err := rec.save(path, o, o.newRedactor()); err != nil {
		return fmt.Errorf("save recording %s: %w", path, err)
	}
	return nil
}

func (r *Recording) save(path string, o options, rd *redactor) error {
	if err := checkDocPath(path); err != nil {
		return err
	}
	r.Format = Format
	if err := r.Validate(); err != nil {
		return err
	}
	for i := range r.Calls {
		rd.learn(&r.App, &r.Calls[i])
	}
	doc, err := redacted(rd, r)
	if err != nil {
		return err
	}
	decideStored(r, doc, o, rd)
	if err := doc.Validate(); err != nil {
		return fmt.Errorf("after redaction: %w", err)
	}
	data, err := encode(doc, true)
	if err != nil {
		return err
	}

	dir := FilesDir(path)
	if err := writeFixtures(dir, r, doc); err != nil {
		return err
	}
	if err := writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}); err != nil {
		return err
	}

	// The document is in place: now tidy up, and make rec match it.
	var errs []error
	if r.journal != "" {
		if err := os.Remove(r.journal); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, pruneFixtures(dir, doc.Files))
	for i := range r.Files {
		r.Files[i].Stored = doc.Files[i].Stored
	}
	r.dir, r.held, r.journal = dir, nil, ""
	return errors.Join(errs...)
}

// decideStored clears Stored in doc, the redacted copy of src (so
// doc.Files[i] is src.Files[i]), for the fixtures whose bytes must not be
// written: outputs above the size limit, and held bytes containing a secret.
func decideStored(src, doc *Recording, o options, rd *redactor) {
	for i := range doc.Files {
		f := &doc.Files[i]
		if !f.Stored {
			continue
		}
		if b, held := src.held[f.SHA256]; !o.stores(f.Role, f.Size) || (held && rd.containsSecret(b)) {
			f.Stored = false
		}
	}
}

// writeFixtures writes to dir the bytes of doc's stored fixtures, taken from
// src (held in memory, or in the folder src was loaded from).
func writeFixtures(dir string, src, doc *Recording) error {
	for i, f := range doc.Files {
		if !f.Stored {
			continue
		}
		from := src.Files[i]
		err := writeFixture(dir, f, func() (io.ReadCloser, error) { return src.fixtureSource(from) })
		if err != nil {
			return fmt.Errorf("write fixture: %w", err)
		}
	}
	return nil
}

// pruneFixtures removes the fixture folders (named by a SHA-256) in dir that
// no stored file uses, and dir itself when nothing is left in it.
func pruneFixtures(dir string, files []File) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, f := range files {
		if f.Stored {
			keep[f.SHA256] = true
		}
	}
	left := len(entries)
	for _, e := range entries {
		if !e.IsDir() || !isHex64(e.Name()) || keep[e.Name()] {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
		left--
	}
	if left == 0 {
		return os.Remove(dir)
	}
	return nil
}

// encode marshals v without HTML escaping (so Redacted reads as written),
// indented or on one line, ending in a newline.
func encode(v any, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
