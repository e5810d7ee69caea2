// Package gradiotest starts the real Gradio apps of testdata/apps for tests.
//
// Every app runs in the project-local virtualenv of a pinned Gradio version
// (.venv/gradio-<version>, made by scripts/setup) on a free loopback port. One
// process per app, version and environment is shared by the whole test binary
// and stopped, with its process group, when the tests end. A package that
// starts apps wires this in its TestMain:
//
//	func TestMain(m *testing.M) { gradiotest.Main(m) }
//
// Tests that need a prerequisite (Python, Node, Chromium) skip with a clear
// message on a laptop that lacks it, and fail when the CI environment variable
// is set.
package gradiotest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// DefaultVersion is the Gradio version tests run against unless
// GRADIO_VERSIONS says otherwise.
const DefaultVersion = "6.31.0"

// AllVersions lists every pinned Gradio version, newest first: the default and
// the versions of the compatibility suite.
var AllVersions = []string{"6.31.0", "5.49.1", "4.44.1"}

// Versions returns the Gradio versions a test should cover: the versions named
// in GRADIO_VERSIONS (separated by spaces or commas; "all" means AllVersions),
// or the default version alone.
func Versions() []string {
	v := strings.TrimSpace(os.Getenv("GRADIO_VERSIONS"))
	if v == "" {
		return []string{DefaultVersion}
	}
	if v == "all" {
		return AllVersions
	}
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}

// InCI reports whether the tests run in CI, where a missing prerequisite is a
// failure rather than a reason to skip.
func InCI() bool { return os.Getenv("CI") != "" }

// Need stops the test when a prerequisite is missing (err is non-nil): it
// fails in CI and skips elsewhere, naming what is missing and how to get it.
func Need(t testing.TB, prerequisite string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s is missing (%v); run `make setup` (scripts/setup) to install it", prerequisite, err)
	if InCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

var root = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
})

// Root returns the repository's root folder (the one holding go.mod).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := root()
	if err != nil {
		t.Fatalf("find repository root: %v", err)
	}
	return dir
}

// Python returns the interpreter of the virtualenv for a Gradio version.
func Python(t testing.TB, version string) string {
	t.Helper()
	py := filepath.Join(Root(t), ".venv", "gradio-"+version, "bin", "python")
	_, err := os.Stat(py)
	Need(t, "the Gradio "+version+" virtualenv", err)
	return py
}

// Black returns the command that runs black, the Python formatter pinned in
// the default version's virtualenv, for checking generated Python.
func Black(t testing.TB) []string {
	t.Helper()
	py := Python(t, DefaultVersion)
	err := exec.Command(py, "-m", "black", "--version").Run()
	Need(t, "black (in the Gradio "+DefaultVersion+" virtualenv)", err)
	return []string{py, "-m", "black"}
}
