package app

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestFacesApart checks that the command-line tool and the desktop app share
// packages but never import each other.
func TestFacesApart(t *testing.T) {
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	const module = "github.com/gradiorec/gradiorec/"
	for face, other := range map[string]string{"app": "cli", "cli": "app"} {
		out, err := exec.Command(goCmd, "list", "-deps", "-test", module+face).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", face, err)
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, module+"recording") {
			t.Fatalf("go list -deps %s lists no recording package: %q", face, deps)
		}
		if slices.Contains(deps, module+other) {
			t.Errorf("%s imports %s (directly or not): the faces share packages, never each other", face, other)
		}
	}
}
