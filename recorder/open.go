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

	"github.com/chromedp/chromedp"
)

// open navigates the tab to the app, logs in if needed and reads what the
// app is: its config from the page and its endpoint schema from /info.
func (r *Recorder) open(ctx context.Context, pageURL string) (*appModel, error) {
	tab, cancel := context.WithCancel(r.tab)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()

	cfg, err := r.load(tab, pageURL)
	if err != nil {
		return nil, err
	}
	loggedIn := false
	if cfg.AuthRequired {
		if r.s.user == "" {
			return nil, fmt.Errorf("record %s: %w: give credentials (WithLogin)", pageURL, ErrLoginRequired)
		}
		if err := r.login(tab, appRoot(pageURL, cfg.Root)); err != nil {
			return nil, fmt.Errorf("record %s: %w", pageURL, err)
		}
		if cfg, err = r.load(tab, pageURL); err != nil {
			return nil, err
		}
		if cfg.AuthRequired {
			return nil, fmt.Errorf("record %s: %w: still asked to log in after logging in", pageURL, ErrLoginFailed)
		}
		loggedIn = true
	}
	r.waitRendered(tab)
	if r.relay != nil {
		m, err := r.relayedApp(ctx)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", pageURL, err)
		}
		m.app.URL, m.app.Auth = pageURL, loggedIn
		return m, nil
	}
	root := appRoot(pageURL, cfg.Root)
	var info bytes.Buffer
	infoURL := root + cfg.APIPrefix + "/info?all_endpoints=true"
	if _, err := r.src.fetch(tab, infoURL, &info); err != nil {
		// Without /info the inputs are named param_<i>; still worth recording.
		r.s.logf("recorder: %v; inputs will be named by position", err)
		info.Reset()
	}
	m, err := newAppModel(pageURL, cfg, info.Bytes())
	if err != nil {
		r.s.logf("recorder: %v; inputs will be named by position", err)
		if m, err = newAppModel(pageURL, cfg, nil); err != nil {
			return nil, fmt.Errorf("record %s: %w", pageURL, err)
		}
	}
	m.app.Auth = loggedIn
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("record %s: %w", pageURL, err)
	}
	return m, nil
}

// load navigates to the page and reads the Gradio config it carries
// (window.gradio_config), or the app's /config when the page does not
// inline it (server-side rendering).
func (r *Recorder) load(tab context.Context, pageURL string) (*configJSON, error) {
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(pageURL))
	if err != nil {
		if tab.Err() != nil {
			return nil, fmt.Errorf("open %s: %w", pageURL, tab.Err())
		}
		if strings.Contains(err.Error(), "net::ERR_") {
			return nil, fmt.Errorf("open %s: %w: %w", pageURL, ErrUnreachable, err)
		}
		return nil, fmt.Errorf("open %s: %w", pageURL, err)
	}
	// Once the page's scripts run, Gradio may have linked objects into the
	// config so that it no longer serialises (a circular structure, seen
	// with 5.x after a login): it is then read from /config.
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
		try { return window.gradio_config ? JSON.stringify(window.gradio_config) : ""; } catch { return ""; }
	})()`))
	if err != nil {
		return nil, fmt.Errorf("open %s: read the config: %w", pageURL, err)
	}
	if raw != "" {
		cfg, err := parseConfig([]byte(raw))
		if err == nil {
			return cfg, nil
		}
	}
	// Server-side rendering: the page does not inline the config.
	// (Or it no longer serialises.)
	var body bytes.Buffer
	if _, err := tabFetch(r.tab, tab, appRoot(pageURL, "")+"/config", &body); err == nil {
		if cfg, err := parseConfig(body.Bytes()); err == nil {
			return cfg, nil
		}
	}
	status := 0
	if resp != nil {
		status = int(resp.Status)
	}
	if status == 401 || status == 403 {
		return nil, fmt.Errorf("open %s: HTTP %d: %w", pageURL, status, ErrLoginRequired)
	}
	return nil, fmt.Errorf("open %s: %w (HTTP %d, no window.gradio_config and no /config)", pageURL, ErrNotGradio, status)
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
	var cfg *configJSON
	p, err := r.relay.waitPage(ctx, func(p relayPage) bool {
		c, err := parseConfig(p.config)
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
