package relay_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

// browser is the one headless Chromium of the test binary, started by the
// first test that needs it and stopped by TestMain.
var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	dir    string // its temporary profile
	err    error
}

// tab opens a tab of the shared browser, closed when the test ends.
func tab(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("/usr/bin/chromium")
	gradiotest.Need(t, "Chromium (/usr/bin/chromium)", err)
	browser.once.Do(func() {
		if browser.dir, browser.err = os.MkdirTemp("", "relay-test-chromium-"); browser.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.Flag("headless", "new"),
			chromedp.DisableGPU,
			chromedp.UserDataDir(browser.dir),
		)
		if os.Getuid() == 0 {
			opts = append(opts, chromedp.NoSandbox)
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		browser.ctx, browser.cancel = bctx, func() { bcancel(); acancel() }
		browser.err = chromedp.Do(bctx)
	})
	if browser.err != nil {
		t.Fatalf("start Chromium: %v", browser.err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx)
	t.Cleanup(cancel)
	return ctx
}

// closeBrowser stops the shared browser and checks that its profile is
// gone.
func closeBrowser() error {
	if browser.cancel == nil {
		return nil
	}
	browser.cancel()
	if c := chromedp.FromContext(browser.ctx); c != nil && c.Allocator != nil {
		c.Allocator.Wait()
	}
	os.RemoveAll(browser.dir)
	if _, err := os.Stat(browser.dir); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the test browser's profile %s was left behind", browser.dir)
	}
	return nil
}

// Rule 8: a page served from loopback, like a local Gradio app, can use
// the relay neither by WebSocket nor by fetch, in a real Chromium.
func TestLoopbackPageRefused(t *testing.T) {
	ctx := tab(t)
	f := start(t, relay.Options{})
	f.srv.NewCode()
	web := relaytest.LoopbackPage(t, ctx, f.srv.URL())
	origin := `Origin "` + web + `"`
	f.log.WaitFor(t, "refused a connection from", origin)
	f.log.WaitN(t, 2, "refused a connection from", origin) // the fetch too
	f.h.none(t)
	if ps := f.srv.Peers(); len(ps) != 0 {
		t.Errorf("Peers() = %v", ps)
	}
}
