package backend_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/extension"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
)

// browser is the one headless Chromium of the test binary, with
// gradiorec's extension loaded: started by the first test that needs it,
// closed by TestMain, which checks that its profile is gone. Its tabs
// share one browser context, as a person's do.
var browser struct {
	once sync.Once
	b    *recorder.Browser
	dir  string // the unpacked extension and the profile
	err  error
}

// testBrowser returns the shared browser, starting it if needed.
func testBrowser(t *testing.T) *recorder.Browser {
	t.Helper()
	_, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	browser.once.Do(func() {
		if browser.dir, browser.err = os.MkdirTemp("", "gradiorec-backend-test-"); browser.err != nil {
			return
		}
		unpacked, err := extension.Unpack(browser.dir)
		if err != nil {
			browser.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		browser.b, browser.err = recorder.NewBrowser(ctx, recorder.WithExtension(unpacked),
			recorder.WithProfileDir(browser.dir+"/profile"))
	})
	if browser.err != nil {
		t.Fatalf("start Chromium with the extension: %v", browser.err)
	}
	return browser.b
}

// closeBrowser closes the shared browser and checks that its folder is
// gone.
func closeBrowser() error {
	if browser.dir == "" {
		return nil
	}
	if browser.b != nil {
		browser.b.Close()
	}
	os.RemoveAll(browser.dir)
	if _, err := os.Stat(browser.dir); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the test browser's folder %s was left behind", browser.dir)
	}
	return nil
}

// hook awaits globalThis.gradiorec[name](args...) in the extension's
// service worker (README "hooks") and decodes its result into out. The
// worker is looked up afresh: it may have restarted.
func hook(t *testing.T, name string, out any, args ...any) error {
	t.Helper()
	ctx := testContext(t, wait)
	worker, cancel, err := extension.Worker(ctx, testBrowser(t).Context())
	if err != nil {
		return err
	}
	defer cancel()
	if args == nil {
		args = []any{}
	}
	a, _ := json.Marshal(args)
	expr := fmt.Sprintf(`(async () => {
		const r = await globalThis.gradiorec[%q](...%s);
		return r === undefined ? null : r;
	})()`, name, a)
	run, stop := context.WithCancel(worker)
	defer stop()
	defer context.AfterFunc(ctx, stop)()
	raw, err := chromedp.Run(run, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("the worker's %s hook: %w", name, err)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// tab opens a tab of the shared browser at url, closed when the test
// ends, and returns its chromedp context.
func tab(t *testing.T, url string, width, height int) context.Context {
	t.Helper()
	ctx, cancel, err := testBrowser(t).Tab(width, height)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return ctx
}

// tabID is the extension's id of the tab of a chromedp context.
func tabID(t *testing.T, ctx context.Context) int {
	t.Helper()
	var id int
	if err := hook(t, "tabId", &id, string(chromedp.FromContext(ctx).Target.TargetID)); err != nil {
		t.Fatal(err)
	}
	return id
}

// panel is the extension's side panel, opened as a page of its own
// pinned to a tab (panel.html?tab=ID): a side panel cannot be opened in a
// headless browser.
type panel struct {
	t   *testing.T
	ctx context.Context
}

// A side panel's usual size.
const panelWidth, panelHeight = 400, 800

// openPanel opens the panel for the tab of appTab.
func openPanel(t *testing.T, appTab context.Context) *panel {
	t.Helper()
	id := tabID(t, appTab)
	url := "chrome-extension://" + extension.ID + "/panel.html?tab=" + strconv.Itoa(id)
	p := &panel{t: t, ctx: tab(t, url, panelWidth, panelHeight)}
	p.until(`document.querySelector("#pair-state")?.dataset.connection !== undefined`, "the panel shows the connection")
	return p
}

// do runs chromedp actions in the panel, within wait.
func (p *panel) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, wait)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("the panel: %v\n%s", err, p.dump())
	}
}

// eval evaluates a JavaScript expression in the panel.
func eval[T any](p *panel, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, wait)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("the panel: %s: %v\n%s", expr, err, p.dump())
	}
	return v
}

// click clicks a button of the panel once it is enabled.
func (p *panel) click(sel string) {
	p.t.Helper()
	p.until(fmt.Sprintf(`!document.querySelector(%q).disabled`, sel), sel+" is enabled")
	p.do(chromedp.Click(chromedp.CSS(sel)))
}

// text is the text of an element of the panel.
func (p *panel) text(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`document.querySelector(%q).textContent`, sel))
}

// until waits until the JavaScript expression cond is true in the panel.
// It polls on the page's animation frames: no sleeping.
func (p *panel) until(cond, what string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, wait)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(0))); err != nil {
		p.t.Fatalf("the panel: waiting until %s: %v\n%s", what, err, p.dump())
	}
}

// waitText waits until the element's text holds want and returns it.
func (p *panel) waitText(sel, want string) string {
	p.t.Helper()
	p.until(fmt.Sprintf(`(document.querySelector(%q)?.textContent ?? "").includes(%q)`, sel, want),
		fmt.Sprintf("%s says %q", sel, want))
	return p.text(sel)
}

// dump is what the panel shows, for failures.
func (p *panel) dump() string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		return "(the panel does not answer: " + err.Error() + ")"
	}
	return "the panel shows:\n" + s
}

// pair types the port and the code in the panel, presses Pair, and waits
// until the panel says it is paired.
func (p *panel) pair(port int, code string) {
	p.t.Helper()
	// Emptied as a person does before typing: an input event each.
	eval[bool](p, `for (const id of ["#port", "#code"]) {
		const field = document.querySelector(id);
		field.value = "";
		field.dispatchEvent(new Event("input"));
	}
	true`)
	p.do(
		chromedp.SendKeys(chromedp.CSS("#port"), strconv.Itoa(port)),
		chromedp.SendKeys(chromedp.CSS("#code"), code),
	)
	p.click("#pair")
	p.waitText("#pair-state", fmt.Sprintf("paired with gradiorec on port %d", port))
}

// waitCalls waits until the panel lists n calls with the status.
func (p *panel) waitCalls(status string, n int) {
	p.t.Helper()
	p.until(fmt.Sprintf(`document.querySelectorAll('#calls li[data-status=%q]').length >= %d`, status, n),
		fmt.Sprintf("%d calls are %s", n, status))
}

// endpoints are the endpoints the panel lists, in order.
func (p *panel) endpoints() []string {
	p.t.Helper()
	return eval[[]string](p, `[...document.querySelectorAll('#calls .endpoint')].map(e => e.textContent)`)
}

// screenshot writes what the panel shows to path, as a PNG.
func (p *panel) screenshot(path string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, wait)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("wrote %s", path)
}

// joined is for messages.
func joined(s []string) string { return strings.Join(s, ", ") }
