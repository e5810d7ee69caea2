package backend_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/backend"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
	"github.com/gradiorec/gradiorec/recorder"
)

func TestMain(m *testing.M) { gradiotest.Main(m, closeBrowser) }

// wait bounds every wait of these tests for something the browser, the
// backend or an app does.
const wait = 30 * time.Second

// served is a relay server and a backend wired as `gradiorec serve` wires
// them: recordings in a temporary folder, pairings in a file store.
type served struct {
	srv   *relay.Server
	b     *backend.Backend
	dir   string // the recordings folder
	store relay.Store
	log   *relaytest.Log
}

// serve starts a backend behind a relay server on a free loopback port;
// both end with the test.
func serve(t *testing.T) *served {
	t.Helper()
	s := &served{dir: filepath.Join(t.TempDir(), "recordings"), log: &relaytest.Log{Wait: wait}}
	var err error
	if s.store, err = relay.FileStore(filepath.Join(t.TempDir(), "paired.json")); err != nil {
		t.Fatal(err)
	}
	s.b = backend.New(backend.Config{
		Dir:     s.dir,
		Options: []recorder.Option{recorder.WithTool("gradiorec test")},
		Logf:    s.log.Logf,
	})
	if s.srv, err = relay.Listen(relay.Options{Store: s.store, Handler: s.b, Logf: s.log.Logf}); err != nil {
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
