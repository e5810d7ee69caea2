//go:build unix

package relay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A pairings file that another user owns is refused, with what to do.
func TestFileOfAnotherUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "paired.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"pairings":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := checkPrivate(f, path, os.Getuid()); err != nil {
		t.Fatalf("the user's own file: %v", err)
	}
	err = checkPrivate(f, path, os.Getuid()+1)
	if err == nil || !strings.Contains(err.Error(), "belongs to user") || !strings.Contains(err.Error(), "rm "+path) {
		t.Errorf("another user's file: %v", err)
	}
}
