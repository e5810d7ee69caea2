package main

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/recorder"
)

// startRun is one start-up of each kind.
type startRun struct {
	recorder time.Duration // recorder.New with a browser of its own, until it returns
	load     time.Duration // bare Chromium: launch, navigate, until the load event
	rendered time.Duration // the same bare start, until the page shows the app
}

// startRecorder times recorder.New starting a browser of its own, as
// `gradiorec record URL` does: Chromium's launch, a tab, the page loaded and
// rendered, the app's config and /info read. It then stops the recorder
// (not timed).
func startRecorder(ctx context.Context, url string) (time.Duration, error) {
	start := time.Now()
	rec, err := recorder.New(ctx, url)
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	if len(rec.App().Endpoints) == 0 {
		err = fmt.Errorf("the recorder read no endpoints of %s", url)
	}
	_, serr := rec.Stop()
	if err == nil {
		err = serr
	}
	return took, err
}

// startBare times a bare Chromium start with the recorder's flags: launch,
// the recorder's viewport, navigate to url in the first tab until the load
// event, then until the page shows the app. It then ends the browser (not
// timed).
func startBare(ctx context.Context, path, url string) (load, rendered time.Duration, err error) {
	start := time.Now()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromiumFlags(path)...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	_, err = chromedp.Call(bctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: viewportWidth, Height: viewportHeight, DeviceScaleFactor: 1,
	})
	if err == nil {
		err = chromedp.Do(bctx, chromedp.Navigate(url))
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bare Chromium: open %s: %w", url, err)
	}
	load = time.Since(start)
	if err := chromedp.Do(bctx, waitRendered()); err != nil {
		return 0, 0, fmt.Errorf("bare Chromium: %s shows no app: %w", url, err)
	}
	rendered = time.Since(start)
	_ = chromedp.Cancel(bctx)
	return load, rendered, nil
}
