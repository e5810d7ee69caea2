// Package watch tells when a recording must end because what it records went
// away: the app stopped answering, or the browser tab or Chromium ended. The
// CLI's record command and the desktop app share it.
package watch

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

// End is why a recording ended before its steps did, or why an interactive
// one ended: the cause of the recording's context.
type End struct {
	Msg    string
	Normal bool  // how an interactive session ends (exit 0), not a failure
	Of     Party // what went away
}

func (r *End) Error() string { return r.Msg }

// Party is what went away.
type Party string

// The parties of an End.
const (
	TheApp     Party = "app"     // the app stopped answering
	TheTab     Party = "tab"     // the browser window or tab was closed
	TheBrowser Party = "browser" // Chromium exited
)

// How App watches: a probe every probeEvery; the app is gone after
// probeFailures probes in a row got no answer.
const (
	probeEvery    = time.Second
	probeFailures = 3
	ProbeTimeout  = 5 * time.Second
)

// App ends the recording (end) when the app at root stops answering:
// its process died, or the host went away. Any HTTP answer counts as alive
// (a login page, a 404), except a proxy's 502, 503 or 504. It returns when
// ctx ends.
func App(ctx context.Context, root string, end context.CancelCauseFunc) {
	client := ProbeClient()
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := Probe(ctx, client, root+"/")
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			failures = 0
			continue
		}
		if failures++; failures >= probeFailures {
			end(&End{Msg: fmt.Sprintf("the app stopped answering (%v)", err), Of: TheApp})
			return
		}
	}
}

// ProbeClient is the HTTP client of probeApp: any answer counts, a redirect
// too.
func ProbeClient() *http.Client {
	return &http.Client{
		Timeout:       ProbeTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Probe asks the app for its page's headers.
func Probe(ctx context.Context, client *http.Client, page string) error {
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

// Browser ends the recording (end) when its tab goes away: the window
// was closed (a normal end in an interactive session, where the person
// closed it), or Chromium exited (normal only when it exited by itself with
// status 0 in an interactive session: the person quit it). It returns when
// ctx ends.
func Browser(ctx context.Context, tab context.Context, interactive bool, end context.CancelCauseFunc) {
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
		end(&End{Msg: "the browser window was closed", Normal: interactive, Of: TheTab})
		return
	}
	if ctx.Err() != nil {
		return // we closed it
	}
	end(browserExit(tab, interactive))
}

// browserExit says how Chromium ended, from its exit status.
func browserExit(tab context.Context, interactive bool) *End {
	// chromedp adds the exit status of a browser that died on its own to
	// the error of an action.
	_, err := chromedp.Run(tab, chromedp.Action[struct{}](func(context.Context, *chromedp.Target) (struct{}, error) {
		return struct{}{}, context.Canceled
	}))
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return &End{Msg: fmt.Sprintf("Chromium ended unexpectedly (%v)", exit), Of: TheBrowser}
	}
	if interactive {
		return &End{Msg: "the browser was closed", Normal: true, Of: TheBrowser}
	}
	return &End{Msg: "Chromium exited", Of: TheBrowser}
}

// Gone tells whether Chromium or the app at root went away (nil when both
// are there), for a step that failed.
func Gone(ctx context.Context, tab context.Context, root string) *End {
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
			return &End{Msg: "the browser window was closed", Of: TheTab}
		default:
		}
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	if err := Probe(ctx, ProbeClient(), root+"/"); err != nil {
		return &End{Msg: fmt.Sprintf("the app stopped answering (%v)", err), Of: TheApp}
	}
	return nil
}
