package gradio

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileOutputDownload(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect(WithHeader("X-Test", "yes"))
	res, err := c.Predict(testCtx(t), "/file", FileBytes("in.txt", []byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	fd := res.Value().(*FileData)
	if fd.Size != 5 || fd.MimeType != "text/plain" || fd.URL == "" {
		t.Errorf("FileData %+v", fd)
	}
	var buf bytes.Buffer
	if n, err := fd.CopyTo(testCtx(t), &buf); err != nil || n != int64(buf.Len()) {
		t.Fatal(n, err)
	}
	if buf.String() != "file:/tmp/gradio/abc/in.txt" {
		t.Errorf("content %q, want it fetched from <api>/file=<path>", buf.String())
	}
	a.mu.Lock()
	h := a.headers[len(a.headers)-1]
	a.mu.Unlock()
	if h.Get("X-Test") != "yes" {
		t.Errorf("download without the client's headers: %v", h)
	}
	dir := t.TempDir()
	p, err := fd.Download(testCtx(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); p != filepath.Join(dir, "in.txt") || string(b) != "file:/tmp/gradio/abc/in.txt" {
		t.Errorf("Download wrote %s: %q", p, b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftover files in %s: %v", dir, entries)
	}
	// An output file can be passed back as an input unchanged.
	if _, err := c.Predict(testCtx(t), "/file", fd); err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	back := a.joins[len(a.joins)-1].Data[0].(map[string]any)
	a.mu.Unlock()
	if back["path"] != fd.Path || back["meta"].(map[string]any)["_type"] != "gradio.FileData" {
		t.Errorf("passed back %v", back)
	}
}

func TestFileDownloadErrors(t *testing.T) {
	a := newFakeApp(t)
	a.handle("/gradio_api/file=/gone", http.NotFound)
	c := a.connect()
	fd := &FileData{Path: "/gone", c: c}
	if _, err := fd.Download(testCtx(t), t.TempDir()); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("err = %v", err)
	}
	if _, err := (&FileData{Path: "/x"}).Open(testCtx(t)); err == nil {
		t.Error("Open without client succeeded")
	}
}

func TestDownloadURL(t *testing.T) {
	c := &Client{root: "http://h/app", api: "http://h/app/gradio_api"}
	for _, tc := range []struct {
		f    FileData
		want string
	}{
		{FileData{Path: "/tmp/a b.txt", URL: "http://elsewhere/x"}, "http://h/app/gradio_api/file=/tmp/a%20b.txt"},
		{FileData{Path: "https://cdn/x.png"}, "https://cdn/x.png"},
		{FileData{Path: "/s", URL: "/gradio_api/stream/abc/playlist.m3u8", IsStream: true}, "http://h/app/gradio_api/stream/abc/playlist.m3u8"},
	} {
		tc.f.c = c
		if got, err := tc.f.downloadURL(); err != nil || got != tc.want {
			t.Errorf("downloadURL(%+v) = %q, %v; want %q", tc.f, got, err, tc.want)
		}
	}
}
