package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// The tests of this file run gradiorec as a process of its own (the test
// binary with commandEnv set, see TestMain), in a process group of its own
// as a terminal runs a command, so that they can interrupt it, kill the app
// it records or kill the Chromium it started, as happens to a real session.

// waitLimit bounds every wait for the command; it is not a measure of
// speed, only a guard against a test that hangs.
const waitLimit = 3 * time.Minute

// proc is a running gradiorec command.
type proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
}

func (p *proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.Write(b)
}

// output returns what the command wrote so far (stdout and stderr).
func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// startCommand runs gradiorec with args in dir, with env added to the
// environment. Chromium's temporary profile goes to a folder of the test.
func startCommand(t *testing.T, dir string, env []string, args ...string) *proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: exec.Command(exe, args...), done: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), commandEnv+"=1", "TMPDIR="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stdout, p.cmd.Stderr = p, p
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.done
		}
		if t.Failed() {
			t.Logf("gradiorec %s:\n%s", strings.Join(args, " "), p.output())
		}
	})
	return p
}

// interrupt sends SIGINT to the command's process group, as Ctrl-C in a
// terminal does: Chromium gets it too.
func (p *proc) interrupt(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
}

// exitCode waits for the command to end and returns its exit status.
func (p *proc) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(waitLimit):
		t.Fatalf("gradiorec did not end within %s", waitLimit)
	}
	return p.cmd.ProcessState.ExitCode()
}

// journalCalls reads the calls of a journal: every call as it started or,
// once it ended, as it ended.
func journalCalls(path string) (started, ended map[int]recording.Call) {
	started, ended = map[int]recording.Call{}, map[int]recording.Call{}
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	for line := range bytes.Lines(data) {
		var l struct {
			Started   *recording.Call `json:"started"`
			Completed *recording.Call `json:"completed"`
		}
		if json.Unmarshal(line, &l) != nil {
			continue // the line being written
		}
		if l.Started != nil {
			started[l.Started.ID] = *l.Started
		}
		if l.Completed != nil {
			ended[l.Completed.ID] = *l.Completed
		}
	}
	return started, ended
}

// waitJournal waits until the journal of the recording at out satisfies
// ready, and fails if the command ends first.
func waitJournal(t *testing.T, p *proc, out string, what string, ready func(started, ended map[int]recording.Call) bool) {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		if ready(journalCalls(recording.JournalPath(out))) {
			return
		}
		select {
		case <-p.done:
			t.Fatalf("gradiorec ended (%s) before %s:\n%s", p.cmd.ProcessState, what, p.output())
		case <-deadline:
			t.Fatalf("no %s within %s:\n%s", what, waitLimit, p.output())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// testdataPath returns the absolute path of a file in cli/testdata.
func testdataPath(t *testing.T, name string) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// recordUntilTicking starts recording a fresh slow app with a steps file
// that completes a /wait call and then starts the /ticker generator, and
// returns once the journal shows both: the ticker is in flight.
func recordUntilTicking(t *testing.T) (p *proc, app *gradiotest.App, out string) {
	t.Helper()
	needChromium(t)
	app = gradiotest.Start(t, "slow", gradiotest.Fresh())
	dir := t.TempDir()
	out = filepath.Join(dir, "slow.json")
	p = startCommand(t, dir, nil, "record", "--steps", testdataPath(t, "slow-until-stopped.yaml"), "-o", out, app.URL+"/")
	waitJournal(t, p, out, "a completed /wait and a running /ticker", func(started, ended map[int]recording.Call) bool {
		waited, ticking := false, false
		for id, c := range started {
			_, done := ended[id]
			waited = waited || c.APIName == "/wait" && done && ended[id].Status == recording.Completed
			ticking = ticking || c.APIName == "/ticker" && !done
		}
		return waited && ticking
	})
	return p, app, out
}

// checkCutShort checks the recording of a session cut short while the
// ticker ran: saved, with the completed call and the ticker not completed,
// its status returned; and the command's messages.
func checkCutShort(t *testing.T, p *proc, out string, why string) string {
	t.Helper()
	if code := p.exitCode(t); code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	stderr := p.output()
	t.Logf("gradiorec said:\n%s", stderr)
	for _, want := range []string{"saved 2 calls", "to " + out, why, "the recording holds what happened until then"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := len(callLines(stderr)); n != 2 {
		t.Errorf("%d call lines, want 2:\n%s", n, stderr)
	}
	rec, err := recording.Load(out)
	if err != nil {
		t.Fatalf("the recording does not load: %v", err)
	}
	if exists(recording.JournalPath(out)) {
		t.Error("the journal is still there after the save")
	}
	if len(rec.Calls) != 2 {
		t.Fatalf("%d calls, want /wait and /ticker: %+v", len(rec.Calls), rec.Calls)
	}
	wait, tick := rec.Calls[0], rec.Calls[1]
	if wait.APIName != "/wait" || wait.Status != recording.Completed || len(wait.Outputs) != 1 || string(wait.Outputs[0]) != `"done: first"` {
		t.Errorf("first call: %s %s %s, want /wait completed \"done: first\"", wait.APIName, wait.Status, wait.Outputs)
	}
	if tick.APIName != "/ticker" || tick.Status == recording.Completed {
		t.Errorf("second call: %s %s, want /ticker not completed", tick.APIName, tick.Status)
	}
	return tick.Status
}

func TestRecordInterrupted(t *testing.T) {
	p, _, out := recordUntilTicking(t)
	p.interrupt(t)
	status := checkCutShort(t, p, out, "interrupted while step ")
	if status != recording.Incomplete {
		t.Errorf("the ticker is %s, want %s", status, recording.Incomplete)
	}
	if !strings.Contains(p.output(), "/ticker(prefix=\"tick\") → incomplete") {
		t.Errorf("no line for the incomplete ticker:\n%s", p.output())
	}
}

func TestRecordAppDies(t *testing.T) {
	p, app, out := recordUntilTicking(t)
	app.Kill()
	status := checkCutShort(t, p, out, "the app stopped answering")
	// The page saw the event stream break: the call failed, or was cut.
	if status != recording.Failed && status != recording.Incomplete {
		t.Errorf("the ticker is %s, want %s or %s", status, recording.Failed, recording.Incomplete)
	}
}

func TestRecordChromiumDies(t *testing.T) {
	p, _, out := recordUntilTicking(t)
	pid := childProcess(t, p.cmd.Process.Pid, "chromium")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	status := checkCutShort(t, p, out, "Chromium ended unexpectedly (signal: killed)")
	if status != recording.Incomplete {
		t.Errorf("the ticker is %s, want %s", status, recording.Incomplete)
	}
}

// childProcess returns the process id of the child of parent whose command
// name contains name.
func childProcess(t *testing.T, parent int, name string) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		open, close := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
		if open < 0 || close < open {
			continue
		}
		fields := strings.Fields(string(stat[close+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(parent) && strings.Contains(string(stat[open+1:close]), name) {
			return pid
		}
	}
	t.Fatalf("process %d has no child named like %q", parent, name)
	return 0
}

func TestRecordKeepsSecretsOut(t *testing.T) {
	needChromium(t)
	app := gradiotest.Start(t, "auth")
	token := "hf_" + rand.Text()      // 26 letters and digits
	cookie := "ck" + rand.Text()[:20] // what a login cookie could hold
	const password = "s3cret-pass"    // auth.py's default
	dir := t.TempDir()
	out := filepath.Join(dir, "auth.json")
	p := startCommand(t, dir, []string{"HF_TOKEN=" + token, "PLANTED_COOKIE=" + cookie, "GRADIO_USER=admin", "GRADIO_PASSWORD=" + password},
		"record", "--steps", testdataPath(t, "secrets.yaml"), "-o", out, app.URL+"/")
	waitJournal(t, p, out, "three completed calls", func(_, ended map[int]recording.Call) bool { return len(ended) == 3 })

	// The journal as it stands while recording, and its fixture folder.
	journal, err := os.ReadFile(recording.JournalPath(out))
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{token, cookie, password}
	grepBytes(t, "the journal", journal, secrets...)
	grepDir(t, dir, secrets...)

	p.interrupt(t)
	p.exitCode(t)
	grepBytes(t, "the command's output", []byte(p.output()), secrets...)
	grepDir(t, dir, secrets...)
	rec, err := recording.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 3 {
		t.Fatalf("%d calls, want 3:\n%s", len(rec.Calls), p.output())
	}
	for _, c := range rec.Calls {
		if c.Status != recording.Completed || len(c.Outputs) != 1 || !strings.Contains(string(c.Outputs[0]), recording.Redacted) {
			t.Errorf("call %d: %s %s, want a greeting with %s", c.ID, c.Status, c.Outputs, recording.Redacted)
		}
	}
	if !rec.App.Auth {
		t.Error("the recording does not say that the app needs a login")
	}
}

// loginCookie is a Gradio login cookie with its value.
var loginCookie = regexp.MustCompile(`access-token-[A-Za-z0-9_-]*=[^<]`)

// grepBytes fails the test if data holds one of the secrets, or a login
// cookie's value.
func grepBytes(t *testing.T, what string, data []byte, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("%s holds the secret %q", what, s)
		}
	}
	if m := loginCookie.Find(data); m != nil {
		t.Errorf("%s holds a login cookie: %q", what, m)
	}
}

// grepDir checks every file under dir, names and bytes.
func grepDir(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		grepBytes(t, "the path "+path, []byte(path), secrets...)
		if d.IsDir() {
			return nil
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		grepBytes(t, path, data, secrets...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no file under %s: the test looked at nothing", dir)
	}
}

// TestRecordShowBrowser records a person using the app in a visible
// Chromium window, on a virtual display (Xvfb): xdotool types into the page
// as a person would, then the person ends the session by closing the
// window, or with Ctrl-C. Both are the normal end of an interactive
// session.
func TestRecordShowBrowser(t *testing.T) {
	needChromium(t)
	display := gradiotest.Xvfb(t, "a visible browser")
	xdotool, err := exec.LookPath("xdotool")
	gradiotest.Need(t, "xdotool (to act as the person at the display)", err)
	app := gradiotest.Start(t, "text")
	x := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(xdotool, args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}

	for _, end := range []string{"close the window", "Ctrl-C"} {
		t.Run(end, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "text.json")
			p := startCommand(t, dir, []string{"DISPLAY=" + display}, "record", "--show-browser", "-o", out, app.URL+"/")
			waitOutput(t, p, "use the app in the browser window")
			// The app's window is titled after the app ("Text analysis").
			win := strings.Fields(x("search", "--sync", "--name", "Text analysis"))[0]
			x("windowfocus", "--sync", win)
			x("key", "Tab")    // the first field of the page: the text box
			x("key", "ctrl+a") // its default text, replaced by what is typed
			x("type", "typed by hand")
			x("key", "Return") // the text box's submit event calls /analyze
			waitJournal(t, p, out, "the /analyze call", func(_, ended map[int]recording.Call) bool { return len(ended) == 1 })
			if end == "Ctrl-C" {
				p.interrupt(t)
			} else {
				x("windowfocus", "--sync", win)
				x("key", "ctrl+w")
			}
			if code := p.exitCode(t); code != ExitOK {
				t.Errorf("exit %d, want %d", code, ExitOK)
			}
			stderr := p.output()
			t.Logf("gradiorec said:\n%s", stderr)
			for _, want := range []string{
				`#1 /analyze(text="typed by hand") → ("dnah yb depyt", 3, {`,
				"saved 1 call (1 completed) to " + out,
			} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q", want)
				}
			}
			if end != "Ctrl-C" && !strings.Contains(stderr, "the browser window was closed: stopping") {
				t.Error("stderr does not say that the window was closed")
			}
			rec, err := recording.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Calls) != 1 || rec.Calls[0].APIName != "/analyze" || rec.Calls[0].Status != recording.Completed ||
				string(rec.Calls[0].Outputs[0]) != `"dnah yb depyt"` {
				t.Errorf("calls %+v, want /analyze of the typed text", rec.Calls)
			}
		})
	}
}

// waitOutput waits until the command has printed want.
func waitOutput(t *testing.T, p *proc, want string) {
	t.Helper()
	deadline := time.After(waitLimit)
	for !strings.Contains(p.output(), want) {
		select {
		case <-p.done:
			t.Fatalf("gradiorec ended (%s) before printing %q:\n%s", p.cmd.ProcessState, want, p.output())
		case <-deadline:
			t.Fatalf("gradiorec did not print %q within %s:\n%s", want, waitLimit, p.output())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestRecordSaveFails makes the save at the end fail (a folder took the
// recording's name while it was recorded): every call is saved in the
// rescue folder instead, the command says where, and exits 1.
func TestRecordSaveFails(t *testing.T) {
	p, _, out := recordUntilTicking(t)
	if err := os.MkdirAll(filepath.Join(out, "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	p.interrupt(t)
	if code := p.exitCode(t); code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	rec := checkRescued(t, p, out, "could not save "+out)
	if len(rec.Calls) != 2 || rec.Calls[0].Status != recording.Completed || rec.Calls[1].Status != recording.Incomplete {
		t.Errorf("rescued calls %+v, want /wait completed and /ticker incomplete", rec.Calls)
	}
}

// checkRescued checks that the command said, with why, that every call was
// saved in its rescue folder instead of at out, and returns that
// recording. The journal, superseded, is gone.
func checkRescued(t *testing.T, p *proc, out, why string) *recording.Recording {
	t.Helper()
	stderr := p.output()
	t.Logf("gradiorec said:\n%s", stderr)
	rescued := regexp.MustCompile(`every call was saved to (\S+) instead`).FindStringSubmatch(stderr)
	if rescued == nil || !strings.Contains(stderr, why) {
		t.Fatalf("stderr does not say %q and where every call was saved", why)
	}
	if dir := procEnv(p, "XDG_DATA_HOME"); !strings.HasPrefix(rescued[1], filepath.Join(dir, "gradiorec", "rescue")+"/") {
		t.Errorf("rescued to %s, want the rescue folder under $XDG_DATA_HOME %s", rescued[1], dir)
	}
	if exists(recording.JournalPath(out)) {
		t.Error("the journal is still there, though every call was saved elsewhere")
	}
	rec, err := recording.Load(rescued[1])
	if err != nil {
		t.Fatalf("the rescued recording does not load: %v", err)
	}
	return rec
}

// procEnv returns the value the command's environment gives key.
func procEnv(p *proc, key string) string {
	v := ""
	for _, kv := range p.cmd.Env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// TestRecordJournalFails records into a tiny file system (a tmpfs, as root)
// that fills up after the journal began: the first failed write is reported
// at once, recording goes on, every call is saved in the rescue folder, and
// the command exits 1 saying so.
func TestRecordJournalFails(t *testing.T) {
	needChromium(t)
	if os.Geteuid() != 0 {
		gradiotest.Need(t, "root (to mount a small tmpfs)", fmt.Errorf("running as uid %d", os.Geteuid()))
	}
	app := gradiotest.Start(t, "slow", gradiotest.Fresh(), gradiotest.Env("GRADIOREC_SLOW_SECONDS", "0.05"))
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	out := filepath.Join(dir, "slow.json")
	p := startCommand(t, t.TempDir(), nil, "record", "--steps", testdataPath(t, "journal-fills.yaml"), "-o", out, app.URL+"/")
	waitJournal(t, p, out, "the journal's header", func(_, _ map[int]recording.Call) bool {
		header, err := os.ReadFile(recording.JournalPath(out))
		return err == nil && bytes.HasSuffix(header, []byte("\n"))
	})
	fill(t, filepath.Join(dir, "filler"))

	if code := p.exitCode(t); code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	stderr := p.output()
	warned := strings.Index(stderr, "warning: could not write the journal")
	if first := strings.Index(stderr, "/wait"); warned < 0 || first < 0 || warned > strings.Index(stderr[first+1:], "/wait")+first+1 {
		t.Errorf("the failed journal write was not reported at once, before the next call:\n%s", stderr)
	}
	if !strings.Contains(stderr, "no space left on device") {
		t.Errorf("stderr does not say why the journal failed")
	}
	rec := checkRescued(t, p, out, "could not save "+out)
	var labels []string
	for _, c := range rec.Calls {
		if c.Status == recording.Completed && len(c.Outputs) == 1 {
			labels = append(labels, strings.Fields(string(c.Outputs[0]))[1])
		}
	}
	if want := []string{"first", "second", "third"}; !slices.Equal(labels, want) {
		t.Errorf("rescued outputs %q, want %q: a call was lost", labels, want)
	}
}

// TestRecordJournalWriteError injects a write error without root: a file
// size limit (RLIMIT_FSIZE) set on the running gradiorec just above its
// journal's size makes the next journal write fail (EFBIG; Go ignores
// SIGXFSZ). The failure is reported at once; once the limit is lifted again,
// every call is saved at -o from memory, and the exit status still says the
// journal failed.
func TestRecordJournalWriteError(t *testing.T) {
	needChromium(t)
	app := gradiotest.Start(t, "slow", gradiotest.Fresh(), gradiotest.Env("GRADIOREC_SLOW_SECONDS", "0.05"))
	dir := t.TempDir()
	out := filepath.Join(dir, "slow.json")
	p := startCommand(t, dir, nil, "record", "--steps", testdataPath(t, "journal-fills.yaml"), "-o", out, app.URL+"/")
	var size int64
	waitJournal(t, p, out, "the journal's header", func(_, _ map[int]recording.Call) bool {
		header, err := os.ReadFile(recording.JournalPath(out))
		size = int64(len(header))
		return err == nil && bytes.HasSuffix(header, []byte("\n"))
	})
	setFileSizeLimit(t, p.cmd.Process.Pid, uint64(size)+16)
	waitOutput(t, p, "warning: could not write the journal")
	setFileSizeLimit(t, p.cmd.Process.Pid, ^uint64(0))

	if code := p.exitCode(t); code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	stderr := p.output()
	if !strings.Contains(stderr, "file too large") || !strings.Contains(stderr, "every call was saved to "+out) {
		t.Errorf("stderr does not say why the journal failed and that every call was saved to %s:\n%s", out, stderr)
	}
	if exists(recording.JournalPath(out)) {
		t.Error("the journal is still there, though every call was saved")
	}
	rec, err := recording.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 3 {
		t.Errorf("%d calls saved, want 3: a call was lost", len(rec.Calls))
	}
}

// setFileSizeLimit sets the largest file process pid may write (prlimit).
func setFileSizeLimit(t *testing.T, pid int, n uint64) {
	t.Helper()
	limit := syscall.Rlimit{Cur: n, Max: ^uint64(0)}
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE,
		uintptr(unsafe.Pointer(&limit)), 0, 0, 0); errno != 0 {
		t.Fatalf("prlimit %d: %v", pid, errno)
	}
}

// fill writes to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, block := range [][]byte{make([]byte, 4096), {0}} {
		for {
			_, err := f.Write(block)
			if err == nil {
				continue
			}
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill %s: %v", path, err)
			}
			break
		}
	}
}
