// Package gradioproc runs a Gradio app script as a process of its own on a
// free loopback port: with the environment that keeps it local and quiet,
// in a process group that Stop ends whole, killed if this process dies, and
// waited for until it serves. The tests (internal/gradiotest) and the
// benchmark harnesses (bench/internal/benchapp) start their apps with it.
package gradioproc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// StartTimeout bounds how long an app may take to serve its first request:
// importing Gradio on a loaded two-core machine takes tens of seconds.
const StartTimeout = 3 * time.Minute

// Process is a Gradio app running in a process group of its own.
type Process struct {
	URL string // its root URL, without a trailing slash (mount path included)

	cmd  *exec.Cmd
	tmp  string // GRADIO_TEMP_DIR and more, removed when the process ends
	log  *Tail
	done chan struct{} // closed when the process has exited
	stop sync.Once
}

// Start runs script with the interpreter py on a free loopback port, with
// env added to its environment, and waits until GET <URL>/config answers
// (any answer: an app behind a login answers 401), for at most
// StartTimeout or until ctx ends. mount is the path the app serves under,
// "" for the root. A port taken in the meantime is retried on another one.
// The error of a start that failed ends with the app's output.
func Start(ctx context.Context, py, script, mount string, env []string) (*Process, error) {
	var err error
	for range 3 {
		var p *Process
		if p, err = launch(ctx, py, script, mount, env); err == nil {
			return p, nil
		}
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, err
}

func launch(ctx context.Context, py, script, mount string, env []string) (*Process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "gradioproc-"+strings.TrimSuffix(filepath.Base(script), ".py")+"-")
	if err != nil {
		return nil, err
	}
	p := &Process{
		URL:  "http://127.0.0.1:" + strconv.Itoa(port) + strings.TrimRight(mount, "/"),
		tmp:  tmp,
		log:  NewTail(256 << 10),
		done: make(chan struct{}),
	}
	p.cmd = exec.Command(py, script)
	p.cmd.Dir = filepath.Dir(script)
	p.cmd.Env = append(os.Environ(),
		"GRADIO_SERVER_NAME=127.0.0.1",
		"GRADIO_SERVER_PORT="+strconv.Itoa(port),
		"GRADIO_ANALYTICS_ENABLED=False",
		"GRADIO_SSR_MODE=false",
		"HF_HUB_OFFLINE=1",
		"PYTHONUNBUFFERED=1",
		"GRADIO_TEMP_DIR="+filepath.Join(tmp, "gradio"),
		"MPLCONFIGDIR="+filepath.Join(tmp, "mpl"),
	)
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	// Its own process group, so that Stop ends every child; killed with us
	// if this process dies.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("run %s: %w", py, err)
	}
	go func() {
		_ = p.cmd.Wait()
		os.RemoveAll(tmp)
		close(p.done)
	}()
	if err := p.waitReady(ctx); err != nil {
		p.Stop()
		return nil, fmt.Errorf("start %s: %w\n%s", filepath.Base(script), err, p.log)
	}
	return p, nil
}

// waitReady polls GET <URL>/config until it answers.
func (p *Process) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, StartTimeout)
	defer cancel()
	hc := &http.Client{Timeout: 5 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/config", nil)
		if err != nil {
			return err
		}
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("the app exited before serving (%s)", p.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("the app did not serve %s: %w", p.URL, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Exited reports whether the app's process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Stop ends the app's process group, SIGTERM first and SIGKILL after five
// seconds. It is safe to call more than once.
func (p *Process) Stop() {
	p.stop.Do(func() {
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-p.done
		}
	})
}

// Kill ends the app at once with SIGKILL, as a crash would.
func (p *Process) Kill() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// Log returns the end of the app's output (stdout and stderr).
func (p *Process) Log() string { return p.log.String() }

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
