package recording

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// journalFormat names the version of the journal layout.
const journalFormat = "gradiorec.journal/v1"

// JournalPath returns where the journal of the recording at path lives:
// path + ".journal" ("session.json" → "session.json.journal").
func JournalPath(path string) string { return path + ".journal" }

// Journal makes a recording survive a crash while it is captured. Each
// event is one JSON line, written and synced to disk before the method
// returns: a header (the Recording as CreateJournal got it), then sessions,
// fixture entries, calls as they start, and calls as they end. Fixture bytes
// go to the files folder as they arrive. After a crash, a kill -9 or a dead
// server, Recover rebuilds the recording from it: every call that ended, and
// the ones still in flight marked Incomplete.
//
// Everything goes through redaction (see Redacted) before it is written, and
// the Journal keeps only the redacted values. A Journal is safe for
// concurrent use.
type Journal struct {
	path string // the document's path
	opts options

	mu    sync.Mutex
	f     *os.File
	size  int64 // bytes of whole lines written
	rd    *redactor
	state journalState
	err   error // set once the journal is closed or damaged
}

// journalLine is one line of a journal: exactly one of its parts is set
// (Journal and Recording together, in the header).
type journalLine struct {
	Journal   string     `json:"journal,omitzero" redact:"-"` // header: journalFormat
	Recording *Recording `json:"recording,omitzero"`          // header: the recording as it started
	Session   *Session   `json:"session,omitzero"`            // a session was seen
	Endpoint  *Endpoint  `json:"endpoint,omitzero"`           // an endpoint the page made at run time (gr.render)
	File      *File      `json:"file,omitzero"`               // a fixture was added or changed
	Started   *Call      `json:"started,omitzero"`            // a call was sent
	Completed *Call      `json:"completed,omitzero"`          // a call ended (any final status)
}

// CreateJournal starts the journal of a recording that will be saved at
// path: it creates JournalPath(path) and writes the header, header being the
// recording so far (Created, Tool, App; usually no calls yet). Fixture bytes
// header holds from AddFile are written to FilesDir(path). It fails with
// ErrJournalExists if a journal is already there: an earlier recording was
// interrupted; Recover it or remove it first.
//
// Options: Redact names secrets to keep out of the journal (more can be added
// with (*Journal).Redact); MaxOutputSize leaves out large outputs' bytes.
func CreateJournal(path string, header *Recording, opts ...Option) (*Journal, error) {
	if err := checkDocPath(path); err != nil {
		return nil, fmt.Errorf("create journal: %w", err)
	}
	jp := JournalPath(path)
	f, err := os.OpenFile(jp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o666)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create journal %s: %w: recover it (gradiorec recover) or remove it", jp, ErrJournalExists)
	}
	if err != nil {
		return nil, fmt.Errorf("create journal: %w", err)
	}
	j := &Journal{path: path, opts: newOptions(opts), f: f}
	j.rd = j.opts.newRedactor()
	if err := j.writeHeader(header); err != nil {
		f.Close()
		os.Remove(jp)
		return nil, fmt.Errorf("create journal %s: %w", jp, err)
	}
	return j, nil
}

// writeHeader writes the header line and the fixtures header holds.
func (j *Journal) writeHeader(header *Recording) error {
	h, err := redacted(j.rd, header)
	if err != nil {
		return err
	}
	h.Format = Format
	decideStored(header, h, j.opts, j.rd)
	if err := writeFixtures(FilesDir(j.path), header, h); err != nil {
		return err
	}
	l := journalLine{Journal: journalFormat, Recording: h}
	if err := j.write(l); err != nil {
		return err
	}
	j.state.apply(l)
	return syncDir(filepath.Dir(j.f.Name()))
}

// AddSession records a browser session (its ID and session_hash). Add it
// before the first call that names it.
func (j *Journal) AddSession(s Session) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.add(journalLine{Session: &s}); err != nil {
		return fmt.Errorf("journal session %s: %w", s.ID, err)
	}
	return nil
}

// AddEndpoint records an endpoint that the app's config did not list when
// the page loaded (one a gr.render function made), before the first call
// of it. An endpoint whose fn_index is known already replaces that one.
func (j *Journal) AddEndpoint(e Endpoint) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.add(journalLine{Endpoint: &e}); err != nil {
		return fmt.Errorf("journal endpoint fn_index %d: %w", e.FnIndex, err)
	}
	return nil
}

// AddFile is (*Recording).AddFile for a recording in progress: it writes the
// bytes to the files folder at once (atomically, synced), then journals the
// entry, and returns it. The original name is redacted before it names the
// file. An output above MaxOutputSize, or bytes that contain a secret, are
// not written: the entry has Stored false. Adding the same bytes again
// returns the first entry (marked RoleInput if this use is an input, and
// stored if it was not and now may be).
func (j *Journal) AddFile(data []byte, origName, mimeType, role string) (File, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f := newFile(data, j.rd.String(origName), mimeType, role)
	f.Stored = j.opts.stores(role, f.Size) && !j.rd.containsSecret(data)
	f, err := j.addFile(f, data)
	if err != nil {
		return File{}, fmt.Errorf("journal file %s: %w", f.Name, err)
	}
	return f, nil
}

// AddFileHash is (*Recording).AddFileHash for a recording in progress: it
// journals a file known by hash and size only, not stored, and returns its
// entry.
func (j *Journal) AddFileHash(sha256Hex string, size int64, origName, mimeType, role string) (File, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := j.addFile(fileByHash(sha256Hex, size, j.rd.String(origName), mimeType, role), nil)
	if err != nil {
		return File{}, fmt.Errorf("journal file %s: %w", f.Name, err)
	}
	return f, nil
}

// addFile merges a new entry with the one for the same content, if any,
// writes the bytes when it is stored, and journals the entry if it changed.
// The caller holds j.mu.
func (j *Journal) addFile(f File, data []byte) (File, error) {
	if j.err != nil {
		return f, j.err
	}
	if e := j.state.file(f.SHA256); e != nil {
		merged := *e
		merged.Stored = e.Stored || f.Stored
		if f.Role == RoleInput {
			merged.Role = RoleInput
		}
		if merged == *e {
			return merged, nil
		}
		f = merged
	}
	if f.Stored {
		err := writeFixture(FilesDir(j.path), f, func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		})
		if err != nil {
			return f, err
		}
	}
	if err := j.add(journalLine{File: &f}); err != nil {
		return f, err
	}
	return *j.state.file(f.SHA256), nil
}

// Start records a call the page has just sent (ID, Session, FnIndex,
// inputs, Started): if the recording is interrupted before Append, Recover
// keeps it, marked Incomplete. Calls need distinct, positive IDs.
func (j *Journal) Start(call Call) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.add(journalLine{Started: &call}); err != nil {
		return fmt.Errorf("journal start of call %d: %w", call.ID, err)
	}
	return nil
}

// Append records a call that ended (Completed, Failed, Cancelled, or
// Incomplete when the recording stopped first), in full: outputs, updates,
// log, progress, error, duration. It replaces what Start recorded.
func (j *Journal) Append(call Call) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.add(journalLine{Completed: &call}); err != nil {
		return fmt.Errorf("journal call %d: %w", call.ID, err)
	}
	return nil
}

// Path returns the journal's own path (JournalPath of the document's).
func (j *Journal) Path() string { return JournalPath(j.path) }

// Redact adds secrets to keep out of everything the journal writes from now
// on, for example a password the person typed after recording began.
func (j *Journal) Redact(secrets ...string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.rd.add(anonymous(secrets)...)
}

// Snapshot returns a copy of the recording as journaled so far (redacted),
// calls still in flight marked Incomplete; for a live view. Saving it does
// not end the journal: (*Journal).Save does.
func (j *Journal) Snapshot() (*Recording, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state.recording(FilesDir(j.path), "")
}

// Save ends the recording: it closes the journal, folds it into the document
// with Save (same options, calls still in flight marked Incomplete), which
// then removes the journal, and returns the saved Recording. It works from
// what the journal holds in memory, so it saves even after a failed write
// damaged the journal file. If Save fails, the journal stays on disk for
// Recover.
func (j *Journal) Save() (*Recording, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if errors.Is(j.err, ErrJournalClosed) {
		return nil, fmt.Errorf("save recording %s: %w", j.path, j.err)
	}
	rec, err := j.state.recording(FilesDir(j.path), JournalPath(j.path))
	if err != nil {
		return nil, fmt.Errorf("save recording %s: %w", j.path, err)
	}
	j.close() // the document, written next, supersedes the journal
	if err := rec.save(j.path, j.opts, j.rd); err != nil {
		return nil, fmt.Errorf("save recording %s: %w", j.path, err)
	}
	return rec, nil
}

// Close closes the journal and leaves it on disk, for Recover. Closing twice
// does nothing.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if errors.Is(j.err, ErrJournalClosed) {
		return nil
	}
	return j.close()
}

func (j *Journal) close() error {
	j.err = ErrJournalClosed
	return j.f.Close()
}

// add redacts, writes and applies one line. The caller holds j.mu.
func (j *Journal) add(l journalLine) error {
	if j.err != nil {
		return j.err
	}
	if c := l.call(); c != nil && c.ID <= 0 {
		return fmt.Errorf("call id %d is not positive", c.ID)
	}
	if c := l.call(); c != nil && j.state.rec != nil {
		j.rd.learn(&j.state.rec.App, c)
	}
	red, err := redacted(j.rd, &l)
	if err != nil {
		return err
	}
	if err := j.write(*red); err != nil {
		return err
	}
	j.state.apply(*red)
	return nil
}

// write appends one line and syncs it. If that fails, it cuts the file back
// to its last whole line, so a later line never follows a torn one.
func (j *Journal) write(l journalLine) error {
	data, err := encode(l, false)
	if err != nil {
		return err
	}
	n, err := j.f.Write(data)
	if err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		if terr := j.f.Truncate(j.size); terr != nil {
			j.err = fmt.Errorf("journal %s is damaged after a failed write (%v): %w", j.f.Name(), err, terr)
		}
		return err
	}
	j.size += int64(n)
	return nil
}
