package backend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A recording's file is named after the tab's host, which the browser
// reports and a page controls: the name stays a plain name in Dir, and
// never takes an existing file's place.
func TestNewPath(t *testing.T) {
	dir := t.TempDir()
	b := New(Config{Dir: dir})
	for _, tab := range []string{
		"https://owner-space.hf.space/?x=1",
		"http://127.0.0.1:7860/",
		"http://../../etc/passwd",
		"http://evil\x1b[2J.example/",
		"http://" + strings.Repeat("a", 300) + ".example/",
		"not a url",
		"",
		"file:///etc/passwd",
	} {
		path, err := b.newPath(tab)
		if err != nil {
			t.Fatalf("%q: %v", tab, err)
		}
		name := filepath.Base(path)
		if filepath.Dir(path) != dir || len(name) > 100 || strings.ContainsAny(name, "/\\\x1b ") || strings.HasPrefix(name, ".") {
			t.Errorf("%q: path %q", tab, path)
		}
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Two recordings of one host in one second get two names, before
	// either has written its journal.
	first, _ := b.newPath("http://same.example/")
	second, _ := b.newPath("http://same.example/")
	if first == second {
		t.Errorf("the second recording got the first one's name %s", first)
	}
}
