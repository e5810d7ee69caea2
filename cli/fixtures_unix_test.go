//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// spoilers are the ways a files folder can lie about a fixture file, each
// with what the error says.
var spoilers = []struct {
	name  string
	spoil func(t *testing.T, file string)
	want  string
}{
	{"link to /dev/zero", func(t *testing.T, file string) {
		relink(t, file, "/dev/zero")
	}, "is a symbolic link"},
	{"link to a copy", func(t *testing.T, file string) {
		copied := filepath.Join(t.TempDir(), "copy")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(copied, data, 0o644); err != nil {
			t.Fatal(err)
		}
		relink(t, file, copied)
	}, "is a symbolic link"},
	{"linked <sha256> folder", func(t *testing.T, file string) {
		sub := filepath.Dir(file)
		moved := filepath.Join(t.TempDir(), filepath.Base(sub))
		if err := os.Rename(sub, moved); err != nil {
			t.Fatal(err)
		}
		relink(t, sub, moved)
	}, "is a symbolic link"},
	{"changed bytes", func(t *testing.T, file string) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, bytes.Repeat([]byte("x"), len(data)), 0o644); err != nil {
			t.Fatal(err)
		}
	}, "its sha256 is"},
	{"grown larger", func(t *testing.T, file string) {
		f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(make([]byte, 1<<20))
		f.Close()
	}, "the recording lists"},
}

// relink replaces name by a symbolic link to target.
func relink(t *testing.T, name, target string) {
	t.Helper()
	if err := os.RemoveAll(name); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// fixtureFile is the file of the fixture name of the recording at path.
func fixtureFile(path, name string) string {
	return filepath.Join(recording.FilesDir(path), filepath.FromSlash(name))
}

// TestGenerateHostileFixtures: generate -o copies a fixture only from a
// regular file with the recorded size and hash, and writes nothing
// otherwise.
func TestGenerateHostileFixtures(t *testing.T) {
	const sample = "aa597c4ea0eec6af895cdf671f68b863ac012d7245288bed0fb05e87713b3d8f/sample.txt"
	for _, sp := range spoilers {
		t.Run(sp.name, func(t *testing.T) {
			path := filesRecording(t)
			sp.spoil(t, fixtureFile(path, sample))
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, errs := run("generate", "--lang", "python", "-o", out, path)
			for _, want := range []string{sp.want, sample, recording.FilesDir(path), "copy the recording's files folder again"} {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr does not say %q: %s", want, errs)
				}
			}
			if code != ExitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q", code, stdout)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("a refused fixture left %v in %s", entries, out)
			}
		})
	}
}

// TestReplayHostileFixtures: replay reads an input fixture only from a
// regular file, at most its recorded size, with its recorded hash; anything
// else is a bad recording (exit 2) before any call. The image matcher reads
// a recorded output image the same way.
func TestReplayHostileFixtures(t *testing.T) {
	app := gradiotest.Start(t, "files")
	const pattern = "8726d7fc6b250b84cdad955cd730ffbc6d75f715da7501b9138f557b3dc5eae6/pattern.png"
	if code, out, errs := run("replay", "--url", app.URL, goldenCopy(t, "files")); code != replay.ExitPass {
		t.Fatalf("the files intact: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, sp := range spoilers {
		t.Run(sp.name, func(t *testing.T) {
			path := goldenCopy(t, "files")
			sp.spoil(t, fixtureFile(path, pattern))
			code, out, errs := run("replay", "--url", app.URL, path)
			for _, want := range []string{sp.want, pattern, recording.FilesDir(path)} {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr does not say %q: %s", want, errs)
				}
			}
			if code != replay.ExitBadInput || strings.Contains(out, "PASS") {
				t.Errorf("exit %d, want %d\nstdout:\n%s", code, replay.ExitBadInput, out)
			}
		})
	}

	// The recorded output image, compared by pixels, is a link to /dev/zero.
	const mirrored = "3092d2509d7aaea9098f0698de27d383c94246e6df4b26a7710b0b61cf15aa98/mirrored.png"
	path := goldenCopy(t, "files")
	relink(t, fixtureFile(path, mirrored), "/dev/zero")
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(rules, []byte("rules:\n  - endpoint: /mirror\n    match: image\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("replay", "--all", "--url", app.URL, "--rules", rules, path)
	if code == replay.ExitPass || !strings.Contains(out, "is a symbolic link") || !strings.Contains(out, mirrored) {
		t.Errorf("an image matched against a link: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}
