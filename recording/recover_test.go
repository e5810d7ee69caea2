package recording

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRecoverAfterACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j := journalSample(t, path, 1)
	// No Close, no Save: the process "dies" here. Everything written so far
	// was synced, so what is on disk is what a kill -9 leaves.
	defer j.Close()
	rec, err := Recover(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 2 || rec.Calls[0].Status != Completed || rec.Calls[1].Status != Incomplete {
		t.Fatalf("recovered calls %+v", rec.Calls)
	}
	if len(rec.Calls[0].Outputs) != 1 || len(rec.Calls[1].Inputs) != 0 || rec.Calls[1].Error != nil {
		t.Errorf("recovered the wrong versions of the calls: %+v", rec.Calls)
	}
	if len(rec.Sessions) != 2 || len(rec.Files) != 2 || rec.App.Endpoints[0].APIName != "/paint" {
		t.Errorf("recovered %+v", rec)
	}
	if want := sampleRecording().App.Endpoints; !reflect.DeepEqual(rec.App.Endpoints, want) {
		t.Errorf("recovered endpoints\n%+v\nwant (the rendered one from its own line)\n%+v", rec.App.Endpoints, want)
	}
	if err := rec.CheckFiles(); err != nil {
		t.Error(err)
	}
	if err := rec.Validate(); err != nil {
		t.Error(err)
	}

	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Error("Save of the recovered recording left the journal")
	}
	loaded, err := Load(path)
	if err != nil || loaded.Calls[1].Status != Incomplete {
		t.Errorf("Load after recovery = %v", err)
	}
}

func TestRecoverErrors(t *testing.T) {
	good := func(t *testing.T) []byte {
		path := filepath.Join(t.TempDir(), "session.json")
		journalSample(t, path, 2).Close()
		b, err := os.ReadFile(JournalPath(path))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name    string
		journal func(good []byte) []byte // nil: no journal
		is      error
		want    string
	}{
		{name: "none", is: fs.ErrNotExist, want: "no such file"},
		{name: "empty", journal: func([]byte) []byte { return nil }, is: ErrCorruptJournal, want: "no header line"},
		{name: "no header", journal: func(g []byte) []byte { return g[bytes.IndexByte(g, '\n')+1:] },
			is: ErrCorruptJournal, want: "line 1: corrupt journal: the first line is not a header"},
		{name: "corrupt middle line", journal: func(g []byte) []byte {
			lines := bytes.Split(g, []byte("\n"))
			lines[2] = []byte(`{"session":`)
			return bytes.Join(lines, []byte("\n"))
		}, is: ErrCorruptJournal, want: "line 3: corrupt journal: not JSON"},
		{name: "two parts", journal: func(g []byte) []byte {
			return append(g, []byte("{\"session\":{\"id\":\"s3\",\"hash\":\"x\"},\"file\":{\"sha256\":\"x\"}}\n{\"session\":{\"id\":\"s4\",\"hash\":\"y\"}}\n")...)
		}, is: ErrCorruptJournal, want: "exactly one part, this one has 2"},
		{name: "unknown member", journal: func(g []byte) []byte {
			return append(g, []byte("{\"paused\":{}}\n{\"session\":{\"id\":\"s4\",\"hash\":\"y\"}}\n")...)
		}, is: ErrCorruptJournal, want: `unknown field "paused"`},
		{name: "newer journal", journal: func(g []byte) []byte {
			return bytes.Replace(g, []byte("gradiorec.journal/v1"), []byte("gradiorec.journal/v2"), 1)
		}, is: ErrUnknownVersion, want: `format "gradiorec.journal/v2" is newer`},
		{name: "newer recording in the journal", journal: func(g []byte) []byte {
			return bytes.Replace(g, []byte(Format), []byte("gradiorec.recording/v2"), 1)
		}, is: ErrUnknownVersion, want: `format "gradiorec.recording/v2" is newer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "session.json")
			if tc.journal != nil {
				writeFile(t, JournalPath(path), string(tc.journal(good(t))))
			}
			rec, err := Recover(path)
			if err == nil {
				t.Fatalf("Recover = %+v, want an error", rec)
			}
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Recover = %q, want %v with %q", err, tc.is, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "recover recording") {
				t.Errorf("error %q does not name the operation", err)
			}
		})
	}
}

// TestRecoverTornJournal cuts a journal near every line end and at a stride
// in between: recovery keeps every whole line before the cut and ignores the
// torn one.
func TestRecoverTornJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	journalSample(t, path, 2).Close()
	full, err := os.ReadFile(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	headerEnd := bytes.IndexByte(full, '\n') + 1
	for cut := headerEnd; cut <= len(full); cut++ {
		next := bytes.IndexByte(full[cut:], '\n')
		prev := cut - 1 - bytes.LastIndexByte(full[:cut], '\n')
		if cut%29 != 0 && (next < 0 || next > 4) && prev > 4 {
			continue
		}
		st, err := readJournal(full[:cut])
		if err != nil {
			t.Fatalf("cut at %d of %d: %v", cut, len(full), err)
		}
		whole := bytes.Count(full[:cut], []byte("\n"))
		if tail := full[bytes.LastIndexByte(full[:cut], '\n')+1 : cut]; len(tail) > 0 {
			if _, err := parseLine(tail); err == nil {
				whole++ // only the newline was lost
			}
		}
		rendered := 0
		for _, e := range st.rec.App.Endpoints {
			if e.Rendered {
				rendered++
			}
		}
		if got := len(st.rec.Sessions) + rendered + len(st.rec.Files) + applied(st); got != whole-1 {
			t.Fatalf("cut at %d: recovered %d entries, want %d", cut, got, whole-1)
		}
	}
	// Zeros after the last line (what a file system can leave after a
	// crash) count as a torn line.
	if _, err := readJournal(append(bytes.Clone(full), 0, 0, 0, 0)); err != nil {
		t.Errorf("journal with a zero tail: %v", err)
	}
}

// applied counts the call lines a state has seen: started and completed.
func applied(st *journalState) int {
	n := 0
	for _, c := range st.rec.Calls {
		n++ // started
		if st.done[c.ID] {
			n++ // completed
		}
	}
	return n
}

// FuzzRecover: recovery never panics, whatever the journal holds; and a
// valid journal cut anywhere after its header recovers.
func FuzzRecover(f *testing.F) {
	path := filepath.Join(f.TempDir(), "session.json")
	journalSample(f, path, 1).Close()
	full, err := os.ReadFile(JournalPath(path))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full, uint16(len(full)))
	f.Add(full, uint16(len(full)-7))
	f.Add(full[:bytes.IndexByte(full, '\n')+1], uint16(3))
	f.Add([]byte("{\"journal\":\"gradiorec.journal/v1\",\"recording\":{\"format\":\"gradiorec.recording/v1\"}}\n{\"started\":{\"id\":1}}\n{\"comp"), uint16(0))
	f.Add([]byte("\n\n{}\n"), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		dir := t.TempDir()
		p := filepath.Join(dir, "r.json")
		if err := os.WriteFile(JournalPath(p), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if rec, err := Recover(p); err == nil {
			for _, c := range rec.Calls {
				if c.ID <= 0 {
					t.Fatalf("recovered a call with id %d", c.ID)
				}
			}
		}
		headerEnd := bytes.IndexByte(full, '\n') + 1
		n := headerEnd + int(cut)%(len(full)-headerEnd+1)
		if _, err := readJournal(full[:n]); err != nil {
			t.Fatalf("the journal cut at %d does not recover: %v", n, err)
		}
	})
}

func TestParseLine(t *testing.T) {
	for line, want := range map[string]string{
		`{"session":{"id":"s1","hash":"h"}}`:                            "",
		`{"started":{"id":3}}`:                                          "",
		`{"journal":"gradiorec.journal/v1","recording":{"format":"x"}}`: "",
		`{"session":{"id":"s1","hash":"h"}} {}`:                         "data after the entry",
		`{}`:                                                            "exactly one part, this one has 0",
		`{"journal":"gradiorec.journal/v1","session":{"id":"s1"}}`:      `"journal" and "recording" go together`,
		`{"recording":{}}`:                                              `"journal" and "recording" go together`,
		`{"completed":{"id":0}}`:                                        "call id 0 is not positive",
		`{"file":{"name":"x"}}`:                                         "file without sha256",
		`{"session":{"id":1}}`:                                          "cannot use a JSON number as string",
		`["session"]`:                                                   "cannot use a JSON array",
	} {
		_, err := parseLine([]byte(line))
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("parseLine(%s) = %v, want %q", line, err, want)
		}
	}
}
