package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"time"

	"github.com/chromedp/chromedp"
)

// endReason is why a recording ended before its steps did, or why an
// interactive one ended: the cause of the recording's context.
type endReason struct {
	msg    string
	normal bool // how an interactive session ends (exit 0), not a failure
}

func (r *endReason) Error() string { return r.msg }

// How the app is watched: a probe every appProbeEvery; the app is gone after
// appProbeFailures probes in a row got no answer.
const (
	appProbeEvery    = time.Second
	appProbeFailures = 3
	appProbeTimeout  = 5 * time.Second
)

// watchApp ends the recording (end) when the app at root stops answering:
// its process died, or the host went away. Any HTTP answer counts as alive
// (a login page, a 404), except a proxy's 502, 503 or 504. It returns when
// ctx ends.
func watchApp(ctx context.Context, root string, end context.CancelCauseFunc) {
	client := probeClient()
	t := time.NewTicker(appProbeEvery)
	defer t.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := probeApp(ctx, client, root+"/")
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			failures = 0
			continue
		}
		if failures++; failures >= appProbeFailures {
			end(&endReason{msg: fmt.Sprintf("the app stopped answering (%v)", err)})
			return
		}
	}
}

// probeClient is the HTTP client of probeApp: any answer counts, a redirect
// too.
func probeClient() *http.Client {
	return &http.Client{
		Timeout:       appProbeTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// probeApp asks the app for its page's headers.
func probeApp(ctx context.Context, client *http.Client, page string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, page, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the method and the quoted URL
		}
		return fmt.Errorf("%s: %w", page, err)
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return fmt.Errorf("%s: HTTP %s", page, resp.Status)
	}
	return nil
}

// watchBrowser ends the recording (end) when its tab goes away: the window
// was closed (a normal end in an interactive session, where the person
// closed it), or Chromium exited (normal only when it exited by itself with
// status 0 in an interactive session: the person quit it). It returns when
// ctx ends.
func watchBrowser(ctx context.Context, tab context.Context, interactive bool, end context.CancelCauseFunc) {
	c := chromedp.FromContext(tab)
	if c == nil || c.Browser == nil {
		return
	}
	lost := c.Browser.LostConnection
	detached, err := chromedp.Detached(tab)
	if err != nil {
		detached = nil
	}
	select {
	case <-ctx.Done():
		return
	case <-detached:
	case <-tab.Done():
	case <-lost:
	}
	// A tab also goes when its browser dies: wait a moment to tell which.
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return
	case <-lost:
	case <-t.C:
		end(&endReason{msg: "the browser window was closed", normal: interactive})
		return
	}
	if ctx.Err() != nil {
		return // we closed it
	}
	end(browserExit(tab, interactive))
}

// browserExit says how Chromium ended, from its exit status.
func browserExit(tab context.Context, interactive bool) *endReason {
	// chromedp adds the exit status of a browser that died on its own to
	// the error of an action.
	_, err := chromedp.Run(tab, chromedp.Action[struct{}](func(context.Context, *chromedp.Target) (struct{}, error) {
		return struct{}{}, context.Canceled
	}))
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return &endReason{msg: fmt.Sprintf("Chromium ended unexpectedly (%v)", exit)}
	}
	if interactive {
		return &endReason{msg: "the browser was closed", normal: true}
	}
	return &endReason{msg: "Chromium exited"}
}

// gone tells whether Chromium or the app at root went away (nil when both
// are there), for a step that failed.
func gone(ctx context.Context, tab context.Context, root string) *endReason {
	if c := chromedp.FromContext(tab); c != nil && c.Browser != nil {
		select {
		case <-c.Browser.LostConnection:
			return browserExit(tab, false)
		default:
		}
	}
	if detached, err := chromedp.Detached(tab); err == nil {
		select {
		case <-detached:
			return &endReason{msg: "the browser window was closed"}
		default:
		}
	}
	ctx, cancel := context.WithTimeout(ctx, appProbeTimeout)
	defer cancel()
	if err := probeApp(ctx, probeClient(), root+"/"); err != nil {
		return &endReason{msg: fmt.Sprintf("the app stopped answering (%v)", err)}
	}
	return nil
}
