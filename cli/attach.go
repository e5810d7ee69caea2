package cli

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"

	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/recorder"
)

// debugEndpoint checks --attach: a port, host:port or an http or ws URL of
// a Chromium's remote debugging endpoint, on this machine only (the
// endpoint gives whoever reaches it the whole browser).
func debugEndpoint(s string) (string, error) {
	if _, err := strconv.Atoi(s); err == nil {
		s = "127.0.0.1:" + s
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "ws") {
		return "", usagef("--attach %q: give the browser's remote debugging port, e.g. --attach 9222 or --attach http://127.0.0.1:9222", s)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); !(host == "localhost" || ip != nil && ip.IsLoopback()) {
		return "", usagef("--attach %s: gradiorec attaches to a browser on this machine only (127.0.0.1 or localhost)", s)
	}
	return u.String(), nil
}

// attachedTab is the tab of a running Chromium that --attach records.
type attachedTab struct {
	options []recorder.Option
	close   func()
}

// attachTab connects to the Chromium at endpoint and finds the tab that
// shows the app at appURL (or a page that embeds it: the first tab whose
// address starts with appURL, else the only one open).
func attachTab(ctx context.Context, endpoint, appURL string, p *printer) (*attachedTab, error) {
	actx, acancel := remote.NewAllocator(context.WithoutCancel(ctx), endpoint)
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	closeAll := func() { bcancel(); acancel() }
	targets, err := chromedp.Targets(bctx)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("attach to the browser at %s: %w\n"+
			"start Chromium with --remote-debugging-port=PORT --user-data-dir=DIR (Chrome 136 and later ignore the port on the default profile)", endpoint, err)
	}
	var pages []string
	id := ""
	want := strings.TrimSuffix(appURL, "/")
	for _, t := range targets {
		if t.Type != "page" {
			continue
		}
		pages = append(pages, term.Escape(t.URL))
		if id == "" && strings.HasPrefix(t.URL, want) {
			id = string(t.TargetID)
		}
	}
	if id == "" && len(pages) == 1 {
		for _, t := range targets {
			if t.Type == "page" {
				id = string(t.TargetID)
			}
		}
	}
	if id == "" {
		closeAll()
		return nil, fmt.Errorf("no tab of the browser at %s shows %s (its tabs: %s): open the app in a tab, then record again",
			endpoint, appURL, strings.Join(pages, ", "))
	}
	b, err := recorder.BrowserFrom(bctx)
	if err != nil {
		closeAll()
		return nil, err
	}
	p.printf("attached to the browser at %s: recording its tab as it is (calls made before now are not recorded)", endpoint)
	return &attachedTab{options: []recorder.Option{recorder.WithBrowser(b), recorder.WithTab(id)}, close: closeAll}, nil
}
