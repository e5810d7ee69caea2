package extension

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The id Chromium gives the extension is derived from the public key in
// its manifest: the first 16 bytes of its SHA-256, as hex digits written
// a to p. The relay accepts that id only.
func TestPinnedID(t *testing.T) {
	data, err := files.ReadFile("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Key         string   `json:"key"`
		Permissions []string `json:"permissions"`
		Hosts       []string `json:"host_permissions"`
		Scripts     []any    `json:"content_scripts"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(m.Key)
	if err != nil {
		t.Fatalf("the manifest's key: %v", err)
	}
	sum := sha256.Sum256(der)
	id := strings.Map(func(r rune) rune {
		if r <= '9' {
			return 'a' + r - '0'
		}
		return 'a' + 10 + r - 'a'
	}, hex.EncodeToString(sum[:16]))
	if id != ID {
		t.Errorf("the manifest's key gives the id %s, the relay accepts %s", id, ID)
	}
	slices.Sort(m.Permissions)
	if !slices.Equal(m.Permissions, []string{"debugger", "sidePanel", "storage"}) || len(m.Hosts) != 0 || len(m.Scripts) != 0 {
		t.Errorf("permissions %q, host permissions %q, content scripts %d: want debugger, sidePanel and storage only", m.Permissions, m.Hosts, len(m.Scripts))
	}
}

// Unpack writes every file of the extension, and only those, readable by
// the user alone.
func TestUnpack(t *testing.T) {
	dir, err := Unpack(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			want = append(want, path)
		}
		return err
	})
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, _ := d.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", path, info.Mode().Perm())
		}
		rel, _ := filepath.Rel(dir, path)
		got = append(got, filepath.ToSlash(rel))
		return nil
	})
	if !slices.Equal(got, want) || !slices.Contains(got, "sw.js") || !slices.Contains(got, "lib/capture.js") {
		t.Errorf("unpacked %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		t.Error(err)
	}
}
