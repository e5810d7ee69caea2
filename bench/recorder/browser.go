package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/extension"
	"github.com/gradiorec/gradiorec/recorder"
)

// Viewport of every tab, the recorder's default.
const viewportWidth, viewportHeight = 1280, 800

// chromiumFlags are the flags recorder.NewBrowser starts Chromium with
// (recorder/browser.go), so that the harness's own browsers, the shared one
// and the bare starts, are the same Chromium the recorder runs.
func chromiumFlags(path string) []chromedp.ExecAllocatorOption {
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("headless", "new"),
	)
	if os.Getuid() == 0 {
		flags = append(flags, chromedp.NoSandbox)
	}
	return flags
}

// browser is a Chromium the harness started for one source, shared by the
// recorders (as a recorder.Browser) and the plain tabs, so both run on the
// same browser.
type browser struct {
	source string          // sourceCDP or sourceExtension
	ctx    context.Context // the browser's chromedp context
	rec    *recorder.Browser
	path   string
	// via is the extension of the browser, paired with a relay server of
	// the harness's (sourceExtension); nil for sourceCDP.
	via   *extension.Via
	close func()
}

// startBrowser starts the Chromium of a source: for sourceCDP one with the
// recorder's flags, for sourceExtension one that recorder.NewBrowser starts
// with the extension loaded (WithExtension), the extension paired with a
// relay server of the harness's. ctx bounds the start only; the browser
// runs until close. logf takes the relay's diagnostics; it must be safe for
// concurrent use.
func startBrowser(ctx context.Context, source string, logf func(string, ...any)) (*browser, error) {
	if source == sourceExtension {
		return startExtension(ctx, logf)
	}
	path, err := recorder.FindChromium("")
	if err != nil {
		return nil, err
	}
	actx, acancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), chromiumFlags(path)...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &browser{source: sourceCDP, ctx: bctx, path: path, close: func() {
		_ = chromedp.Cancel(bctx)
		bcancel()
		acancel()
	}}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err = <-started:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err == nil {
		b.rec, err = recorder.BrowserFrom(bctx)
	}
	if err != nil {
		b.close()
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return b, nil
}

// extensionStartTimeout bounds the extension's start: its service worker
// comes up some seconds after the browser, then pairs.
const extensionStartTimeout = time.Minute

// startExtension starts a Chromium with gradiorec's extension, unpacked in
// a temporary folder, and pairs the extension with a relay server, as
// `gradiorec record --via extension` does.
func startExtension(ctx context.Context, logf func(string, ...any)) (*browser, error) {
	dir, err := extension.Unpack("")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, extensionStartTimeout)
	defer cancel()
	rb, err := recorder.NewBrowser(ctx, recorder.WithExtension(dir))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	via, err := extension.Connect(ctx, rb.Context(), logf)
	if err != nil {
		rb.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start the extension in %s: %w", rb.ExecPath(), err)
	}
	return &browser{source: sourceExtension, ctx: rb.Context(), rec: rb, path: rb.ExecPath(), via: via, close: func() {
		via.Close()
		rb.Close()
		os.RemoveAll(dir)
	}}, nil
}

// plainTab opens url in a new tab of b, without any capture: a tab as the
// recorder opens one in b (cookies and storage of its own, but in a browser
// with the extension, where every tab shares the default browser context;
// the same viewport), but no Network domain, no listener and no extension
// attached. It returns when the page shows the app. Cancel the context to
// close the tab.
func (b *browser) plainTab(ctx context.Context, url string) (context.Context, context.CancelFunc, error) {
	var opts []chromedp.ContextOption
	if b.via == nil {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	tab, cancel := chromedp.NewContext(b.ctx, opts...)
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	_, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: viewportWidth, Height: viewportHeight, DeviceScaleFactor: 1,
	})
	if err == nil {
		err = chromedp.Do(tab, chromedp.Navigate(url), waitRendered())
	}
	if err != nil {
		cancel()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, nil, fmt.Errorf("open %s in a plain tab: %w", url, err)
	}
	return tab, cancel, nil
}

// renderedJS is true once the page shows the Gradio app: the check the
// recorder makes before New returns (recorder/open.go, waitRendered).
const renderedJS = `(() => {
	const c = document.querySelector(".gradio-container");
	return document.readyState !== "loading" && !!c && !!c.querySelector(".block") &&
		![...c.querySelectorAll(".wrap.full, .loading-page")]
			.some((el) => el.getClientRects().length > 0 && !el.closest(".block"));
})()`

// waitRendered waits until the page shows the Gradio app, checking on every
// animation frame.
func waitRendered() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](renderedJS, chromedp.WithPollingTimeout(time.Minute))(ctx, t)
		return chromedp.Void{}, err
	}
}

// blockJS is a page function that returns the block (the element that
// wraps a component) whose label is its argument, or null: the label is a
// data-testid="block-info" title (textboxes, numbers) or a "block-label"
// one (JSON, images), the same in Gradio 4, 5 and 6.
const blockJS = `(label) => {
	for (const l of document.querySelectorAll('[data-testid="block-info"], [data-testid="block-label"]')) {
		if (l.textContent.trim() === label) return l.closest(".block") || l.parentElement;
	}
	return null;
}`

// valueJS is a page function that returns the value of the textbox or number
// whose label is its argument, or null.
const valueJS = `(label) => {
	const block = (` + blockJS + `)(label);
	const el = block && block.querySelector("textarea, input");
	return el ? el.value : null;
}`

// waitEchoed waits until the app's "echoed" box shows what its "text" box
// holds: the wait function of the session steps (sessionSteps), the same
// for the recorded and the plain tab. It checks on every animation frame,
// so it sees the answer in the frame that shows it.
func waitEchoed(ctx context.Context) error {
	expr := `(() => { const v = ` + valueJS + `; const t = v("text"); return t !== null && v("echoed") === t; })()`
	if err := chromedp.Do(ctx, pollTrue(expr)); err != nil {
		return fmt.Errorf("wait for the echoed text: %w", err)
	}
	return nil
}

// waitCounter waits until the app's "counter" shows n.
func waitCounter(ctx context.Context, n int) error {
	expr := fmt.Sprintf(`(() => { const v = (%s)("counter"); return v !== null && v !== "" && Number(v) === %d; })()`, valueJS, n)
	if err := chromedp.Do(ctx, pollTrue(expr)); err != nil {
		return fmt.Errorf("wait for the counter to show %d: %w", n, err)
	}
	return nil
}

// waitShown waits until the app's "stamp" JSON shows the tag.
func waitShown(ctx context.Context, tag string) error {
	want, _ := json.Marshal(tag)
	expr := fmt.Sprintf(`(() => { const b = (%s)("stamp"); return !!b && b.textContent.includes(%q); })()`, blockJS, want)
	if err := chromedp.Do(ctx, pollTrue(expr)); err != nil {
		return fmt.Errorf("wait for the stamp %s to show: %w", want, err)
	}
	return nil
}

// shownAt is how long after a click a wait on the page returned.
type shownAt struct {
	after time.Duration
	err   error
}

// timeShown runs wait in the background, while the caller waits for the
// recorder, and sends how long after start it returned.
func timeShown(start time.Time, wait func() error) <-chan shownAt {
	shown := make(chan shownAt, 1)
	go func() {
		err := wait()
		shown <- shownAt{time.Since(start), err}
	}()
	return shown
}

// pollTrue waits, checking on every animation frame, until the expression
// is true; ctx limits it.
func pollTrue(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(0))(ctx, t)
		return chromedp.Void{}, err
	}
}
