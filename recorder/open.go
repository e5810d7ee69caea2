package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/pause"
)

// open navigates the tab to the app, logs in if needed and reads what the
// app is: its config from the page and its endpoint schema from /info. The
// app may be the page, or run in a frame of another site that the page
// embeds; r.page is then that frame.
func (r *Recorder) open(ctx context.Context, pageURL string) (*appModel, error) {
	tab, cancel := context.WithCancel(r.tab)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()

	appURL, cfg, err := r.load(ctx, tab, pageURL)
	if err != nil {
		return nil, err
	}
	loggedIn := false
	if cfg.AuthRequired {
		if r.s.user == "" {
			return nil, fmt.Errorf("record %s: %w: give credentials (WithLogin)", pageURL, ErrLoginRequired)
		}
		page, done := r.in(ctx, r.page)
		err := r.login(page, appRoot(appURL, cfg.Root))
		done()
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", pageURL, err)
		}
		if appURL, cfg, err = r.load(ctx, tab, pageURL); err != nil {
			return nil, err
		}
		if cfg.AuthRequired {
			return nil, fmt.Errorf("record %s: %w: still asked to log in after logging in", pageURL, ErrLoginFailed)
		}
		loggedIn = true
	}
	page, done := r.in(ctx, r.page)
	r.waitRendered(page)
	done()
	if r.relay != nil {
		m, err := r.relayedApp(ctx)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", pageURL, err)
		}
		m.app.URL, m.app.Auth = pageURL, loggedIn
		return m, nil
	}
	root := appRoot(appURL, cfg.Root)
	var info bytes.Buffer
	infoURL := root + cfg.APIPrefix + "/info?all_endpoints=true"
	if _, err := tabFetch(r.page, ctx, infoURL, &info); err != nil {
		// Without /info the inputs are named param_<i>; still worth recording.
		r.s.logf("recorder: %v; inputs will be named by position", err)
		info.Reset()
	}
	m, err := newAppModel(appURL, cfg, info.Bytes())
	if err != nil {
		r.s.logf("recorder: %v; inputs will be named by position", err)
		if m, err = newAppModel(appURL, cfg, nil); err != nil {
			return nil, fmt.Errorf("record %s: %w", pageURL, err)
		}
	}
	m.app.URL, m.app.Auth = pageURL, loggedIn
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("record %s: %w", pageURL, err)
	}
	return m, nil
}

// in returns a context for running actions in page (a chromedp context)
// that also ends with ctx or the tab; call done when finished with it.
func (r *Recorder) in(ctx, page context.Context) (run context.Context, done func()) {
	run, cancel := context.WithCancel(page)
	stopCtx := context.AfterFunc(ctx, cancel)
	stopTab := context.AfterFunc(r.tab, cancel)
	return run, func() { stopCtx(); stopTab(); cancel() }
}

// load navigates to the page and finds the Gradio app: the page itself,
// or a frame of another site in it (a Space's page embeds its app from
// *.hf.space). It sets r.page to where the app runs, and returns the app's
// URL and config.
func (r *Recorder) load(ctx, tab context.Context, pageURL string) (string, *gradio.Config, error) {
	if r.s.target != "" {
		return r.loaded(ctx, tab, pageURL)
	}
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(pageURL))
	if err != nil {
		if tab.Err() != nil {
			return "", nil, fmt.Errorf("open %s: %w", pageURL, tab.Err())
		}
		if strings.Contains(err.Error(), "net::ERR_") {
			return "", nil, fmt.Errorf("open %s: %w: %w", pageURL, ErrUnreachable, err)
		}
		return "", nil, fmt.Errorf("open %s: %w", pageURL, err)
	}
	r.page = r.tab
	cfg, err := r.config(ctx, tab, pageURL)
	if err != nil {
		return "", nil, fmt.Errorf("open %s: %w", pageURL, err)
	}
	if cfg != nil {
		return pageURL, cfg, nil
	}
	if frame, frameURL, cfg := r.appFrame(ctx, tab); cfg != nil {
		r.page = frame
		return frameURL, cfg, nil
	}
	status := 0
	if resp != nil {
		status = int(resp.Status)
	}
	if status == 401 || status == 403 {
		return "", nil, fmt.Errorf("open %s: HTTP %d: %w", pageURL, status, ErrLoginRequired)
	}
	return "", nil, fmt.Errorf("open %s: %w (HTTP %d, no window.gradio_config and no /config, in the page or a frame)", pageURL, ErrNotGradio, status)
}

// loaded finds the Gradio app in a tab that is open already (WithTab),
// whose page must be at pageURL (or embed the app).
func (r *Recorder) loaded(ctx, tab context.Context, pageURL string) (string, *gradio.Config, error) {
	here, err := r.loadedURL(tab)
	if err != nil {
		return "", nil, err
	}
	r.page = r.tab
	cfg, err := r.config(ctx, tab, here)
	if err != nil {
		return "", nil, fmt.Errorf("record the tab at %s: %w", here, err)
	}
	if cfg == nil {
		frame, frameURL, fcfg := r.appFrame(ctx, tab)
		if fcfg == nil {
			return "", nil, fmt.Errorf("record the tab at %s: %w (no window.gradio_config and no /config, in the page or a frame)", here, ErrNotGradio)
		}
		r.page, here, cfg = frame, frameURL, fcfg
	}
	if cfg.AuthRequired {
		return "", nil, fmt.Errorf("record the tab at %s: %w: log in in the browser first", here, ErrLoginRequired)
	}
	return here, cfg, nil
}

// loadedURL waits until the tab's page has loaded (a tab still loading,
// or navigating, is waited for up to renderLimit) and returns its address.
func (r *Recorder) loadedURL(tab context.Context) (string, error) {
	deadline := time.Now().Add(renderLimit)
	for {
		here, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.readyState === "complete" && /^https?:/.test(location.href) ? location.href : ""`))
		switch {
		case err == nil && here != "":
			return here, nil
		case tab.Err() != nil:
			return "", fmt.Errorf("read the tab's address: %w", tab.Err())
		case time.Now().After(deadline):
			return "", fmt.Errorf("the tab has not loaded a web page after %s (%v): open the app in it", renderLimit, err)
		}
		pause.For(tab, 50*time.Millisecond)
	}
}

// config reads the Gradio config of the page that runs in page (a
// chromedp context) at pageURL: window.gradio_config, or the app's /config
// when the page does not inline it (server-side rendering). It is nil for
// a page that is not a Gradio app.
func (r *Recorder) config(ctx, page context.Context, pageURL string) (*gradio.Config, error) {
	// Once the page's scripts run, Gradio may have linked objects into the
	// config so that it no longer serialises (a circular structure, seen
	// with 5.x after a login): it is then read from /config.
	run, done := r.in(ctx, page)
	raw, err := chromedp.Run(run, chromedp.Evaluate[string](`(() => {
		try { return window.gradio_config ? JSON.stringify(window.gradio_config) : ""; } catch { return ""; }
	})()`))
	done()
	if err != nil {
		return nil, fmt.Errorf("read the config: %w", err)
	}
	if raw != "" {
		if cfg, err := gradio.ParseConfig([]byte(raw)); err == nil {
			return cfg, nil
		}
	}
	var body bytes.Buffer
	if _, err := tabFetch(page, ctx, appRoot(pageURL, "")+"/config", &body); err == nil {
		if cfg, err := gradio.ParseConfig(body.Bytes()); err == nil {
			return cfg, nil
		}
	}
	return nil, nil
}

// appFrame finds a Gradio app in a frame of another site that the page
// embeds (Chromium runs each such frame in a target of its own, a child of
// the tab's), nearest first, and returns the frame's chromedp context, URL
// and config; the config is nil when there is none. Frames still loading
// are waited for, up to frameWait.
func (r *Recorder) appFrame(ctx, tab context.Context) (context.Context, string, *gradio.Config) {
	c := chromedp.FromContext(tab)
	if c == nil || c.Target == nil {
		return nil, "", nil
	}
	tried := map[target.ID]bool{}
	deadline := time.Now().Add(frameWait)
	for ctx.Err() == nil {
		targets, err := chromedp.Targets(tab)
		if err != nil {
			r.s.logf("recorder: the page's frames: %v", err)
			return nil, "", nil
		}
		for _, t := range childFrames(targets, c.Target.TargetID) {
			if tried[t.TargetID] || !strings.HasPrefix(t.URL, "http") {
				continue
			}
			tried[t.TargetID] = true
			frame := r.frame(t.TargetID)
			if frame == nil {
				continue
			}
			cfg, err := r.config(ctx, frame, t.URL)
			if err == nil && cfg != nil {
				return frame, t.URL, cfg
			}
		}
		frames, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("iframe, frame").length`))
		if err != nil || frames == len(tried) || time.Now().After(deadline) {
			return nil, "", nil
		}
		pause.For(ctx, 100*time.Millisecond)
	}
	return nil, "", nil
}

// frameWait bounds the wait for the frames of a page that embeds an app.
const frameWait = 10 * time.Second

// childFrames returns the frame targets below the tab's, breadth first.
func childFrames(targets []*target.Info, tab target.ID) []*target.Info {
	var out []*target.Info
	parents := []target.ID{tab}
	for len(parents) > 0 {
		parent := parents[0]
		parents = parents[1:]
		for _, t := range targets {
			if t.Type == "iframe" && t.ParentID == parent {
				out = append(out, t)
				parents = append(parents, t.TargetID)
			}
		}
	}
	return out
}

// frame returns a chromedp context on the frame whose target is id (a
// frame of another site, which Chromium runs in a target of its own), or
// nil when it has none. The DevTools source has attached to it already;
// otherwise the recorder attaches until Stop.
func (r *Recorder) frame(id target.ID) context.Context {
	if src, ok := r.src.(*cdpSource); ok {
		if f := src.frame(id); f != nil {
			return f
		}
	}
	f, cancel := chromedp.NewContext(r.tab, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	if err := chromedp.Do(f); err != nil {
		r.s.logf("recorder: attach to the frame %s: %v", id, err)
		cancel()
		return nil
	}
	r.frames = append(r.frames, cancel)
	return f
}

// login posts the credentials to the app's login route from the page, so
// the browser keeps the session cookie. The password goes to the browser
// only, never to the recording (the core ignores the request).
func (r *Recorder) login(tab context.Context, root string) error {
	args, err := json.Marshal([]string{r.s.user, r.s.password, root + "/login"})
	if err != nil {
		return err
	}
	status, err := chromedp.Run(tab, chromedp.Evaluate[int](`(async ([username, password, url]) => {
		const r = await fetch(url, {method: "POST", credentials: "same-origin",
			body: new URLSearchParams({username, password})});
		return r.status;
	})(`+string(args)+`)`, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	switch {
	case status == 200:
		return nil
	case status == 400 || status == 401 || status == 403:
		return fmt.Errorf("%w (HTTP %d) as %q", ErrLoginFailed, status, r.s.user)
	}
	return fmt.Errorf("log in at %s/login: HTTP %d", root, status)
}

// renderLimit bounds how long New waits for the app to show.
const renderLimit = 30 * time.Second

// waitRendered waits until the page shows the app: Gradio renders it after
// the page has loaded. An app that does not show is still recorded.
func (r *Recorder) waitRendered(tab context.Context) {
	ctx, cancel := context.WithTimeout(tab, renderLimit)
	defer cancel()
	// Gradio shows an app-wide loading status (a ".wrap.full" outside every
	// component) until the components are there.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => {
		const c = document.querySelector(".gradio-container");
		return document.readyState !== "loading" && !!c && !!c.querySelector(".block") &&
			![...c.querySelectorAll(".wrap.full, .loading-page")]
				.some((el) => el.getClientRects().length > 0 && !el.closest(".block"));
	})()`,
		chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		r.s.logf("recorder: the page shows no Gradio app after %s: %v", renderLimit, err)
	}
}

// relayedApp waits for the extension to relay the page of a Gradio app
// that needs no login, and makes the app's model of it.
func (r *Recorder) relayedApp(ctx context.Context) (*appModel, error) {
	var cfg *gradio.Config
	p, err := r.relay.waitPage(ctx, func(p relayPage) bool {
		c, err := gradio.ParseConfig(p.config)
		if err != nil {
			r.s.logf("recorder: the relayed page %s: %v", p.url, err)
			return false
		}
		cfg = c
		return !c.AuthRequired // the login page: the app comes after it
	})
	if err != nil {
		return nil, err
	}
	m, err := newAppModel(p.url, cfg, p.info)
	if err != nil {
		r.s.logf("recorder: %v; inputs will be named by position", err)
		if m, err = newAppModel(p.url, cfg, nil); err != nil {
			return nil, err
		}
	}
	r.relay.setRoot(m.app.Root)
	return m, nil
}

// hosts lists the hosts of the given URLs, once each.
func hosts(urls ...string) []string {
	var out []string
	for _, s := range urls {
		if u, err := url.Parse(s); err == nil && u.Host != "" && !slices.Contains(out, u.Host) {
			out = append(out, u.Host)
		}
	}
	return out
}
