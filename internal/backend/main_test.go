package backend_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/backend"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/recorder"
)

func TestMain(m *testing.M) { gradiotest.Main(m, closeBrowser) }

// wait bounds every wait of these tests for something the browser, the
// backend or an app does.
const wait = 30 * time.Second

// logs collects what the backend and its relay server log, as `gradiorec
// serve` prints it, and lets a test wait for a line.
type logs struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{}
}

func newLogs() *logs { return &logs{changed: make(chan struct{})} }

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	close(l.changed)
	l.changed = make(chan struct{})
}

// String is the whole log.
func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// wait waits for a line holding all of parts and returns it.
func (l *logs) wait(t *testing.T, parts ...string) string {
	t.Helper()
	timeout := time.After(wait)
	for {
		l.mu.Lock()
		changed := l.changed
		for _, line := range l.lines {
			if containsAll(line, parts) {
				l.mu.Unlock()
				return line
			}
		}
		l.mu.Unlock()
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("no log line holds %q; the log:\n%s", parts, l)
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// served is a relay server and a backend wired as `gradiorec serve` wires
// them: recordings in a temporary folder, pairings in a file store.
type served struct {
	srv   *relay.Server
	b     *backend.Backend
	dir   string // the recordings folder
	store relay.Store
	log   *logs
}

// serve starts a backend behind a relay server on a free loopback port;
// both end with the test.
func serve(t *testing.T) *served {
	t.Helper()
	s := &served{dir: filepath.Join(t.TempDir(), "recordings"), log: newLogs()}
	var err error
	if s.store, err = relay.FileStore(filepath.Join(t.TempDir(), "paired.json")); err != nil {
		t.Fatal(err)
	}
	s.b = backend.New(backend.Config{
		Dir:     s.dir,
		Options: []recorder.Option{recorder.WithTool("gradiorec test")},
		Logf:    s.log.logf,
	})
	if s.srv, err = relay.Listen(relay.Options{Store: s.store, Handler: s.b, Logf: s.log.logf}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.srv.Close()
		s.b.Wait()
		if t.Failed() {
			t.Logf("the backend's log:\n%s", s.log)
		}
	})
	return s
}

// recordings lists the files in the recordings folder (none when it does
// not exist).
func (s *served) recordings(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(s.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// testContext is a context that ends with the test, bounded by limit.
func testContext(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return ctx
}
