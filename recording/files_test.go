package recording

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilesDir(t *testing.T) {
	for in, want := range map[string]string{
		"session.json":          "session.files",
		"/a/b/session.json":     "/a/b/session.files",
		"session":               "session.files",
		"my.session.v2.json":    "my.session.v2.files",
		filepath.Join("d", "x"): filepath.Join("d", "x.files"),
	} {
		if got := FilesDir(in); got != want {
			t.Errorf("FilesDir(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeName(t *testing.T) {
	long := strings.Repeat("é", 80) + ".png"
	for in, want := range map[string]string{
		"cat.png":              "cat.png",
		"my photo (1).jpg":     "my photo (1).jpg",
		"../../etc/passwd":     "passwd",
		`C:\Users\me\cat.png`:  "cat.png",
		"dir/":                 "file",
		"":                     "file",
		"..":                   "file",
		".bashrc":              "bashrc",
		"a<b>c:d\"e|f?g*h.txt": "a_b_c_d_e_f_g_h.txt",
		"tab\there\x00.txt":    "tab_here_.txt",
		"trailing. ":           "trailing",
		"naïve-日本.txt":         "naïve-日本.txt",
		"bad\xffutf8.txt":      "bad_utf8.txt",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
	got := safeName(long)
	if len(got) > maxNameBytes || !strings.HasSuffix(got, ".png") || !strings.HasPrefix(got, "éé") {
		t.Errorf("safeName(long) = %q (%d bytes)", got, len(got))
	}
	for _, in := range []string{"cat.png", long, "a<b>.txt", ".x"} {
		if once := safeName(in); safeName(once) != once {
			t.Errorf("safeName is not idempotent on %q", in)
		}
	}
}

func TestCheckFixtureName(t *testing.T) {
	h := strings.Repeat("0f", 32)
	for _, ok := range []string{h + "/cat.png", h + "/_redacted_.txt", h + "/a b"} {
		if err := checkFixtureName(ok); err != nil {
			t.Errorf("checkFixtureName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "cat.png", h, h + "/", h + "/..", h + "/a/b", h + `/a\b`, strings.ToUpper(h) + "/x", h[:62] + "/x", "../" + h + "/x"} {
		if err := checkFixtureName(bad); err == nil {
			t.Errorf("checkFixtureName(%q) = nil, want an error", bad)
		}
	}
}

func TestAddFile(t *testing.T) {
	var rec Recording
	out := rec.AddFile([]byte("same"), "a.txt", "text/plain", RoleOutput)
	if out.SHA256 != "0967115f2813a3541eaef77de9d9d5773f1c0c04314b0bbfe4ff3b3b1c55b5d5" ||
		out.Name != out.SHA256+"/a.txt" || out.Size != 4 || !out.Stored || out.Role != RoleOutput || out.MIMEType != "text/plain" {
		t.Errorf("AddFile = %+v", out)
	}
	in := rec.AddFile([]byte("same"), "b.txt", "", RoleInput)
	if in.Name != out.Name || in.Role != RoleInput || len(rec.Files) != 1 {
		t.Errorf("the same bytes again = %+v (files %d); want the first entry, now an input", in, len(rec.Files))
	}
	other := rec.AddFile(nil, "../empty", "", RoleInput)
	if other.Name != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/empty" || other.OrigName != "../empty" || len(rec.Files) != 2 {
		t.Errorf("AddFile(empty) = %+v", other)
	}
	if b, err := rec.FileBytes(out.Name); err != nil || string(b) != "same" {
		t.Errorf("FileBytes before Save = %q, %v", b, err)
	}
}

func TestFileBytesErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	rec := sampleRecording()
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	in, out := rec.Files[0], rec.Files[1]

	if _, err := rec.FileBytes("nope"); !errors.Is(err, ErrUnknownFixture) {
		t.Errorf("unknown name: %v", err)
	}
	rec.Files[1].Stored = false
	if _, err := rec.FileBytes(out.Name); !errors.Is(err, ErrNotStored) {
		t.Errorf("not stored: %v", err)
	}
	if _, err := rec.OpenFile(out.Name); !errors.Is(err, ErrNotStored) {
		t.Errorf("OpenFile not stored: %v", err)
	}
	rec.Files[1].Stored = true

	file := filepath.Join(FilesDir(path), filepath.FromSlash(in.Name))
	if err := os.WriteFile(file, []byte("tampered bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.FileBytes(in.Name); !errors.Is(err, ErrCorruptFixture) {
		t.Errorf("tampered: %v", err)
	}
	if _, err := rec.OpenFile(in.Name); !errors.Is(err, ErrCorruptFixture) {
		t.Errorf("OpenFile tampered (other size): %v", err)
	}
	os.Remove(file)
	_, err := rec.FileBytes(in.Name)
	if !errors.Is(err, ErrMissingFixture) || !strings.Contains(err.Error(), in.Name) || !strings.Contains(err.Error(), FilesDir(path)) {
		t.Errorf("missing: %v", err)
	}
	if _, err := rec.OpenFile(in.Name); !errors.Is(err, ErrMissingFixture) {
		t.Errorf("OpenFile missing: %v", err)
	}
	err = rec.CheckFiles()
	if !errors.Is(err, ErrMissingFixture) || strings.Contains(err.Error(), out.Name) {
		t.Errorf("CheckFiles = %v, want only the missing input", err)
	}

	var fresh Recording
	fresh.Files = []File{out}
	if _, err := fresh.FileBytes(out.Name); !errors.Is(err, ErrMissingFixture) || !strings.Contains(err.Error(), "never saved") {
		t.Errorf("a recording with no folder: %v", err)
	}
	evil := File{Name: "../../etc/passwd", Stored: true}
	fresh.Files = []File{evil}
	fresh.dir = FilesDir(path)
	if _, err := fresh.FileBytes(evil.Name); err == nil || !strings.Contains(err.Error(), "not <sha256 hex>/<name>") {
		t.Errorf("a name that escapes the folder: %v", err)
	}
}

func TestOpenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	rec := sampleRecording()
	name := rec.Files[1].Name
	for _, when := range []string{"held", "saved"} {
		rc, err := rec.OpenFile(name)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(b, []byte("RIFF fake webp")) {
			t.Errorf("%s: read %q", when, b)
		}
		if err := Save(path, rec); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAddFileHash(t *testing.T) {
	var rec Recording
	data := []byte("a big output")
	byBytes := newFile(data, "out.bin", "", RoleOutput)
	f := rec.AddFileHash(byBytes.SHA256, byBytes.Size, "out.bin", "application/octet-stream", RoleOutput)
	if f.Stored || f.Name != byBytes.Name || f.Size != 12 || f.MIMEType != "application/octet-stream" {
		t.Errorf("AddFileHash = %+v, want %s, not stored", f, byBytes.Name)
	}
	if _, err := rec.FileBytes(f.Name); !errors.Is(err, ErrNotStored) {
		t.Errorf("FileBytes = %v, want ErrNotStored", err)
	}
	if again := rec.AddFileHash(f.SHA256, f.Size, "x.bin", "", RoleInput); again.Name != f.Name || again.Role != RoleInput || len(rec.Files) != 1 {
		t.Errorf("the same hash again = %+v", again)
	}
	// The bytes turn up after all: the entry becomes stored.
	if stored := rec.AddFile(data, "other.bin", "", RoleOutput); !stored.Stored || stored.Name != f.Name || len(rec.Files) != 1 {
		t.Errorf("AddFile of the same bytes = %+v", stored)
	}
	if b, err := rec.FileBytes(f.Name); err != nil || !bytes.Equal(b, data) {
		t.Errorf("FileBytes = %q, %v", b, err)
	}
}
