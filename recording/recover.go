package recording

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Recover rebuilds the recording of path from the journal an interrupted
// recording left at JournalPath(path): every call that ended, the calls
// still in flight marked Incomplete, the sessions and fixtures journaled.
// A malformed last line (a write torn by the crash) is ignored. Fixture
// bytes stay in FilesDir(path). Recover writes nothing: Save the result to
// make it a document, which removes the journal.
//
// The result is not validated; Save validates. Errors: no journal
// (fs.ErrNotExist), ErrCorruptJournal, *UnknownVersionError.
func Recover(path string) (*Recording, error) {
	jp := JournalPath(path)
	data, err := os.ReadFile(jp)
	if err != nil {
		return nil, fmt.Errorf("recover recording: %w", err)
	}
	st, err := readJournal(data)
	if err != nil {
		return nil, fmt.Errorf("recover recording from %s: %w", jp, err)
	}
	rec, err := st.recording(FilesDir(path), jp)
	if err != nil {
		return nil, fmt.Errorf("recover recording from %s: %w", jp, err)
	}
	return rec, nil
}

// readJournal replays the lines of a journal.
func readJournal(data []byte) (*journalState, error) {
	lines := bytes.Split(data, []byte("\n"))
	last := -1
	for i, l := range lines {
		if len(bytes.TrimSpace(l)) > 0 {
			last = i
		}
	}
	st := &journalState{}
	for i, raw := range lines {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		l, err := parseLine(raw)
		if err == nil {
			err = st.check(l)
		}
		var uv *UnknownVersionError
		switch {
		case errors.As(err, &uv):
			return nil, err
		case err != nil && i == last:
			continue // torn by the crash
		case err != nil:
			return nil, fmt.Errorf("line %d: %w: %v", i+1, ErrCorruptJournal, err)
		}
		st.apply(l)
	}
	if st.rec == nil {
		return nil, fmt.Errorf("%w: no header line (the recording had not started)", ErrCorruptJournal)
	}
	return st, nil
}

// parseLine decodes one journal line strictly.
func parseLine(raw []byte) (journalLine, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var l journalLine
	if err := dec.Decode(&l); err != nil {
		return l, jsonError(raw, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return l, errors.New("data after the entry")
	}
	parts := 0
	for _, set := range []bool{l.Recording != nil, l.Session != nil, l.Endpoint != nil, l.File != nil, l.Started != nil, l.Completed != nil} {
		if set {
			parts++
		}
	}
	switch {
	case parts != 1:
		return l, fmt.Errorf("an entry needs exactly one part, this one has %d", parts)
	case (l.Journal != "") != (l.Recording != nil):
		return l, errors.New("\"journal\" and \"recording\" go together, in the header")
	case l.call() != nil && l.call().ID <= 0:
		return l, fmt.Errorf("call id %d is not positive", l.call().ID)
	case l.File != nil && l.File.SHA256 == "":
		return l, errors.New("file without sha256")
	}
	return l, nil
}

// call returns the call a line is about, or nil.
func (l journalLine) call() *Call {
	if l.Started != nil {
		return l.Started
	}
	return l.Completed
}

// journalState is what the lines of a journal add up to. The Journal keeps
// one as it writes; Recover rebuilds one as it reads.
type journalState struct {
	rec  *Recording   // nil until the header
	done map[int]bool // calls that ended
}

// check reports a line that cannot come at this point of a journal.
func (st *journalState) check(l journalLine) error {
	switch {
	case st.rec == nil && l.Recording == nil:
		return errors.New("the first line is not a header")
	case st.rec != nil && l.Recording != nil:
		return errors.New("a second header")
	case l.Recording != nil && l.Journal != journalFormat:
		return &UnknownVersionError{Found: l.Journal, Supported: journalFormat}
	case l.Recording != nil && l.Recording.Format != Format:
		return &UnknownVersionError{Found: l.Recording.Format, Supported: Format}
	}
	return nil
}

// apply adds one checked line.
func (st *journalState) apply(l journalLine) {
	switch {
	case l.Recording != nil:
		st.rec = l.Recording
		st.done = map[int]bool{}
		for _, c := range st.rec.Calls {
			st.done[c.ID] = true
		}
	case l.Session != nil:
		if i := slices.IndexFunc(st.rec.Sessions, func(s Session) bool { return s.ID == l.Session.ID }); i >= 0 {
			st.rec.Sessions[i] = *l.Session
		} else {
			st.rec.Sessions = append(st.rec.Sessions, *l.Session)
		}
	case l.Endpoint != nil:
		st.rec.App.Endpoints = withEndpoint(st.rec.App.Endpoints, *l.Endpoint)
	case l.File != nil:
		if e := st.file(l.File.SHA256); e != nil {
			*e = *l.File
		} else {
			st.rec.Files = append(st.rec.Files, *l.File)
		}
	case l.Started != nil && !st.done[l.Started.ID]:
		st.putCall(*l.Started)
	case l.Completed != nil:
		st.putCall(*l.Completed)
		st.done[l.Completed.ID] = true
	}
}

// withEndpoint returns eps with e in fn_index order, in place of the one
// of the same fn_index if there is one.
func withEndpoint(eps []Endpoint, e Endpoint) []Endpoint {
	i, found := slices.BinarySearchFunc(eps, e.FnIndex, func(x Endpoint, fn int) int { return cmp.Compare(x.FnIndex, fn) })
	if found {
		eps[i] = e
		return eps
	}
	return slices.Insert(eps, i, e)
}

func (st *journalState) putCall(c Call) {
	if i := slices.IndexFunc(st.rec.Calls, func(e Call) bool { return e.ID == c.ID }); i >= 0 {
		st.rec.Calls[i] = c
	} else {
		st.rec.Calls = append(st.rec.Calls, c)
	}
}

// file returns the entry with this hash, or nil.
func (st *journalState) file(sha string) *File {
	if st.rec == nil {
		return nil
	}
	for i := range st.rec.Files {
		if st.rec.Files[i].SHA256 == sha {
			return &st.rec.Files[i]
		}
	}
	return nil
}

// recording returns a deep copy of the state as a Recording: calls by ID,
// those that did not end marked Incomplete; its fixtures in dir; journal the
// journal Save removes once the document holds it ("" for none).
func (st *journalState) recording(dir, journal string) (*Recording, error) {
	data, err := json.Marshal(st.rec)
	if err != nil {
		return nil, err
	}
	var rec Recording
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	for i := range rec.Calls {
		if !st.done[rec.Calls[i].ID] {
			rec.Calls[i].Status = Incomplete
		}
	}
	slices.SortStableFunc(rec.Calls, func(a, b Call) int { return cmp.Compare(a.ID, b.ID) })
	rec.dir, rec.journal = dir, journal
	return &rec, nil
}
