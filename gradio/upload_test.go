package gradio

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestFileInputsUploadedInOneRequest(t *testing.T) {
	a := newFakeApp(t)
	a.fns[4] = func(ev *fakeEvent) { ev.complete(ev.join.Data[0]) }
	c := a.connect()
	dir := t.TempDir()
	p := filepath.Join(dir, "hello.txt")
	os.WriteFile(p, []byte("hello"), 0o644)
	f := File(p)
	arg := []any{f, FileBytes("dir/raw.png", []byte{1, 2}), map[string]any{"nested": f}, FileURL("https://example.com/a/cat.jpg?x=1")}
	res, err := c.Predict(testCtx(t), "/file", arg)
	if err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	ups := a.uploads
	sent := a.joins[0].Data[0]
	a.mu.Unlock()
	if len(ups) != 1 || len(ups[0]) != 2 {
		t.Fatalf("uploads %+v, want one request with 2 files (the same FileInput once)", ups)
	}
	if u := ups[0][0]; u.Field != "files" || u.Name != "hello.txt" || string(u.Data) != "hello" || !strings.HasPrefix(u.ContentType, "text/plain") {
		t.Errorf("first part %+v", u)
	}
	if u := ups[0][1]; u.Name != "raw.png" || !bytes.Equal(u.Data, []byte{1, 2}) || u.ContentType != "image/png" {
		t.Errorf("second part %+v", u)
	}
	meta := map[string]any{"_type": "gradio.FileData"}
	want := []any{
		map[string]any{"path": "/tmp/gradio/abc/hello.txt", "orig_name": "hello.txt", "meta": meta},
		map[string]any{"path": "/tmp/gradio/abc/raw.png", "orig_name": "raw.png", "meta": meta},
		map[string]any{"nested": map[string]any{"path": "/tmp/gradio/abc/hello.txt", "orig_name": "hello.txt", "meta": meta}},
		map[string]any{"path": "https://example.com/a/cat.jpg?x=1", "url": "https://example.com/a/cat.jpg?x=1", "orig_name": "cat.jpg", "meta": meta},
	}
	if !reflect.DeepEqual(sent, want) {
		t.Errorf("sent %v\nwant %v", sent, want)
	}
	// The echoed FileData objects come back as *FileData, at any depth.
	out := res.Value().([]any)
	if fd, ok := out[0].(*FileData); !ok || fd.Path != "/tmp/gradio/abc/hello.txt" || fd.OrigName != "hello.txt" {
		t.Errorf("output 0: %#v", out[0])
	}
	if fd, ok := out[2].(map[string]any)["nested"].(*FileData); !ok || fd.Name() != "hello.txt" {
		t.Errorf("nested output: %#v", out[2])
	}
}

func TestFileTooLarge(t *testing.T) {
	a := newFakeApp(t)
	a.config["max_file_size"] = 4
	c := a.connect()
	_, err := c.Predict(testCtx(t), "/file", FileBytes("big.bin", []byte("12345")))
	if !errors.Is(err, ErrFileTooLarge) || !strings.Contains(err.Error(), "max_file_size of 4 bytes") {
		t.Errorf("err = %v", err)
	}
	a.config["max_file_size"] = nil
	a.handle("/gradio_api/upload", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		io.WriteString(w, `{"detail":"File too large"}`)
	})
	c2 := a.connect()
	if _, err := c2.Predict(testCtx(t), "/file", FileBytes("big.bin", []byte("12345"))); !errors.Is(err, ErrFileTooLarge) {
		t.Errorf("413: %v", err)
	}
}

func TestFileMissing(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	_, err := c.Predict(testCtx(t), "/file", File(filepath.Join(t.TempDir(), "nope.txt")))
	if err == nil || !strings.Contains(err.Error(), "nope.txt") {
		t.Errorf("err = %v", err)
	}
}
