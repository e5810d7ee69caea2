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
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// StartTimeout bounds how long an app may take to serve: importing Gradio
// on a loaded two-core machine takes tens of seconds.
const StartTimeout = 3 * time.Minute

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
type App struct {
	URL string // root URL, no trailing slash

	cmd  *exec.Cmd
	log  *Tail
	tmp  string
	done chan struct{} // closed when the process has exited
	stop sync.Once
}

// Start runs the Gradio app script with the interpreter py on a free
// loopback port, with env added to its environment, and waits until
// GET <url>/config answers. A port taken in the meantime is retried on
// another one. The app runs until Stop, and is killed if this process dies.
func Start(ctx context.Context, py, script string, env []string) (*App, error) {
	var err error
	for range 3 {
		var a *App
		if a, err = launch(ctx, py, script, env); err == nil {
			return a, nil
		}
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, err
}

func launch(ctx context.Context, py, script string, env []string) (*App, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "gradiorec-bench-")
	if err != nil {
		return nil, err
	}
	a := &App{URL: "http://127.0.0.1:" + strconv.Itoa(port), log: NewTail(256 << 10), tmp: tmp, done: make(chan struct{})}
	a.cmd = exec.Command(py, script)
	a.cmd.Dir = filepath.Dir(script)
	a.cmd.Env = append(os.Environ(),
		"GRADIO_SERVER_NAME=127.0.0.1",
		"GRADIO_SERVER_PORT="+strconv.Itoa(port),
		"GRADIO_ANALYTICS_ENABLED=False",
		"GRADIO_SSR_MODE=false",
		"HF_HUB_OFFLINE=1",
		"PYTHONUNBUFFERED=1",
		"GRADIO_TEMP_DIR="+filepath.Join(tmp, "gradio"),
		"MPLCONFIGDIR="+filepath.Join(tmp, "mpl"),
	)
	a.cmd.Env = append(a.cmd.Env, env...)
	a.cmd.Stdout, a.cmd.Stderr = a.log, a.log
	// Its own process group, so that Stop ends every child; killed with us
	// if this process dies.
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := a.cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("run %s: %w", py, err)
	}
	go func() {
		_ = a.cmd.Wait()
		close(a.done)
	}()
	if err := a.waitReady(ctx); err != nil {
		a.Stop()
		return nil, fmt.Errorf("start %s: %w\n%s", filepath.Base(script), err, a.log)
	}
	return a, nil
}

// waitReady polls GET <url>/config until it answers.
func (a *App) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, StartTimeout)
	defer cancel()
	hc := &http.Client{Timeout: 5 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.URL+"/config", nil)
		if err != nil {
			return err
		}
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-a.done:
			return fmt.Errorf("the app exited before serving (%s)", a.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("the app did not serve %s: %w", a.URL, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Stop ends the app's process group, SIGTERM first and SIGKILL after five
// seconds, and removes its temporary folder. It is safe to call more than
// once.
func (a *App) Stop() {
	a.stop.Do(func() {
		pgid := a.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-a.done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-a.done
		}
		os.RemoveAll(a.tmp)
	})
}

// Log returns the end of the app's output (stdout and stderr).
func (a *App) Log() string { return a.log.String() }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Tail is an io.Writer that keeps the last bytes written to it.
type Tail struct {
	mu  sync.Mutex
	max int
	buf []byte
	cut bool
}

// NewTail returns a Tail that keeps the last max bytes.
func NewTail(max int) *Tail { return &Tail{max: max} }

func (t *Tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	return len(p), nil
}

// String returns what the Tail kept, starting with "…\n" when older bytes
// were dropped.
func (t *Tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cut {
		return "…\n" + string(t.buf)
	}
	return string(t.buf)
}

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
