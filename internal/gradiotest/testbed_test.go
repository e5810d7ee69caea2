package gradiotest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

// apps lists the apps of testdata/apps by name.
func apps(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(Root(t), "testdata", "apps", "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".py")
		if !strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	if len(names) < 9 {
		t.Fatalf("testdata/apps has %d apps, want at least 9: %v", len(names), names)
	}
	return names
}

// check runs the test-bed driver, which calls every endpoint of the app with
// the real gradio_client of the same virtualenv and checks the outputs.
func check(t *testing.T, app *App) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	driver := filepath.Join(Root(t), "testdata", "drivers", "testbed.py")
	cmd := exec.CommandContext(ctx, Python(t, app.Version), driver, app.Name, app.URL)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "HF_HUB_OFFLINE=1", "GRADIO_ANALYTICS_ENABLED=False")
	if err := cmd.Run(); err != nil {
		t.Fatalf("driver for %s on Gradio %s: %v\n%s", app.Name, app.Version, err, out.String())
	}
	if !strings.HasPrefix(out.String(), "ok "+app.Name+" ") {
		t.Fatalf("driver for %s on Gradio %s printed %q, want a line starting %q", app.Name, app.Version, out.String(), "ok "+app.Name)
	}
}

// TestTestbed proves the test bed: every app starts on every version under
// test and answers the real gradio_client as expected.
func TestTestbed(t *testing.T) {
	for _, v := range Versions() {
		for _, name := range apps(t) {
			t.Run(v+"/"+name, func(t *testing.T) {
				t.Parallel()
				check(t, Start(t, name, Version(v)))
			})
		}
	}
}

// TestMounted checks an app mounted under a path of a bigger web app.
func TestMounted(t *testing.T) {
	for _, v := range Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			app := Start(t, "calculator", Version(v), Env("GRADIOREC_MOUNT_PATH", "/sub/app"))
			if !strings.HasSuffix(app.URL, "/sub/app") {
				t.Fatalf("URL %s lacks the mount path", app.URL)
			}
			check(t, app)
		})
	}
}

func TestVersions(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want string
	}{
		{"", DefaultVersion},
		{"all", strings.Join(AllVersions, " ")},
		{"6.31.0, 4.44.1", "6.31.0 4.44.1"},
		{"5.49.1 4.44.1", "5.49.1 4.44.1"},
	} {
		t.Setenv("GRADIO_VERSIONS", tc.env)
		if got := strings.Join(Versions(), " "); got != tc.want {
			t.Errorf("GRADIO_VERSIONS=%q: Versions() = %q, want %q", tc.env, got, tc.want)
		}
	}
}
