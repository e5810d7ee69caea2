package benchapp

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestStart finds the repository and its Python, and starts the real echo
// app (gradioproc's tests cover the process itself).
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
	// The process itself is gradioproc's, tested there.
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	a, err := Start(ctx, py, filepath.Join(root, "testdata", "apps", "echo.py"), QuietAnalytics)
	if err != nil {
		t.Fatal(err)
	}
	a.Stop()
	if !a.Exited() {
		t.Error("the app runs after Stop")
	}
}

func TestPythonMissing(t *testing.T) {
	_, err := Python(t.TempDir(), "0.0.0")
	if err == nil || !strings.Contains(err.Error(), "make setup") {
		t.Errorf("Python of a missing virtualenv: %v, want an error that says to run make setup", err)
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
