package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/recording/recordingtest"
)

// tree returns the files under dir, relative, with their contents.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return files
}

// TestSaveGolden pins the document and fixture layout Save writes. Run
// `go test ./recording -update` to rewrite testdata/full.json and
// testdata/full.files/.
func TestSaveGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.json")
	if err := Save(path, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recordingtest.ValidateSchema(t, got)
	if *update {
		os.RemoveAll("testdata/full.files")
		if err := os.CopyFS("testdata/full.files", os.DirFS(FilesDir(path))); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/full.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Save wrote a different document than testdata/full.json (run with -update if intended):\n%s", got)
	}
	gotFiles, wantFiles := tree(t, FilesDir(path)), tree(t, "testdata/full.files")
	if len(gotFiles) != 2 || !mapsEqual(gotFiles, wantFiles) {
		t.Errorf("fixture folder = %v, want %v", gotFiles, wantFiles)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestSaveIsDeterministicAndLoadSaveIsAFixedPoint(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json"), filepath.Join(dir, "c.json")
	if err := Save(a, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	if err := Save(b, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	rec, err := Load(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(c, rec); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	dc, _ := os.ReadFile(c)
	if !bytes.Equal(da, db) || !bytes.Equal(da, dc) {
		t.Errorf("documents differ:\n%s\n%s\n%s", da, db, dc)
	}
	if !mapsEqual(tree(t, FilesDir(a)), tree(t, FilesDir(c))) {
		t.Error("saving a loaded recording elsewhere did not copy its fixtures")
	}
}

func TestSaveWritesReadableJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	if err := Save(path, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{"\n  \"format\": \"gradiorec.recording/v1\",\n", `"a <b>bold</b> cat"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("document lacks %q", want)
		}
	}
	if strings.Contains(string(data), `\u003c`) {
		t.Error("document escapes < as \\u003c")
	}
	if !strings.HasSuffix(string(data), "}\n") {
		t.Error("document does not end with a newline")
	}
}

func TestSaveSetsFormatAndFixtureFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	rec := sampleRecording()
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	if rec.Format != Format {
		t.Errorf("Format = %q", rec.Format)
	}
	f := rec.Files[0]
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "session.files", f.SHA256, "cat.png")); err != nil {
		t.Errorf("fixture not at session.files/<sha256>/cat.png: %v", err)
	}
	if b, err := rec.FileBytes(f.Name); err != nil || string(b) != "\x89PNG fake cat" {
		t.Errorf("FileBytes after Save = %q, %v", b, err)
	}
}

func TestSaveRefusesAnInvalidRecordingAndKeepsTheOldDocument(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	if err := Save(path, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	bad := sampleRecording()
	bad.Calls[0].Session = "nope"
	err := Save(path, bad)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Save(invalid) = %v, want a *ValidationError", err)
	}
	if !strings.HasPrefix(err.Error(), "save recording "+path+": ") {
		t.Errorf("error %q does not name the operation and path", err)
	}

	// A fixture whose bytes are nowhere fails before the document is touched.
	if err := os.RemoveAll(FilesDir(path)); err != nil {
		t.Fatal(err)
	}
	lost := sampleRecording()
	lost.held = nil
	if err := Save(path, lost); !errors.Is(err, ErrMissingFixture) {
		t.Fatalf("Save(fixture bytes lost) = %v, want ErrMissingFixture", err)
	}

	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a failed Save changed the document")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestSaveMaxOutputSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	rec := sampleRecording()
	big := rec.AddFile(bytes.Repeat([]byte("x"), 100), "big.bin", "application/octet-stream", RoleOutput)
	bigInput := rec.AddFile(bytes.Repeat([]byte("y"), 100), "big-in.bin", "", RoleInput)
	rec.Calls[0].Outputs = append(rec.Calls[0].Outputs, fileData(big, ""), fileData(bigInput, ""))
	if err := Save(path, rec, MaxOutputSize(50)); err != nil {
		t.Fatal(err)
	}
	if f := rec.File(big.Name); f.Stored {
		t.Error("an output above the limit is still Stored in memory")
	}
	if _, err := rec.FileBytes(big.Name); !errors.Is(err, ErrNotStored) {
		t.Errorf("FileBytes(big output) = %v, want ErrNotStored", err)
	}
	if _, err := rec.FileBytes(bigInput.Name); err != nil {
		t.Errorf("an input above the limit was not stored: %v", err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	f := loaded.File(big.Name)
	if f.Stored || f.Size != 100 || f.SHA256 != big.SHA256 {
		t.Errorf("saved entry = %+v, want not stored, size and hash kept", f)
	}
	if _, err := os.Stat(filepath.Join(FilesDir(path), filepath.FromSlash(big.Name))); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the big output's bytes were written")
	}
}

func TestSavePrunesFixturesNoLongerListed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	rec := sampleRecording()
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	keepMe := filepath.Join(FilesDir(path), "README")
	if err := os.WriteFile(keepMe, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := rec.Files[1]
	rec.Files = rec.Files[:1]
	rec.Calls[0].Outputs = []json.RawMessage{raw(`"text"`)}
	rec.Calls[0].Updates = nil
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(FilesDir(path), out.SHA256)); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the unlisted fixture's folder is still there")
	}
	if _, err := os.Stat(keepMe); err != nil {
		t.Error("Save removed a file that is not a fixture folder")
	}

	rec.Files = nil
	rec.Calls[0].Inputs = nil
	rec.Calls[0].Data = nil
	os.Remove(keepMe)
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(FilesDir(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the empty files folder is still there")
	}
}

func TestSaveLeavesAStrangersJournalAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(JournalPath(path), []byte("someone else's\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, sampleRecording()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); err != nil {
		t.Error("Save removed a journal the recording was not rebuilt from")
	}
}

func TestSaveMakesRequiredArraysEmptyNotNull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	rec := &Recording{
		Created:  t0,
		App:      App{URL: "http://x", Endpoints: []Endpoint{{FnIndex: 0, Visibility: Public}}},
		Sessions: []Session{{ID: "s1", Hash: "h"}},
		Calls: []Call{{ID: 1, Session: "s1", Via: ViaQueue, Status: Completed,
			Inputs:  []Arg{{Name: "x", Value: json.RawMessage{}}},
			Updates: [][]json.RawMessage{nil}}},
	}
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	recordingtest.ValidateSchema(t, data)
	for _, bad := range []string{`"inputs": null`, `"outputs": null`, `"data": null`, `"files"`, `"masks"`} {
		if strings.Contains(string(data), bad) {
			t.Errorf("document has %s", bad)
		}
	}
	if !strings.Contains(string(data), `"value": null`) {
		t.Error("an empty raw value was not written as null")
	}
}

func TestSaveDoesNotStoreFixtureBytesHoldingASecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	rec := sampleRecording()
	env := rec.AddFile([]byte("PASSWORD=hunter2-secret\n"), "env.txt", "text/plain", RoleOutput)
	rec.Calls[0].Outputs = append(rec.Calls[0].Outputs, fileData(env, ""))
	if err := Save(path, rec, Redact("hunter2-secret")); err != nil {
		t.Fatal(err)
	}
	if rec.File(env.Name).Stored {
		t.Error("a fixture holding a secret is Stored")
	}
	if slices.ContainsFunc(mapsValues(tree(t, FilesDir(path))), func(s string) bool { return strings.Contains(s, "hunter2") }) {
		t.Error("the secret reached the files folder")
	}
}

func mapsValues(m map[string]string) []string {
	var v []string
	for _, s := range m {
		v = append(v, s)
	}
	return v
}

func TestSaveRefusesADocumentNamedLikeItsFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.files")
	if err := Save(path, sampleRecording()); err == nil || !strings.Contains(err.Error(), `cannot be named "x.files"`) {
		t.Errorf("Save(x.files) = %v", err)
	}
	if _, err := CreateJournal(path, header()); err == nil || !strings.Contains(err.Error(), `cannot be named "x.files"`) {
		t.Errorf("CreateJournal(x.files) = %v", err)
	}
}
