package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
	"github.com/gradiorec/gradiorec/recording"
)

// serveWait bounds every wait of the serve tests for what serve prints or
// sends; it is a guard against a hang, not a measure of speed.
const serveWait = 30 * time.Second

// output is what a command prints, which a test can wait on.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newOutput() *output { return &output{changed: make(chan struct{})} }

func (o *output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	close(o.changed)
	o.changed = make(chan struct{})
	return o.buf.Write(b)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// wait waits until the output matches re n times and returns the
// submatches of the n-th match.
func (o *output) wait(t *testing.T, re string, n int) []string {
	t.Helper()
	r := regexp.MustCompile(re)
	timeout := time.After(serveWait)
	for {
		o.mu.Lock()
		all := r.FindAllStringSubmatch(o.buf.String(), -1)
		changed := o.changed
		o.mu.Unlock()
		if len(all) >= n {
			return all[n-1]
		}
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("serve did not print %d lines matching %q; it printed:\n%s", n, re, o)
		}
	}
}

// serving is `gradiorec serve` running in the test, as Main runs it: its
// context is what Ctrl-C cancels, its stdin where Enter is pressed.
type serving struct {
	out    *output
	enter  io.WriteCloser
	cancel context.CancelFunc
	done   chan error
}

func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdin, enter := io.Pipe()
	s := &serving{out: newOutput(), enter: enter, cancel: cancel, done: make(chan error, 1)}
	e := &env{stdin: stdin, stdout: s.out, stderr: s.out}
	go func() { s.done <- commands["serve"].run(ctx, e, args) }()
	t.Cleanup(func() {
		cancel()
		enter.Close()
		<-s.done
		if t.Failed() {
			t.Logf("gradiorec serve printed:\n%s", s.out)
		}
	})
	return s
}

// stop presses Ctrl-C and waits for serve to end.
func (s *serving) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(serveWait):
		t.Fatalf("serve did not end within %s of Ctrl-C", serveWait)
	}
}

// codeLine is how serve shows its port and a pairing code.
const codeLine = `paste this code in the extension's side panel \(port (\d+)\): ([0-9A-Z-]+)\n`

// stopped is serve's stopped message.
type stopped struct {
	Path    string
	Calls   int
	OK      bool
	Message string
}

// TestServe runs gradiorec serve as a person does: it shows a port and a
// code, a browser pairs with them and records a real app, Enter shows a
// new code, and Ctrl-C saves the recording in progress.
func TestServe(t *testing.T) {
	app := gradiotest.Start(t, "state")
	dir := filepath.Join(t.TempDir(), "recordings")
	pairings := filepath.Join(t.TempDir(), "paired.json")
	s := startServe(t, "--port", "0", "--dir", dir, "--pairings", pairings)

	shown := s.out.wait(t, codeLine, 1)
	port, code := shown[1], shown[2]
	s.out.wait(t, `waiting for the browser extension on 127\.0\.0\.1:`+port+`; recordings go to `+regexp.QuoteMeta(dir), 1)
	url := "ws://127.0.0.1:" + port + "/v1/ext"
	c := relaytest.Dial(t, url, relaytest.Options{Code: code, Browser: "serve test"})
	s.out.wait(t, `paired browser "serve test" \(install `+c.Install+`\)`, 1)

	// A recording: the app's page, no call, Stop.
	c.Send(map[string]any{"t": "start", "rec": "one", "tab": map[string]any{"url": app.URL + "/", "title": "Word counter"}})
	var started struct{ Path string }
	if err := c.Expect(t, "started").Decode(&started); err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(started.Path) != dir {
		t.Fatalf("the recording is journaled at %s, want it in %s", started.Path, dir)
	}
	c.Send(relaytest.Page(t, "one", app.URL))
	c.Send(map[string]any{"t": "stop", "rec": "one", "reason": "user"})
	var end stopped
	if err := c.Expect(t, "stopped").Decode(&end); err != nil {
		t.Fatal(err)
	}
	if !end.OK || end.Path != started.Path || end.Calls != 0 {
		t.Fatalf("stopped: %+v, want saved at %s", end, started.Path)
	}
	if _, err := recording.Load(end.Path); err != nil {
		t.Fatalf("the saved recording: %v", err)
	}
	s.out.wait(t, `recording one ended \(user\): 0 calls saved to `+regexp.QuoteMeta(end.Path), 1)

	// Enter: a new code, which pairs another browser.
	io.WriteString(s.enter, "\n")
	again := s.out.wait(t, codeLine, 2)
	if again[1] != port || again[2] == code {
		t.Fatalf("after Enter serve shows port %s and code %s, want port %s and a new code", again[1], again[2], port)
	}
	other := relaytest.Dial(t, url, relaytest.Options{Code: again[2], Browser: "another browser"})

	// Ctrl-C while recording: serve saves what it has.
	other.Send(map[string]any{"t": "start", "rec": "two", "tab": map[string]any{"url": app.URL + "/"}})
	if err := other.Expect(t, "started").Decode(&started); err != nil {
		t.Fatal(err)
	}
	other.Send(relaytest.Page(t, "two", app.URL))
	for req := 1; ; req++ { // until the app has opened: its code can be asked for
		other.Send(map[string]any{"t": "code", "req": req, "rec": "two", "lang": "python"})
		var reply struct{ OK bool }
		if err := other.Expect(t, "reply").Decode(&reply); err != nil {
			t.Fatal(err)
		}
		if reply.OK {
			break
		}
	}
	s.stop(t)
	s.out.wait(t, "stopping: saving the recordings in progress", 1)
	s.out.wait(t, `recording two ended \(disconnected\): 0 calls saved to `+regexp.QuoteMeta(started.Path), 1)
	if _, err := recording.Load(started.Path); err != nil {
		t.Fatalf("the recording in progress at Ctrl-C: %v", err)
	}

	// --list shows the paired browsers; --revoke forgets one.
	code2, out, errs := run("serve", "--pairings", pairings, "--list")
	if code2 != ExitOK || !strings.Contains(out, c.Install+"\tserve test\tpaired ") || !strings.Contains(out, other.Install+"\tanother browser\t") {
		t.Fatalf("serve --list: exit %d, stdout %q, stderr %q", code2, out, errs)
	}
	code2, out, errs = run("serve", "--pairings", pairings, "--revoke", c.Install)
	if code2 != ExitOK || !strings.Contains(errs, "forgot the browser "+c.Install+": it must pair again") {
		t.Fatalf("serve --revoke: exit %d, stdout %q, stderr %q", code2, out, errs)
	}
	_, out, _ = run("serve", "--pairings", pairings, "--list")
	if strings.Contains(out, c.Install) || !strings.Contains(out, other.Install) {
		t.Errorf("serve --list after --revoke %s:\n%s", c.Install, out)
	}
}

// TestServeBusyPort: a port taken (by another serve, say) is a clear error.
func TestServeBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	code, _, errs := run("serve", "--port", port, "--dir", t.TempDir(), "--pairings", filepath.Join(t.TempDir(), "paired.json"))
	want := fmt.Sprintf("gradiorec serve: port %s is in use (is another gradiorec serve running?): "+
		"stop it, or give another port with --port N and enter it in the extension's panel\n", port)
	if code != ExitError || errs != want {
		t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, ExitError, want)
	}
}
