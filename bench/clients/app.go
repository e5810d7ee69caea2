package main

import (
	"context"
	"encoding/json"
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

// appStartTimeout bounds how long the app may take to serve: importing
// Gradio on a loaded two-core machine takes tens of seconds.
const appStartTimeout = 3 * time.Minute

// settleTimeout bounds how long settle waits for the queue to drain.
const settleTimeout = 30 * time.Second

// app is the echo app running in a process group of its own.
type app struct {
	url  string // root URL, no trailing slash
	cmd  *exec.Cmd
	log  *tail
	tmp  string
	done chan struct{} // closed when the process has exited
}

// startApp runs the Gradio app script with the interpreter py on a free
// loopback port, with env added to its environment, and waits until
// GET <url>/config answers. A port taken in the meantime is retried on
// another one.
func startApp(ctx context.Context, py, script string, env []string) (*app, error) {
	var err error
	for range 3 {
		var a *app
		if a, err = launch(ctx, py, script, env); err == nil {
			return a, nil
		}
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, err
}

func launch(ctx context.Context, py, script string, env []string) (*app, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "bench-clients-")
	if err != nil {
		return nil, err
	}
	a := &app{url: "http://127.0.0.1:" + strconv.Itoa(port), log: newTail(256 << 10), tmp: tmp, done: make(chan struct{})}
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
	// Its own process group, so that stop ends every child; killed with us
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
		a.stop()
		return nil, fmt.Errorf("start %s: %w\n%s", filepath.Base(script), err, a.log)
	}
	return a, nil
}

// waitReady polls GET <url>/config until it answers.
func (a *app) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, appStartTimeout)
	defer cancel()
	hc := &http.Client{Timeout: 5 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.url+"/config", nil)
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
			return fmt.Errorf("the app did not serve %s: %w", a.url, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// settle waits, for at most settleTimeout, until the app's queue is empty
// (GET <api>/queue/status reports queue_size 0), so that calls a client left
// behind, such as those it gave up on, do not slow the next one down.
func settle(ctx context.Context, hc *http.Client, api string) {
	ctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	for {
		var st struct {
			QueueSize *int `json:"queue_size"`
		}
		body, err := get(ctx, hc, api+"/queue/status")
		if err != nil || json.Unmarshal(body, &st) != nil || st.QueueSize == nil || *st.QueueSize == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop ends the app's process group, SIGTERM first and SIGKILL after five
// seconds, and removes its temporary folder.
func (a *app) stop() {
	pgid := a.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-a.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-a.done
	}
	os.RemoveAll(a.tmp)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
	cut bool
}

func newTail(max int) *tail { return &tail{max: max} }

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cut {
		return "…\n" + string(t.buf)
	}
	return string(t.buf)
}
