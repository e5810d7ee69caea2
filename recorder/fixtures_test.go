package recorder

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

// multipartBody builds an upload body with one "files" part per file.
func multipartBody(t *testing.T, files map[string][]byte, order ...string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, name := range order {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, name))
		hdr.Set("Content-Type", "image/png")
		p, err := w.CreatePart(hdr)
		if err != nil {
			t.Fatal(err)
		}
		p.Write(files[name])
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestCaptureFiles(t *testing.T) {
	h := newHarness(t)
	png := []byte("\x89PNG\r\n\x1a\n\x00binary\r\n--not a boundary\xff")
	out := []byte("mirrored bytes")
	ct, body := multipartBody(t, map[string][]byte{"cat.png": png}, "cat.png")
	h.c.handle(requestSent{ID: "u", Time: h.tick(), Method: "POST", URL: api + "/upload?upload_id=x",
		Headers: map[string]string{"content-type": ct}, Body: body})
	if idle, _, _, _ := h.c.idle(); idle {
		t.Error("idle while an upload is running")
	}
	h.respond("u", 200, "application/json")
	h.finish("u", `["/tmp/gradio/abc/cat.png"]`)
	fd := `{"path":"/tmp/gradio/abc/cat.png","url":"http://app.test/gradio_api/file=/tmp/gradio/abc/cat.png","orig_name":"cat.png","size":37,"mime_type":"image/png","meta":{"_type":"gradio.FileData"}}`
	h.join("j", `{"data":[`+fd+`],"fn_index":4,"session_hash":"A"}`, "e")
	h.served["http://app.test/gradio_api/file=/tmp/out/mirrored.png"] = out
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_completed","event_id":"e","output":{"data":[{"path":"/tmp/out/mirrored.png","url":"http://app.test/gradio_api/file=/tmp/out/mirrored.png","size":null,"orig_name":"mirrored.png","mime_type":null,"is_stream":false,"meta":{"_type":"gradio.FileData"}}]},"success":true}`))
	waitIdle(t, h.c)

	in := fixtureName(png, "cat.png")
	outName := fixtureName(out, "mirrored.png")
	c := h.call(1)
	if !strings.Contains(string(c.Inputs[0].Value), `"fixture":"`+in+`"`) || !strings.Contains(string(c.Data[0]), `"fixture":"`+in+`"`) {
		t.Errorf("input not annotated: %s", js(c))
	}
	if !strings.Contains(string(c.Outputs[0]), `"fixture":"`+outName+`"`) {
		t.Errorf("output not annotated: %s", c.Outputs[0])
	}
	rec := h.rec()
	want := []recording.File{
		{Name: in, OrigName: "cat.png", MIMEType: "image/png", Size: int64(len(png)), SHA256: sum(png), Role: "input", Stored: true},
		{Name: outName, OrigName: "mirrored.png", MIMEType: "image/png", Size: int64(len(out)), SHA256: sum(out), Role: "output", Stored: true},
	}
	if !reflect.DeepEqual(rec.Files, want) {
		t.Errorf("files\n%s\nwant\n%s", js(rec.Files), js(want))
	}
	if b, _ := h.c.fixture(in); !bytes.Equal(b, png) {
		t.Errorf("input bytes %q", b)
	}
	if b, _ := h.c.fixture(outName); !bytes.Equal(b, out) {
		t.Errorf("output bytes %q", b)
	}
	if got := h.kinds(); got != "1:started 1:completed" {
		t.Errorf("events %s", got)
	}
}

func TestCaptureUploadWithoutBody(t *testing.T) {
	h := newHarness(t)
	png := []byte("fetched back")
	h.served["http://app.test/gradio_api/file=/tmp/gradio/abc/cat.png"] = png
	h.send("u", "POST", api+"/upload", "")
	h.respond("u", 200, "application/json")
	h.finish("u", `["/tmp/gradio/abc/cat.png"]`)
	h.join("j", `{"data":[{"path":"/tmp/gradio/abc/cat.png","orig_name":"cat.png","meta":{"_type":"gradio.FileData"}}],"fn_index":4,"session_hash":"A"}`, "e")
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_completed","event_id":"e","output":{"data":[null]},"success":true}`))
	waitIdle(t, h.c)
	c := h.call(1)
	if !strings.Contains(string(c.Inputs[0].Value), `"fixture":"`+fixtureName(png, "cat.png")+`"`) {
		t.Errorf("input not annotated: %s", js(c.Inputs))
	}
	if rec := h.rec(); len(rec.Files) != 1 || rec.Files[0].Role != "input" {
		t.Errorf("files %s", js(rec.Files))
	}
}

// TestCaptureBigOutputHashed: an output file above the size limit is
// listed by hash and size, not stored, and the call's FileData refers to
// it; with a journal, the recorder journals it with AddFileHash, so the
// saved recording lists it too.
func TestCaptureBigOutputHashed(t *testing.T) {
	h := newHarness(t)
	h.c.maxFileSize = 4
	big := []byte("0123456789")
	h.served["http://app.test/gradio_api/file=/o/big.bin"] = big
	h.join("j", `{"data":[null],"fn_index":4,"session_hash":"A"}`, "e")
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_completed","event_id":"e","output":{"data":[{"path":"/o/big.bin","url":null,"orig_name":"big.bin","meta":{"_type":"gradio.FileData"}}]},"success":true}`))
	waitIdle(t, h.c)

	name := sum(big) + "/big.bin"
	want := []recording.File{{Name: name, OrigName: "big.bin", MIMEType: "image/png", Size: int64(len(big)), SHA256: sum(big), Role: recording.RoleOutput}}
	if f := h.rec().Files; !reflect.DeepEqual(f, want) {
		t.Errorf("files\n%s\nwant\n%s", js(f), js(want))
	}
	if c := h.call(1); c.Status != recording.Completed || fixtureIn(c.Outputs[0]) != name {
		t.Errorf("call %s, want its output to refer to fixture %s", js(c), name)
	}
	if b, ok := h.c.fixture(name); ok {
		t.Errorf("the bytes of an output over the limit were kept: %q", b)
	}

	// The same notices, through a recorder with a journal.
	path := filepath.Join(t.TempDir(), "big.json")
	j, err := recording.CreateJournal(path, &recording.Recording{Tool: "gradiorec", App: h.rec().App})
	if err != nil {
		t.Fatal(err)
	}
	r := &Recorder{s: newSettings(nil), journal: j}
	h.mu.Lock()
	notices := slices.Clone(h.notices)
	h.mu.Unlock()
	for _, n := range notices {
		r.toJournal(n)
	}
	if r.journalErr != nil {
		t.Fatalf("journal: %v", r.journalErr)
	}
	saved, err := j.Save()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := recording.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for what, rec := range map[string]*recording.Recording{"saved": saved, "loaded": loaded} {
		if !reflect.DeepEqual(rec.Files, want) || len(rec.Calls) != 1 || fixtureIn(rec.Calls[0].Outputs[0]) != name {
			t.Errorf("%s from the journal: files %s, calls %s", what, js(rec.Files), js(rec.Calls))
		}
	}
	if _, err := loaded.FileBytes(name); !errors.Is(err, recording.ErrNotStored) {
		t.Errorf("FileBytes of the unstored output: %v, want ErrNotStored", err)
	}
	if _, err := os.Stat(recording.FilesDir(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a files folder was written for an unstored output: %v", err)
	}
}

func TestCaptureExampleFile(t *testing.T) {
	// An input file the page did not upload (a gr.Examples file already on
	// the server) is fetched back and stored as an input fixture.
	h := newHarness(t)
	png := []byte("example bytes")
	h.served["http://app.test/gradio_api/file=/cache/ex/cat.png"] = png
	h.join("j", `{"data":[{"path":"/cache/ex/cat.png","url":"http://app.test/gradio_api/file=/cache/ex/cat.png","orig_name":"cat.png","meta":{"_type":"gradio.FileData"}}],"fn_index":4,"session_hash":"A"}`, "e")
	h.openStream("d", "A")
	h.data("d", frame(`{"msg":"process_completed","event_id":"e","output":{"data":[null]},"success":true}`))
	waitIdle(t, h.c)
	name := fixtureName(png, "cat.png")
	if c := h.call(1); !strings.Contains(string(c.Inputs[0].Value), `"fixture":"`+name+`"`) {
		t.Errorf("input not annotated: %s", js(c.Inputs))
	}
	if f := h.rec().Files; len(f) != 1 || f[0].Role != recording.RoleInput || !f[0].Stored {
		t.Errorf("files %s", js(f))
	}
	if got := h.kinds(); got != "1:started 1:completed" {
		t.Errorf("events %s", got)
	}
}

// fixtureIn returns the fixture the first FileData in v refers to.
func fixtureIn(v json.RawMessage) string {
	for fd := range recording.FileDatas(v) {
		return fd.Fixture
	}
	return ""
}

// fixtureName is the name the recording package gives a fixture.
func fixtureName(data []byte, origName string) string {
	return (&recording.Recording{}).AddFile(data, origName, "", recording.RoleInput).Name
}
