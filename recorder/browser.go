package recorder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromiumPaths are the executables FindChromium tries, in order: absolute
// paths, then names looked up in PATH.
var chromiumPaths = []string{
	"/usr/bin/chromium",
	"/usr/lib/chromium/chromium",
	"chromium-browser",
	"chromium",
	"google-chrome",
	"google-chrome-stable",
}

// FindChromium returns the Chromium (or Chrome) executable to run: path when
// it is not empty, else the one the GRADIOREC_CHROMIUM environment variable
// names, else the first of /usr/bin/chromium, /usr/lib/chromium/chromium,
// and chromium-browser, chromium, google-chrome, google-chrome-stable in
// PATH. The error wraps ErrNoChromium and names what was tried.
func FindChromium(path string) (string, error) {
	if path == "" {
		path = os.Getenv("GRADIOREC_CHROMIUM")
	}
	if path != "" {
		found, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("%w: %s: %w", ErrNoChromium, path, err)
		}
		return found, nil
	}
	for _, p := range chromiumPaths {
		if found, err := exec.LookPath(p); err == nil {
			return found, nil
		}
	}
	return "", fmt.Errorf("%w: tried %s (set GRADIOREC_CHROMIUM to another one); install it with `apt-get install chromium`",
		ErrNoChromium, strings.Join(chromiumPaths, ", "))
}

// Browser is a running Chromium that recorders open tabs in. One browser
// can serve many recorders at once (WithBrowser), each in a tab with its
// own cookies and storage.
type Browser struct {
	ctx      context.Context // the browser's chromedp context
	cancel   context.CancelFunc
	execPath string
	close    sync.Once
	closeErr error
	borrowed bool     // made by BrowserFrom: not ours to close
	profile  *profile // the temporary profile Close removes; nil with WithProfileDir
	shared   bool     // tabs share the default browser context (WithExtension)
}

// NewBrowser starts Chromium: headless (unless WithShowBrowser), without
// sandbox when running as root, without background networking, component
// updates, sync, first-run dialogs and QUIC. ctx bounds the start only; the
// browser runs until Close.
//
// Without WithProfileDir the browser's profile is a temporary folder,
// gradiorec-chromium-<pid>-<random> in os.TempDir(), which Close removes.
// On Linux NewBrowser first removes the folders of this name that processes
// killed before their Close left behind (see profilePrefix).
func NewBrowser(ctx context.Context, opts ...Option) (*Browser, error) {
	s := newSettings(opts)
	path, err := FindChromium(s.execPath)
	if err != nil {
		return nil, err
	}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
	)
	if s.show {
		flags = append(flags, chromedp.VisibleWindow, chromedp.WindowSize(int(s.width), int(s.height)))
	} else {
		flags = append(flags, chromedp.Flag("headless", "new"))
	}
	if os.Getuid() == 0 {
		flags = append(flags, chromedp.NoSandbox)
	}
	if s.extension != "" {
		flags = append(flags,
			chromedp.Flag("disable-extensions", false),
			chromedp.Flag("load-extension", s.extension),
			chromedp.Flag("disable-extensions-except", s.extension),
		)
	}
	var prof *profile
	dataDir := s.profileDir
	if dataDir == "" {
		if prof, err = newProfile(); err != nil {
			return nil, err
		}
		dataDir = prof.dir
	}
	flags = append(flags, chromedp.UserDataDir(dataDir))
	// The browser lives until Close, not until ctx ends.
	actx, acancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), flags...)
	// chromedp's own complaints (events of frames it does not follow) are
	// diagnostics, not for the user's terminal.
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(format string, args ...any) {
		s.logf("chromium: "+format, args...)
	}))
	b := &Browser{ctx: bctx, execPath: path, cancel: func() { bcancel(); acancel() }, profile: prof, shared: s.extension != ""}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err = <-started:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		b.end()
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return b, nil
}

// end stops the browser, waits until Chromium has exited and removes the
// temporary profile.
func (b *Browser) end() error {
	b.cancel()
	if c := chromedp.FromContext(b.ctx); c != nil && c.Allocator != nil {
		c.Allocator.Wait()
	}
	if b.profile == nil {
		return nil
	}
	return b.profile.remove()
}

// Context returns the browser's chromedp context, to run browser-wide
// commands (the extension's service worker is one of its targets).
func (b *Browser) Context() context.Context { return b.ctx }

// BrowserFrom wraps a browser that chromedp already runs (a context made
// with chromedp.NewContext, on any allocator, that has run an action), so
// that recorders can open tabs in it with WithBrowser. Its Close does
// nothing: the browser belongs to the caller.
func BrowserFrom(ctx context.Context) (*Browser, error) {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Browser == nil {
		return nil, errors.New("recorder: the context has no running chromedp browser (run an action in it first)")
	}
	return &Browser{ctx: ctx, cancel: func() {}, borrowed: true}, nil
}

// ExecPath returns the executable the browser runs ("" for BrowserFrom).
func (b *Browser) ExecPath() string { return b.execPath }

// Close ends the browser, waits until Chromium has exited and removes its
// temporary profile. It is safe to call more than once; the error says
// that the profile could not be removed.
func (b *Browser) Close() error {
	b.close.Do(func() {
		if b.borrowed {
			return
		}
		_ = chromedp.Cancel(b.ctx) // a graceful close; end ends it anyway
		b.closeErr = b.end()
	})
	return b.closeErr
}

// newTab opens a tab with cookies and storage of its own (but for a browser
// with the extension, WithExtension) and a viewport of
// width×height. listen sees every event of the tab, in order, from the
// start; it must not block and must not call commands. Cancel the returned
// context to close the tab.
func (b *Browser) newTab(width, height int64, listen func(ev any)) (context.Context, context.CancelFunc, error) {
	if b.ctx.Err() != nil {
		return nil, nil, errors.New("open a tab: the browser is closed")
	}
	opts := []chromedp.ContextOption{chromedp.WithListener(listen)}
	if !b.shared {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	tab, cancel := chromedp.NewContext(b.ctx, opts...)
	err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: height, DeviceScaleFactor: 1,
		})
		return err
	}))
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	return tab, cancel, nil
}

// Tab opens a tab with cookies and storage of its own and a viewport of
// width×height, for showing a page without recording it. Cancel the returned
// context to close the tab.
func (b *Browser) Tab(width, height int) (context.Context, context.CancelFunc, error) {
	return b.newTab(int64(width), int64(height), func(any) {})
}
