package recorder

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/extension"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// testExt is the browser with gradiorec's extension loaded and paired
// with a relay server of the test binary, shared by the tests that record
// through it (a second browser: its tabs share one browser context, which
// the DevTools tests' browser must not).
type testExt struct {
	browser *Browser
	via     *extension.Via
}

// attach has the extension record a tab (an Attach for WithVia).
func (e *testExt) attach(ctx context.Context, target string) (*Relay, error) {
	r := NewRelay()
	return r, e.via.Record(ctx, target, r)
}

var sharedExt struct {
	once sync.Once
	ext  *testExt
	err  error
}

// testExtension returns the shared extension browser, starting it if
// needed. Its profile and the unpacked extension live in this binary's
// profile folder, which the next test binary removes.
func testExtension(t testing.TB) *testExt {
	t.Helper()
	_, err := FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	sharedExt.once.Do(func() {
		removeStaleProfiles()
		dir := filepath.Join(profilesDir, strconv.Itoa(os.Getpid()), "extension")
		if sharedExt.err = os.MkdirAll(dir, 0o700); sharedExt.err != nil {
			return
		}
		unpacked, err := extension.Unpack(dir)
		if err != nil {
			sharedExt.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b, err := NewBrowser(ctx, WithExtension(unpacked), WithProfileDir(filepath.Join(dir, "profile")))
		if err != nil {
			sharedExt.err = err
			return
		}
		via, err := extension.Connect(ctx, b.Context(), func(string, ...any) {})
		if err != nil {
			sharedExt.err = err
			return
		}
		sharedExt.ext = &testExt{browser: b, via: via}
	})
	if sharedExt.err != nil {
		t.Fatalf("start the browser with the extension: %v", sharedExt.err)
	}
	return sharedExt.ext
}
