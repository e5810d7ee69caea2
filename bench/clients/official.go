package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
)

// workerStartTimeout bounds how long a worker may take to import its client
// and connect; importing gradio_client on a loaded two-core machine is slow.
const workerStartTimeout = 3 * time.Minute

// worker is an official client running in a process of its own
// (official.py or official.mjs) that answers commands on stdin with one JSON
// line each on stdout. It times the calls itself, with its own clock, so the
// pipe costs nothing.
type worker struct {
	about  string // the client and runtime it reported, e.g. "gradio_client 2.7.2 (Python 3.11.7)"
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan []byte   // its stdout, line by line; closed at the end
	done   chan struct{} // closed when the process has exited
	quit   chan struct{} // closed by kill: stop handing out lines
	once   sync.Once
	stderr *benchapp.Tail

	mu   sync.Mutex
	busy bool // a command is running
}

// reply is a worker's answer to any command.
type reply struct {
	Fatal     string    `json:"fatal"`
	Ready     bool      `json:"ready"`
	Client    string    `json:"client"`
	Times     []float64 `json:"times"`
	Latencies []float64 `json:"latencies"`
	Wall      float64   `json:"wall"`
	OK        int       `json:"ok"`
	Errors    int       `json:"errors"`
	Error     string    `json:"error"`
}

// startWorker starts argv in a process group of its own, with env added to
// ours, and waits until it has connected to the app.
func startWorker(ctx context.Context, argv, env []string) (*worker, error) {
	w := &worker{lines: make(chan []byte, 1), done: make(chan struct{}), quit: make(chan struct{}), stderr: benchapp.NewTail(64 << 10)}
	w.cmd = exec.Command(argv[0], argv[1:]...)
	w.cmd.Env = append(os.Environ(), env...)
	w.cmd.Stderr = w.stderr
	// Its own process group, so that stopping it ends its children; killed
	// with us if this process dies.
	w.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	var err error
	if w.stdin, err = w.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := w.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := w.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 64<<20) // a few thousand latencies per line
		for sc.Scan() {
			select {
			case w.lines <- append([]byte(nil), sc.Bytes()...):
			case <-w.quit:
			}
		}
		close(w.lines)
		_ = w.cmd.Wait()
		close(w.done)
	}()

	sctx, cancel := context.WithTimeout(ctx, workerStartTimeout)
	defer cancel()
	r, err := w.read(sctx)
	if err == nil && !r.Ready {
		err = fmt.Errorf("it said %+v before it was ready", r)
	}
	if err != nil {
		w.kill()
		return nil, fmt.Errorf("start %s: %w", strings.Join(argv, " "), err)
	}
	w.about = r.Client
	return w, nil
}

// do sends a command and returns the reply.
func (w *worker) do(ctx context.Context, command string) (reply, error) {
	w.mu.Lock()
	w.busy = true
	w.mu.Unlock()
	if _, err := io.WriteString(w.stdin, command+"\n"); err != nil {
		return reply{}, w.exitError(err)
	}
	r, err := w.read(ctx)
	if err != nil {
		return r, fmt.Errorf("%s: %w", command, err)
	}
	w.mu.Lock()
	w.busy = false
	w.mu.Unlock()
	return r, nil
}

// read waits for the next reply.
func (w *worker) read(ctx context.Context) (reply, error) {
	var r reply
	select {
	case line, ok := <-w.lines:
		if !ok {
			return r, w.exitError(nil)
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return r, fmt.Errorf("bad reply %.200q: %w", line, err)
		}
		if r.Fatal != "" {
			return r, errors.New(r.Fatal)
		}
		return r, nil
	case <-ctx.Done():
		return r, ctx.Err()
	}
}

// exitError explains that the worker stopped, with the end of its stderr.
func (w *worker) exitError(cause error) error {
	select {
	case <-w.done:
	case <-time.After(5 * time.Second):
	}
	msg := "the worker exited"
	if st := w.cmd.ProcessState; st != nil {
		msg += " (" + st.String() + ")"
	}
	if cause != nil {
		msg += ": " + cause.Error()
	}
	return fmt.Errorf("%s; its stderr ends with:\n%s", msg, w.stderr)
}

func (w *worker) warmup(ctx context.Context, calls, inFlight int) error {
	r, err := w.do(ctx, fmt.Sprintf("warmup %d %d", calls, inFlight))
	if err != nil {
		return err
	}
	return warmupFailed(r.Errors, calls+inFlight, r.Error)
}

func (w *worker) connects(ctx context.Context, n int) ([]time.Duration, error) {
	r, err := w.do(ctx, fmt.Sprintf("connect %d", n))
	if err != nil {
		return nil, err
	}
	return durations(r.Times), nil
}

func (w *worker) sequential(ctx context.Context, n int) (seqRun, error) {
	r, err := w.do(ctx, fmt.Sprintf("sequential %d", n))
	if err != nil {
		return seqRun{}, err
	}
	return seqRun{latencies: durations(r.Latencies), wall: seconds(r.Wall), errors: r.Errors, err: r.Error}, nil
}

func (w *worker) concurrent(ctx context.Context, n, inFlight int) (concRun, error) {
	r, err := w.do(ctx, fmt.Sprintf("concurrent %d %d", n, inFlight))
	if err != nil {
		return concRun{}, err
	}
	return concRun{wall: seconds(r.Wall), ok: r.OK, errors: r.Errors, err: r.Error}, nil
}

// close ends the worker: an idle one gets the end of its input and a few
// seconds to close its client and exit; a busy one (the run was
// interrupted) is killed at once.
func (w *worker) close() error {
	w.mu.Lock()
	busy := w.busy
	w.mu.Unlock()
	w.stdin.Close()
	if !busy {
		select {
		case <-w.done:
			return nil
		case <-time.After(5 * time.Second):
		}
	}
	w.kill()
	return nil
}

// kill ends the worker's process group and waits for it.
func (w *worker) kill() {
	w.once.Do(func() { close(w.quit) })
	_ = syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
	<-w.done
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func durations(s []float64) []time.Duration {
	d := make([]time.Duration, len(s))
	for i, v := range s {
		d[i] = seconds(v)
	}
	return d
}
