// Package benchapp starts a Gradio app of testdata/apps for the benchmark
// harnesses under bench/ (go run ./bench/...), describes the machine they
// run on, and holds what their reports share (Quantile, FormatRatio,
// Target, PrintTargets). Tests use internal/gradiotest instead, which
// shares apps across a test binary; a harness owns its app for the whole
// run.
package benchapp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gradiorec/gradiorec/internal/gradioproc"
)

// StartTimeout bounds how long an app may take to serve: importing Gradio
// on a loaded two-core machine takes tens of seconds.
const StartTimeout = gradioproc.StartTimeout

// QuietAnalytics turns off what makes a Gradio 6 server slow down as a run
// goes on: after every event its queue recomputes a pandas summary of the
// last GRADIO_ANALYTICS_MAX_EVENTS events (10,000 by default), so each call
// costs the server more than the one before, until 10,000 calls. With
// Gradio 6.31 on a 2-core machine, a sequential echo call took 13 ms on a
// fresh server and 22 ms after some 5,000 calls; with these settings it took
// 5 ms and still did after 9,000. The summary only feeds Gradio's monitoring
// page; GRADIO_ANALYTICS_ENABLED=False does not turn it off. Pass it as
// Start's env.
var QuietAnalytics = []string{"GRADIO_ANALYTICS_CACHE_FREQUENCY=1000000000", "GRADIO_ANALYTICS_MAX_EVENTS=100"}

// App is a Gradio app running in a process group of its own.
type App struct{ *gradioproc.Process }

// Start runs the Gradio app script with the interpreter py on a free
// loopback port, with env added to its environment, and waits until
// GET <url>/config answers (see gradioproc.Start). The app runs until Stop,
// and is killed if this process dies.
func Start(ctx context.Context, py, script string, env []string) (*App, error) {
	p, err := gradioproc.Start(ctx, py, script, "", env)
	if err != nil {
		return nil, err
	}
	return &App{p}, nil
}

// Tail is an io.Writer that keeps the last bytes written to it.
type Tail = gradioproc.Tail

// NewTail returns a Tail that keeps the last max bytes.
func NewTail(max int) *Tail { return gradioproc.NewTail(max) }

// Root returns the repository's root: the nearest folder above the working
// directory that holds go.mod.
func Root() (string, error) {
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
			return "", errors.New("no go.mod above the working directory; run from inside the repository")
		}
		dir = parent
	}
}

// Python returns the interpreter of the project's virtualenv for a Gradio
// version (root/.venv/gradio-<version>), or an error that says how to make
// it.
func Python(root, version string) (string, error) {
	py := filepath.Join(root, ".venv", "gradio-"+version, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		return "", fmt.Errorf("no virtualenv for Gradio %s (%w); run `make setup` (scripts/setup)", version, err)
	}
	return py, nil
}

// Locate returns the repository's root, root itself unless it is "" (then
// Root finds it), and the interpreter of its virtualenv for a Gradio version
// (Python).
func Locate(root, version string) (string, string, error) {
	if root == "" {
		var err error
		if root, err = Root(); err != nil {
			return "", "", err
		}
	}
	py, err := Python(root, version)
	return root, py, err
}

// Machine describes this machine: OS, architecture, CPUs and CPU model.
func Machine() string {
	m := fmt.Sprintf("%s/%s, %d CPUs (nproc)", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m += ", " + strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// LoadAverage returns the one-minute load average, or "?".
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}
