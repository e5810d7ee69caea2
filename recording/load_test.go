package recording

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadGolden(t *testing.T) {
	rec, err := Load("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 2 || rec.Calls[0].APIName != "/paint" || rec.App.Endpoints[0].Parameters[1].Name != "image" {
		t.Errorf("loaded %+v", rec)
	}
	if err := rec.CheckFiles(); err != nil {
		t.Error(err)
	}
	b, err := rec.FileBytes(rec.Files[0].Name)
	if err != nil || string(b) != "\x89PNG fake cat" {
		t.Errorf("FileBytes = %q, %v", b, err)
	}
}

func TestLoadErrors(t *testing.T) {
	valid, err := os.ReadFile("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		content string // "" : no file
		is      error  // errors.Is target, or nil
		want    string // in the message
	}{
		{name: "missing", is: fs.ErrNotExist, want: "no such file"},
		{name: "empty", content: "", want: "not JSON: unexpected end of JSON input at line 1, column 1"},
		{name: "syntax", content: "{\n  \"format\": \"gradiorec.recording/v1\",\n  \"tool\": nope\n}", want: "not JSON: invalid character 'o' in literal null (expecting 'u') at line 3, column 12"},
		{name: "array", content: `[1, 2]`, is: ErrNotRecording, want: "not a recording: the file is a JSON array, not an object"},
		{name: "null", content: `null`, is: ErrNotRecording, want: "JSON null"},
		{name: "no format", content: `{"calls": []}`, is: ErrNotRecording, want: `no "format" member`},
		{name: "format not a string", content: `{"format": 1}`, is: ErrNotRecording, want: `"format" is not a string`},
		{name: "journal", content: `{"journal":"gradiorec.journal/v1","recording":{}}`, is: ErrNotRecording, want: "it is a journal; pass the document's path to Recover"},
		{name: "other format", content: `{"format": "har/1.2"}`, is: ErrNotRecording, want: `format "har/1.2" is not a gradiorec recording`},
		{name: "future", content: `{"format": "gradiorec.recording/v7", "new": true}`, is: ErrUnknownVersion,
			want: `format "gradiorec.recording/v7" is newer than this gradiorec reads (gradiorec.recording/v1): upgrade gradiorec`},
		{name: "garbled version", content: `{"format": "gradiorec.recording/vNext"}`, is: ErrUnknownVersion, want: `unknown format "gradiorec.recording/vNext"`},
		{name: "unknown field", content: strings.Replace(string(valid), `"tool":`, `"tol": "x", "tool":`, 1), want: `unknown field "tol"`},
		{name: "wrong type", content: strings.Replace(string(valid), `"duration": 1.25`, `"duration": "slow"`, 1),
			want: `calls.duration: cannot use a JSON string as float64`},
		{name: "trailing data", content: string(valid) + "{}", want: "not JSON: invalid character '{' after top-level value"},
		{name: "invalid", content: strings.Replace(string(valid), `"session": "s2"`, `"session": "s9"`, 1),
			want: `invalid recording: call 2: session "s9" is not in sessions`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.json")
			if tc.name != "missing" {
				writeFile(t, path, tc.content)
			}
			rec, err := Load(path)
			if err == nil {
				t.Fatalf("Load = %+v, want an error", rec)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "load recording") || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the operation and the path", err)
			}
		})
	}
}

func TestLoadSyntaxErrorPosition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	writeFile(t, path, "{\n  \"tool\": \"héllo\",\n  \"x\": ]\n}")
	_, err := Load(path)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Load = %v, want a *SyntaxError", err)
	}
	if se.Line != 3 || se.Column != 8 {
		t.Errorf("position = %d:%d, want 3:8", se.Line, se.Column)
	}
}

func TestLoadWrongTypePosition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	writeFile(t, path, "{\n  \"format\": \"gradiorec.recording/v1\",\n  \"tool\": 5\n}")
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "line 3, column 11: tool: cannot use a JSON number as string") {
		t.Errorf("Load = %v", err)
	}
}

func TestLoadOfAnInterruptedRecording(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	j, err := CreateJournal(path, &Recording{Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	_, err = Load(path)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Load = %v, want ErrInterrupted", err)
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Error("ErrInterrupted also reads as not-exist; callers would start afresh and lose the journal")
	}
	if !strings.Contains(err.Error(), JournalPath(path)) || !strings.Contains(err.Error(), "Recover") {
		t.Errorf("error %q does not point at the journal and Recover", err)
	}
}

func TestLoadDoesNotNeedFixtures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	if err := Save(path, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(FilesDir(path)); err != nil {
		t.Fatal(err)
	}
	rec, err := Load(path)
	if err != nil {
		t.Fatalf("Load without fixtures = %v", err)
	}
	name := rec.Files[0].Name
	_, err = rec.FileBytes(name)
	if !errors.Is(err, ErrMissingFixture) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), FilesDir(path)) {
		t.Errorf("FileBytes = %v, want ErrMissingFixture naming %s and %s", err, name, FilesDir(path))
	}
}

// FuzzLoad: Load never panics, and whatever it accepts saves, and loads
// back to the same document.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"testdata/full.json", "testdata/v0.json", "testdata/minimal.json"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format":"gradiorec.recording/v1","created":"2026-01-01T00:00:00Z","tool":"","app":{"url":"","root":"","api_prefix":"","gradio_version":"","protocol":"","endpoints":[]},"sessions":[],"calls":[]}`))
	f.Add([]byte(`{"format":"gradiorec.recording/v2"}`))
	f.Add([]byte(`{"format":"gradiorec.recording/v1","calls":[{"id":1,"inputs":[{"name":"password","value":"x"}]}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "r.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rec, err := Load(path)
		if err != nil {
			return
		}
		saved := filepath.Join(dir, "saved.json")
		if err := Save(saved, rec); err != nil {
			return // e.g. a stored fixture whose bytes are not there
		}
		again, err := Load(saved)
		if err != nil {
			t.Fatalf("a saved recording does not load: %v", err)
		}
		once, _ := os.ReadFile(saved)
		if err := Save(saved, again); err != nil {
			t.Fatalf("saving a loaded recording again: %v", err)
		}
		twice, _ := os.ReadFile(saved)
		if string(once) != string(twice) {
			t.Fatalf("Load+Save is not a fixed point:\n%s\n%s", once, twice)
		}
	})
}

// A file larger than MaxSize is refused before it is read (a sparse file
// here: its size is all that matters).
func TestLoadTooBig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Load(path)
	if !errors.Is(err, errTooBig) || !strings.Contains(err.Error(), path+": larger than 2 GiB") {
		t.Errorf("Load of a %d-byte file: %v, want errTooBig naming it", int64(MaxSize)+1, err)
	}
}
