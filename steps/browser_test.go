package steps

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
)

func TestMain(m *testing.M) { gradiotest.Main(m, closeBrowser) }

// browser is the one Chromium of the test binary (STYLE 16), started by
// the first test that needs it and closed by TestMain. Steps run in the
// tabs of a recorder's browser, so the tests use one: recorder.NewBrowser,
// with a temporary profile that Close removes.
var browser struct {
	once sync.Once
	b    *recorder.Browser
	err  error
}

// testBrowser returns the shared browser, starting it if needed. A missing
// Chromium skips the test, or fails it in CI.
func testBrowser(t testing.TB) *recorder.Browser {
	t.Helper()
	_, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	browser.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		browser.b, browser.err = recorder.NewBrowser(ctx)
	})
	if browser.err != nil {
		t.Fatalf("start the test browser: %v", browser.err)
	}
	return browser.b
}

// closeBrowser closes the shared browser; its error says that the
// temporary profile was left behind.
func closeBrowser() error {
	if browser.b == nil {
		return nil
	}
	return browser.b.Close()
}

// testTab opens a fresh 1280×800 tab of the shared browser, with storage of
// its own, closed when the test ends.
func testTab(t testing.TB) context.Context {
	t.Helper()
	tab, cancel, err := testBrowser(t).Tab(1280, 800)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return tab
}

// openApp starts (or reuses) a test-bed app on a Gradio version and opens
// it in a fresh tab of the shared browser.
func openApp(t *testing.T, name, version string) context.Context {
	t.Helper()
	tab := testTab(t)
	app := gradiotest.Start(t, name, gradiotest.Version(version))
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+"/")); err != nil {
		t.Fatalf("open %s: %v", app.URL, err)
	}
	if err := waitAppReady(tab, time.Minute); err != nil {
		t.Fatal(err)
	}
	return tab
}
