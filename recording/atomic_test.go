package recording

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.json")
	write := func(s string) error {
		return writeAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
	}
	if err := write("first"); err != nil {
		t.Fatal(err)
	}
	if err := write("second"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := writeAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half of the thi")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("writeAtomic = %v, want the fill error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "second" {
		t.Errorf("after a failed write the file holds %q, want the last whole version", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only doc.json", names)
	}
}

func TestWriteAtomicInAMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "doc.json")
	err := writeAtomic(path, func(io.Writer) error { return nil })
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("writeAtomic = %v, want not-exist", err)
	}
}

func TestCreateTempNames(t *testing.T) {
	dir := t.TempDir()
	a, err := createTemp(dir, ".x.tmp-")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := createTemp(dir, ".x.tmp-")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if a.Name() == b.Name() || !strings.HasPrefix(filepath.Base(a.Name()), ".x.tmp-") {
		t.Errorf("temporary names %s, %s", a.Name(), b.Name())
	}
}
