package gradiotest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetupMessages checks that scripts/setup names what is missing and how
// to get it, instead of failing with a trace.
func TestSetupMessages(t *testing.T) {
	bash, err := exec.LookPath("bash")
	Need(t, "bash", err)
	script := filepath.Join(Root(t), "scripts", "setup")
	for _, tc := range []struct {
		name string
		args []string
		env  []string
		code int
		want []string
	}{
		{
			name: "no python",
			env:  []string{"PYTHON=no-such-python3"},
			code: 1,
			want: []string{"no-such-python3 is not installed", "Install Python 3.10 or newer", "or set PYTHON"},
		},
		{
			name: "unpinned version",
			env:  []string{"GRADIO_VERSIONS=9.9.9"},
			code: 1,
			want: []string{"Gradio 9.9.9 is not pinned here", "Pinned versions: 6.31.0 5.49.1 4.44.1"},
		},
		{
			name: "bad argument",
			args: []string{"--frobnicate"},
			code: 2,
			want: []string{"unknown argument --frobnicate"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bash, append([]string{script}, tc.args...)...)
			cmd.Env = append(os.Environ(), tc.env...)
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(string(out), "line ") && strings.Contains(string(out), "error") {
				t.Errorf("output looks like a shell trace:\n%s", out)
			}
		})
	}
}
