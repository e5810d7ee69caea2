package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// header returns what the sample knows before its first call: app (but
// the endpoints a gr.render function makes later), tool, start time; and
// its masks (a recorder has none, but whatever the header holds must
// survive).
func header() *Recording {
	rec := sampleRecording()
	rec.App.Endpoints = slices.DeleteFunc(rec.App.Endpoints, func(e Endpoint) bool { return e.Rendered })
	return &Recording{Created: rec.Created, Tool: rec.Tool, App: rec.App, Masks: rec.Masks}
}

// journalSample journals the sample recording the way a recorder would,
// stopping after `ended` calls have ended; the rest are left in flight. It
// returns the journal, open.
func journalSample(t testing.TB, path string, ended int, opts ...Option) *Journal {
	t.Helper()
	rec := sampleRecording()
	j, err := CreateJournal(path, header(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rec.Sessions {
		if err := j.AddSession(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range rec.App.Endpoints {
		if e.Rendered {
			if err := j.AddEndpoint(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range rec.Files {
		got, err := j.AddFile(rec.held[f.SHA256], f.OrigName, f.MIMEType, f.Role)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != f.Name {
			t.Fatalf("journal named %s, AddFile %s", got.Name, f.Name)
		}
	}
	for _, c := range rec.Calls {
		started := c
		started.Status, started.Outputs, started.Updates, started.Log, started.Progress, started.Error = "", nil, nil, nil, nil, nil
		if err := j.Start(started); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range rec.Calls[:ended] {
		if err := j.Append(c); err != nil {
			t.Fatal(err)
		}
	}
	return j
}

func TestJournalSaveWritesTheDocument(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.json")
	j := journalSample(t, path, 2)
	rec, err := j.Save()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Error("the journal is still there after Save")
	}
	got, _ := os.ReadFile(path)
	want, _ := os.ReadFile("testdata/full.json")
	if !bytes.Equal(got, want) {
		t.Errorf("journal.Save wrote a different document than Save of the same recording:\n%s", got)
	}
	if err := rec.CheckFiles(); err != nil {
		t.Error(err)
	}
	if err := j.Start(Call{ID: 9}); !errors.Is(err, ErrJournalClosed) {
		t.Errorf("Start after Save = %v, want ErrJournalClosed", err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("Close after Save = %v", err)
	}
}

func TestJournalLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j := journalSample(t, path, 1)
	defer j.Close()
	data, err := os.ReadFile(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		kind, _, _ := strings.Cut(strings.TrimPrefix(line, `{"`), `"`)
		kinds = append(kinds, kind)
	}
	want := "journal session session endpoint file file started started completed"
	if strings.Join(kinds, " ") != want {
		t.Errorf("journal lines are %v, want %s", kinds, want)
	}
	for _, f := range sampleRecording().Files {
		if _, err := os.Stat(filepath.Join(FilesDir(path), filepath.FromSlash(f.Name))); err != nil {
			t.Errorf("fixture not written as it arrived: %v", err)
		}
	}
}

func TestCreateJournalRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j := journalSample(t, path, 1)
	j.Close()
	before, _ := os.ReadFile(JournalPath(path))
	_, err := CreateJournal(path, header())
	if !errors.Is(err, ErrJournalExists) || !strings.Contains(err.Error(), JournalPath(path)) {
		t.Fatalf("CreateJournal over a journal = %v, want ErrJournalExists naming it", err)
	}
	after, _ := os.ReadFile(JournalPath(path))
	if !bytes.Equal(before, after) {
		t.Error("the old journal changed")
	}
}

func TestJournalAddFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j, err := CreateJournal(path, header(), MaxOutputSize(10), Redact("s3cret-pw"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	big := bytes.Repeat([]byte("z"), 11)
	out, err := j.AddFile(big, "big.bin", "", RoleOutput)
	if err != nil || out.Stored {
		t.Fatalf("big output = %+v, %v; want not stored", out, err)
	}
	if _, err := os.Stat(filepath.Join(FilesDir(path), filepath.FromSlash(out.Name))); !errors.Is(err, os.ErrNotExist) {
		t.Error("the big output's bytes were written")
	}
	again, err := j.AddFile(big, "other.bin", "", RoleOutput)
	if err != nil || again != out {
		t.Errorf("same bytes again = %+v, %v; want the first entry %+v", again, err, out)
	}
	in, err := j.AddFile(big, "upload.bin", "", RoleInput)
	if err != nil || !in.Stored || in.Role != RoleInput || in.Name != out.Name {
		t.Errorf("same bytes as an input = %+v, %v; want the entry, stored, as an input", in, err)
	}
	secret, err := j.AddFile([]byte("pw=s3cret-pw"), "s3cret-pw.txt", "", RoleInput)
	if err != nil || secret.Stored || strings.Contains(secret.Name+secret.OrigName, "s3cret") {
		t.Errorf("a file holding a secret = %+v, %v", secret, err)
	}
	rec, err := j.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Files) != 2 {
		t.Errorf("snapshot files = %+v", rec.Files)
	}
	if b, err := rec.FileBytes(in.Name); err != nil || !bytes.Equal(b, big) {
		t.Errorf("FileBytes = %q, %v", b, err)
	}
}

func TestJournalRedactLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j := journalSample(t, path, 0)
	defer j.Close()
	j.Redact("typed-later")
	c := sampleRecording().Calls[1]
	c.Error.Message = "bad password typed-later"
	if err := j.Append(c); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(JournalPath(path))
	if bytes.Contains(data, []byte("typed-later")) {
		t.Error("a secret added with Redact reached the journal")
	}
}

func TestJournalRejectsCallsWithoutID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j, err := CreateJournal(path, header())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Append(Call{}); err == nil || !strings.Contains(err.Error(), "journal call 0: call id 0 is not positive") {
		t.Errorf("Append(no id) = %v", err)
	}
}

func TestJournalIsSafeForConcurrentUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	h := header()
	h.Masks = nil
	j, err := CreateJournal(path, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.AddSession(Session{ID: "s1", Hash: "h"}); err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Go(func() {
			c := Call{ID: i, Session: "s1", FnIndex: 0, Via: ViaQueue, Inputs: []Arg{}, Data: nil}
			if err := j.Start(c); err != nil {
				t.Error(err)
			}
			if _, err := j.AddFile([]byte(fmt.Sprint("file ", i%5)), "f.txt", "text/plain", RoleOutput); err != nil {
				t.Error(err)
			}
			if i%4 != 0 {
				c.Status = Completed
				if err := j.Append(c); err != nil {
					t.Error(err)
				}
			}
			if _, err := j.Snapshot(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	j.Close()
	rec, err := Recover(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != n || len(rec.Files) != 5 {
		t.Fatalf("recovered %d calls, %d files; want %d, 5", len(rec.Calls), len(rec.Files), n)
	}
	for i, c := range rec.Calls {
		want := Completed
		if c.ID%4 == 0 {
			want = Incomplete
		}
		if c.ID != i+1 || c.Status != want {
			t.Errorf("call %d: id %d status %q, want %q", i+1, c.ID, c.Status, want)
		}
	}
	if err := rec.Validate(); err != nil {
		t.Error(err)
	}
}

func TestJournalWriteFailureDoesNotTearTheJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j := journalSample(t, path, 1)
	// Swap in a handle that can neither write nor truncate: the journal
	// must stop rather than risk a torn line in the middle.
	ro, err := os.Open(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	good := j.f
	j.f = ro
	defer ro.Close()
	c := sampleRecording().Calls[1]
	if err := j.Append(c); err == nil {
		t.Fatal("Append through a read-only handle succeeded")
	}
	j.f = good
	if err := j.Append(c); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Append after a failed write and truncate = %v, want the journal reported damaged", err)
	}
	// What was journaled whole can still be saved.
	rec, err := j.Save()
	if err != nil {
		t.Fatalf("Save of a damaged journal = %v", err)
	}
	if len(rec.Calls) != 2 || rec.Calls[0].Status != Completed || rec.Calls[1].Status != Incomplete {
		t.Errorf("saved calls %+v", rec.Calls)
	}
}

func TestJournalSaveFailureKeepsTheJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j := journalSample(t, path, 2)
	if err := j.Append(Call{ID: 3, Session: "s7", Via: ViaQueue, Status: Completed}); err != nil {
		t.Fatal(err)
	}
	_, err := j.Save()
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), `call 3: session "s7" is not in sessions`) {
		t.Fatalf("Save = %v, want the validation error", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("an invalid recording was written")
	}
	rec, err := Recover(path)
	if err != nil || len(rec.Calls) != 3 {
		t.Fatalf("Recover after a failed Save = %v, %v", rec, err)
	}
	// Mend it by hand, and save: the journal goes.
	rec.Sessions = append(rec.Sessions, Session{ID: "s7", Hash: "h7"})
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Error("the journal is still there")
	}
}

func TestCreateJournalWritesTheHeadersFixtures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	h := header()
	f := h.AddFile([]byte("known before the first call"), "intro.txt", "text/plain", RoleInput)
	j, err := CreateJournal(path, h)
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	rec, err := Recover(path)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := rec.FileBytes(f.Name); err != nil || string(b) != "known before the first call" {
		t.Errorf("header fixture = %q, %v", b, err)
	}
}

func TestCreateJournalErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := CreateJournal(filepath.Join(dir, "no", "such", "session.json"), header()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("CreateJournal in a missing folder = %v", err)
	}
	bad := header()
	bad.Calls = []Call{{ID: 1, Inputs: []Arg{{Name: "x", Value: raw(`{`)}}}}
	path := filepath.Join(dir, "session.json")
	if _, err := CreateJournal(path, bad); err == nil {
		t.Error("CreateJournal with an invalid raw value succeeded")
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed CreateJournal left its journal behind")
	}
}

func TestJournalAddFileHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	j := journalSample(t, path, 2)
	big := newFile([]byte("streamed, too big to keep"), "huge.mp4", "video/mp4", RoleOutput)
	f, err := j.AddFileHash(big.SHA256, big.Size, "huge.mp4", "video/mp4", RoleOutput)
	if err != nil || f.Stored || f.Name != big.Name {
		t.Fatalf("AddFileHash = %+v, %v", f, err)
	}
	if again, err := j.AddFileHash(big.SHA256, big.Size, "huge.mp4", "video/mp4", RoleOutput); err != nil || again != f {
		t.Errorf("again = %+v, %v", again, err)
	}
	c := sampleRecording().Calls[1]
	c.ID = 3
	c.Outputs = []json.RawMessage{fileData(f, "")}
	if err := j.Append(c); err != nil {
		t.Fatal(err)
	}
	rec, err := j.Save()
	if err != nil {
		t.Fatalf("Save with a fixture known by hash only: %v", err)
	}
	if e := rec.File(f.Name); e == nil || e.Stored {
		t.Errorf("saved entry = %+v", e)
	}
	if _, err := os.Stat(filepath.Join(FilesDir(path), f.SHA256)); !errors.Is(err, os.ErrNotExist) {
		t.Error("a folder was made for bytes never stored")
	}
}
