package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/har"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
)

// TestOpenHAR: a HAR opens like a recording (here from the command line),
// as a new recording to save; Save asks where and writes it.
func TestOpenHAR(t *testing.T) {
	path := "../testdata/har/calculator-4.44.1-playwright.har"
	a, _, d := testApp(t, Options{Open: path})
	st := a.Session.State()
	if st.Mode != Loaded || st.Path != "" || st.Saved || st.Calls != 1 || st.Fault != nil {
		t.Fatalf("state after opening %s = %+v", path, st)
	}
	d.save = filepath.Join(t.TempDir(), "calc.json")
	if st, err := a.Files.Save(); err != nil || st.Path != d.save || !st.Saved {
		t.Fatalf("Save = %+v, %v", st, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.har")
	os.WriteFile(bad, []byte(`{"log": {"entries": [`), 0o644)
	if st, _ := a.Files.Load(bad); st.Fault == nil {
		t.Errorf("a cut HAR opened: %+v", st)
	}
}

// TestExportHAR writes the open recording as a HAR where the dialog says;
// importing it gives the same calls.
func TestExportHAR(t *testing.T) {
	path := "../testdata/recordings/" + gradiotest.DefaultVersion + "/files.json"
	a, _, d := testApp(t, Options{Open: path})
	d.save = filepath.Join(t.TempDir(), "files.har")
	got, err := a.Files.ExportHAR()
	if err != nil || got != d.save {
		t.Fatalf("ExportHAR = %q, %v; want %s", got, err, d.save)
	}
	if last := d.asked[len(d.asked)-1]; !strings.HasPrefix(last, "har ") || !strings.HasSuffix(last, ".har") {
		t.Errorf("the dialog was asked %v", d.asked)
	}
	h, _, err := har.Open(got, 0)
	if err != nil {
		t.Fatal(err)
	}
	im, err := recorder.ImportHAR(t.Context(), h, recorder.HAROptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := a.Session.Recording()
	var want bytes.Buffer
	json.Compact(&want, rec.Calls[1].Outputs[0])
	if len(im.Recording.Calls) != len(rec.Calls) || string(im.Recording.Calls[1].Outputs[0]) != want.String() {
		t.Errorf("imported %d calls, want %d like the recording:\n%s\n%s", len(im.Recording.Calls), len(rec.Calls), im.Recording.Calls[1].Outputs[0], rec.Calls[1].Outputs[0])
	}
}

// TestDrop: of the files dropped on the window, the first recording or HAR
// opens; a drop of neither says what it takes.
func TestDrop(t *testing.T) {
	a, _, _ := testApp(t, Options{})
	st, err := a.Files.Drop([]string{"/tmp/notes.txt", "../testdata/har/calculator-4.44.1-playwright.har"})
	if err != nil || st.Mode != Loaded || st.Calls != 1 {
		t.Fatalf("Drop = %+v, %v", st, err)
	}
	st, _ = a.Files.Drop([]string{"/tmp/notes.txt"})
	if st.Fault == nil || !strings.Contains(st.Fault.Detail, "not a recording (.json) or a HAR file") {
		t.Errorf("a drop of a text file: %+v", st.Fault)
	}
}
