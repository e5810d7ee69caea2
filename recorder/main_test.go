package recorder

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

// The browser every test of the binary shares (STYLE 16): started by the
// first test that needs one, ended with the test binary. Its profile lives
// in a folder named after the binary's process id; folders of binaries that
// are gone are removed when the next one starts.
var shared struct {
	once    sync.Once
	browser *Browser
	err     error
}

// profilesDir holds the profiles of the test browsers, one per process.
var profilesDir = filepath.Join(os.TempDir(), "gradiorec-test-profiles")

// testBrowser returns the shared browser, starting it if needed. A missing
// Chromium skips the test, or fails it in CI.
func testBrowser(t testing.TB) *Browser {
	t.Helper()
	_, err := FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	shared.once.Do(func() {
		removeStaleProfiles()
		dir := filepath.Join(profilesDir, strconv.Itoa(os.Getpid()))
		if shared.err = os.MkdirAll(dir, 0o700); shared.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		shared.browser, shared.err = NewBrowser(ctx, WithProfileDir(dir))
	})
	if shared.err != nil {
		t.Fatalf("start the test browser: %v", shared.err)
	}
	return shared.browser
}

// removeStaleProfiles removes the profiles of test binaries that have
// exited.
func removeStaleProfiles() {
	entries, _ := os.ReadDir(profilesDir)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(filepath.Join(profilesDir, e.Name()))
		}
	}
}

// testTab opens a fresh 1280×800 tab of the shared browser, with storage of
// its own, closed when the test ends.
func testTab(t testing.TB) context.Context {
	t.Helper()
	tab, cancel, err := testBrowser(t).newTab(1280, 800, func(any) {})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return tab
}
