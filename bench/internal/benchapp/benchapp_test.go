package benchapp

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestStart starts the real echo app, checks that it serves, and that Stop
// ends its process group and removes its temporary folder.
func TestStart(t *testing.T) {
	py := gradiotest.Python(t, gradiotest.DefaultVersion)
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Python(root, gradiotest.DefaultVersion); err != nil || got != py {
		t.Errorf("Python(%q) = %q, %v; want %q", gradiotest.DefaultVersion, got, err, py)
	}
	if gotRoot, got, err := Locate("", gradiotest.DefaultVersion); err != nil || gotRoot != root || got != py {
		t.Errorf("Locate(\"\", %q) = %q, %q, %v; want %q, %q", gradiotest.DefaultVersion, gotRoot, got, err, root, py)
	}
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	a, err := Start(ctx, py, filepath.Join(root, "testdata", "apps", "echo.py"), QuietAnalytics)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Stop()
	if !strings.HasPrefix(a.URL, "http://127.0.0.1:") {
		t.Errorf("URL %q is not on the loopback address", a.URL)
	}
	resp, err := http.Get(a.URL + "/config")
	if err != nil {
		t.Fatalf("GET /config: %v\n%s", err, a.Log())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /config: %s", resp.Status)
	}

	pgid := a.cmd.Process.Pid
	a.Stop()
	a.Stop() // a second Stop does nothing
	if err := syscall.Kill(-pgid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("the app's process group %d is still there after Stop (%v)", pgid, err)
	}
	if _, err := os.Stat(a.tmp); !os.IsNotExist(err) {
		t.Errorf("the app's temporary folder %s is still there after Stop (%v)", a.tmp, err)
	}
}

// TestStartFails checks that an app that exits before serving is an error
// that carries its output.
func TestStartFails(t *testing.T) {
	py := gradiotest.Python(t, gradiotest.DefaultVersion)
	script := filepath.Join(t.TempDir(), "broken.py")
	if err := os.WriteFile(script, []byte("raise SystemExit('no app here')\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := Start(ctx, py, script, nil)
	if err == nil {
		a.Stop()
		t.Fatal("Start of a script that exits succeeded")
	}
	if !strings.Contains(err.Error(), "exited before serving") || !strings.Contains(err.Error(), "no app here") {
		t.Errorf("error %q does not say that the app exited, with its output", err)
	}
}

func TestPythonMissing(t *testing.T) {
	_, err := Python(t.TempDir(), "0.0.0")
	if err == nil || !strings.Contains(err.Error(), "make setup") {
		t.Errorf("Python of a missing virtualenv: %v, want an error that says to run make setup", err)
	}
}

func TestTail(t *testing.T) {
	tl := NewTail(5)
	tl.Write([]byte("abc"))
	if got := tl.String(); got != "abc" {
		t.Errorf("String() = %q, want %q", got, "abc")
	}
	tl.Write([]byte("defg"))
	if got := tl.String(); got != "…\ncdefg" {
		t.Errorf("String() = %q, want %q", got, "…\ncdefg")
	}
}

func TestMachine(t *testing.T) {
	if m := Machine(); !strings.Contains(m, "nproc") {
		t.Errorf("Machine() = %q, want the CPU count", m)
	}
	if LoadAverage() == "" {
		t.Error("LoadAverage() is empty")
	}
}

func TestQuantile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := Quantile(ds, tc.q); got != tc.want {
			t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if ds[0] != 100*time.Millisecond {
		t.Error("Quantile sorted its input")
	}
	if got := Quantile(nil, 0.5); got != 0 {
		t.Errorf("Quantile(nil) = %v, want 0", got)
	}
}

func TestFormatRatio(t *testing.T) {
	for x, want := range map[float64]string{1.234: "1.23x", 0.5: "0.50x", 12.34: "12.3x"} {
		if got := FormatRatio(x); got != want {
			t.Errorf("FormatRatio(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestPrintTargets(t *testing.T) {
	var b strings.Builder
	PrintTargets(&b, []Target{
		{Name: "fast", Verdict: Verdict(true), Detail: "1.00x"},
		{Name: "small", Verdict: Verdict(false), Detail: "2 MiB"},
		{Name: "other", Verdict: "n/a", Detail: "not run"},
	})
	want := "\ntargets (reported, not asserted):\n" +
		"  PASS  fast: 1.00x\n" +
		"  FAIL  small: 2 MiB\n" +
		"  n/a   other: not run\n" +
		"\nThe machine is shared and noisy: compare the ratios, not the absolute times, and only within one run.\n"
	if got := b.String(); got != want {
		t.Errorf("PrintTargets wrote\n%q\nwant\n%q", got, want)
	}
}
