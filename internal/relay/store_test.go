//go:build unix

package relay_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/relay"
)

// testStore checks the behaviour every Store shares.
func testStore(t *testing.T, s relay.Store) {
	t.Helper()
	secret := bytes.Repeat([]byte{7}, 32)
	paired := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	if _, ok := s.Secret("install-0123456789a"); ok {
		t.Error("an empty store has a secret")
	}
	for _, id := range []string{"install-0123456789a", "install-0123456789b"} {
		if err := s.Put(relay.Pairing{Install: id, Browser: "Chromium " + id, Secret: secret, Paired: paired}); err != nil {
			t.Fatal(err)
		}
	}
	secret[0] = 8 // the store kept its own copy
	got, ok := s.Secret("install-0123456789a")
	if !ok || !bytes.Equal(got, bytes.Repeat([]byte{7}, 32)) {
		t.Errorf("Secret = %x, %v", got, ok)
	}
	got[1] = 9
	if again, _ := s.Secret("install-0123456789a"); again[1] != 7 {
		t.Error("Secret returned the store's own slice")
	}
	// Pairing again replaces.
	if err := s.Put(relay.Pairing{Install: "install-0123456789a", Browser: "Firefox", Secret: bytes.Repeat([]byte{1}, 32), Paired: paired.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Install != "install-0123456789b" || list[1].Browser != "Firefox" || !list[1].Paired.Equal(paired.Add(time.Hour)) {
		t.Errorf("List() = %+v", list)
	}
	for _, p := range list {
		if p.Secret != nil {
			t.Errorf("List() carries the secret of %s", p.Install)
		}
	}
	if err := s.Revoke("install-0123456789b"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Secret("install-0123456789b"); ok {
		t.Error("a revoked install has a secret")
	}
	if err := s.Revoke("install-never-paired-00"); err != nil {
		t.Errorf("revoking an unknown install: %v", err)
	}
}

func TestMemoryStore(t *testing.T) { testStore(t, relay.MemoryStore()) }

// A Pairing's JSON never holds its secret.
func TestPairingJSON(t *testing.T) {
	data, _ := json.Marshal(relay.Pairing{Install: "i", Secret: []byte("the secret")})
	if bytes.Contains(data, []byte("secret")) || bytes.Contains(data, []byte("dGhlIHNlY3JldA")) {
		t.Errorf("Pairing JSON: %s", data)
	}
}

func TestFileStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config", "gradiorec")
	path := filepath.Join(dir, "paired.json")
	s, err := relay.FileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, s)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the file: %v, %v; want mode 0600", fi.Mode(), err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("the folder's mode %v, want 0700", di.Mode())
	}
	// The secret is persisted: another FileStore reads it.
	again, err := relay.FileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := again.Secret("install-0123456789a"); !ok || !bytes.Equal(got, bytes.Repeat([]byte{1}, 32)) {
		t.Errorf("reopened: Secret = %x, %v", got, ok)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %v, want paired.json only", entries)
	}
}

// Two stores on one file, in one process or two, lose no pairing.
func TestFileStoreConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "paired.json")
	a, _ := relay.FileStore(path)
	b, _ := relay.FileStore(path)
	var wg sync.WaitGroup
	for i := range 20 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			if err := s.Put(relay.Pairing{Install: "install-0123456789-" + string(rune('a'+i)), Secret: []byte{1}}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if list, err := a.List(); err != nil || len(list) != 20 {
		t.Errorf("after 20 concurrent Puts List has %d, %v", len(list), err)
	}
}

// The folder is made private when the user owns it.
func TestFileStoreTightensFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gradiorec")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	if _, err := relay.FileStore(filepath.Join(dir, "paired.json")); err != nil {
		t.Fatal(err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("the folder's mode %v, want 0700", di.Mode())
	}
}

// Files gradiorec must not trust are refused with what to do, and are
// left alone.
func TestFileStoreRefuses(t *testing.T) {
	good := `{"version":1,"pairings":[]}`
	cases := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"symlink", func(t *testing.T, path string) {
			target := filepath.Join(filepath.Dir(path), "elsewhere.json")
			os.WriteFile(target, []byte(good), 0o600)
			os.Symlink(target, path)
		}, "symbolic link"},
		{"dangling symlink", func(t *testing.T, path string) {
			os.Symlink(filepath.Join(filepath.Dir(path), "nowhere.json"), path)
		}, "symbolic link"},
		{"readable by others", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(good), 0o644)
			os.Chmod(path, 0o644)
		}, "chmod 600 " + "PATH"},
		{"writable by the group", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(good), 0o620)
			os.Chmod(path, 0o620)
		}, "chmod 600"},
		{"too large", func(t *testing.T, path string) {
			os.WriteFile(path, append([]byte(good), bytes.Repeat([]byte(" "), 1<<20)...), 0o600)
		}, "larger than 1 MiB"},
		{"not JSON", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("paired: yes"), 0o600)
		}, "rm PATH"},
		{"newer version", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(`{"version":2}`), 0o600)
		}, "update gradiorec"},
		{"no secret", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(`{"version":1,"pairings":[{"install":"install-0123456789a"}]}`), 0o600)
		}, "rm PATH"},
		{"folder", func(t *testing.T, path string) {
			os.Mkdir(path, 0o700)
		}, "not a regular file"},
		{"FIFO", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "paired.json")
			c.make(t, path)
			want := strings.ReplaceAll(c.want, "PATH", path)
			if _, err := relay.FileStore(path); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("FileStore: %v, want an error holding %q", err, want)
			}
		})
	}

	// A store whose file turns into a symlink writes nothing through it.
	dir := t.TempDir()
	path := filepath.Join(dir, "paired.json")
	s, err := relay.FileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("untouched"), 0o600)
	os.Symlink(target, path)
	if err := s.Put(relay.Pairing{Install: "install-0123456789a", Secret: []byte{1}}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Put through a symlink: %v", err)
	}
	if _, ok := s.Secret("install-0123456789a"); ok {
		t.Error("Secret read through a symlink")
	}
	if data, _ := os.ReadFile(target); string(data) != "untouched" {
		t.Errorf("the symlink's target was changed: %q", data)
	}
}

func TestDefaultStorePath(t *testing.T) {
	t.Setenv("HOME", "/home/someone")
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	if got := relay.DefaultStorePath(); got != "/xdg/gradiorec/paired.json" {
		t.Errorf("with XDG_CONFIG_HOME: %s", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative")
	if got := relay.DefaultStorePath(); got != "/home/someone/.config/gradiorec/paired.json" {
		t.Errorf("with a relative XDG_CONFIG_HOME: %s", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	if got := relay.DefaultStorePath(); got != "/home/someone/.config/gradiorec/paired.json" {
		t.Errorf("without XDG_CONFIG_HOME: %s", got)
	}
}
