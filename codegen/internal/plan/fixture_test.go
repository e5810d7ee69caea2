package plan

import (
	"fmt"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"cat.png": "cat.png", "../../etc/passwd": ".._.._etc_passwd", "..": "file", "": "file",
		"a\x00b\nc": "a_b_c", `x:"y"?.txt`: "x__y__.txt", "-rf": "_rf", "日本 語.txt": "日本 語.txt", "trail.": "trail",
		"a;b,c.png": "a;b,c.png",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFixturePaths: fixtures are at fixtures/<name>; a second file of that
// name (in any case) goes into a folder named by its hash, and a name that
// is a folder taken, or takes one, does too.
func TestFixturePaths(t *testing.T) {
	b := builder{p: &Plan{}, files: map[string]*recording.File{
		"a/cat.png": {SHA256: "aaaaaaaaaaaaaaaa", OrigName: "cat.png"},
		"b/Cat.PNG": {SHA256: "bbbbbbbbbbbbbbbb", OrigName: "Cat.PNG"},
		"c/cat.png": {SHA256: "cccccccccccccccc", OrigName: "cat.png"},
		"d/x":       {SHA256: "dddddddddddddddd", OrigName: "cccccccccccc"},
	}, fixtures: map[string]string{}, used: map[string]bool{}}
	var got []string
	for _, name := range []string{"a/cat.png", "b/Cat.PNG", "c/cat.png", "a/cat.png", "d/x"} {
		got = append(got, b.fixture(name, ""))
	}
	want := []string{"fixtures/cat.png", "fixtures/bbbbbbbbbbbb/Cat.PNG", "fixtures/cccccccccccc/cat.png", "fixtures/cat.png", "fixtures/dddddddddddd/cccccccccccc"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paths\n%v\nwant\n%v", got, want)
	}
}
