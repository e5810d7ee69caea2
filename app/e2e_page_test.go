package app_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/recorder"
)

// calculator is where the controls of testdata/apps/calculator.py are on
// its page at a given viewport size, in CSS pixels: the centres of the two
// number fields, of the "multiply" option and of the Submit button.
type calculator struct {
	Num1, Multiply, Num2, Submit image.Point
	// Probe is a point of the Submit button away from its label, and
	// ProbeColour its colour there.
	Probe       image.Point
	ProbeColour color.Color
}

// controlsJS finds the calculator's controls by their labels, once the
// page's fonts are in (they move the layout), or returns null.
const controlsJS = `document.fonts.ready.then(() => {
	const at = (el, dx) => {
		const r = el?.getBoundingClientRect();
		return r?.width > 2 * dx && r?.height ? { X: Math.round(r.left + (dx || r.width / 2)), Y: Math.round(r.top + r.height / 2) } : null;
	};
	const centre = (el) => at(el, 0);
	const submit = [...document.querySelectorAll('button')].find((b) => b.innerText.trim() === 'Submit');
	const points = {
		Num1: centre(document.querySelector('input[type=number][aria-label="num1"]')),
		Multiply: centre(document.querySelector('input[type=radio][value="multiply"]')?.closest('label')),
		Num2: centre(document.querySelector('input[type=number][aria-label="num2"]')),
		Submit: centre(submit),
		Probe: at(submit, 6),
	};
	return Object.values(points).every(Boolean) ? points : null;
})`

// locateCalculator loads the app in a headless Chromium of the test's own,
// with a viewport of the live view's size, and reads where the controls
// are: the live view shows the page 1:1, so the points are the same there.
func locateCalculator(t *testing.T, url string, size image.Point) calculator {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	b, err := recorder.NewBrowser(ctx)
	if err != nil {
		t.Fatalf("start the reference Chromium: %v", err)
	}
	defer b.Close()
	tab, closeTab, err := b.Tab(size.X, size.Y)
	if err != nil {
		t.Fatalf("open the reference tab: %v", err)
	}
	defer closeTab()
	tab, cancelTab := context.WithTimeout(tab, waitLimit)
	defer cancelTab()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("load %s in the reference tab: %v", url, err)
	}
	c, err := chromedp.Run(tab, chromedp.Poll[calculator](controlsJS,
		chromedp.WithPollingInterval(pollEvery), chromedp.WithPollingTimeout(waitLimit)))
	if err != nil {
		t.Fatalf("find the calculator's fields, option and button on %s: %v", url, err)
	}
	shot, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err == nil {
		var img image.Image
		if img, err = png.Decode(bytes.NewReader(shot)); err == nil {
			c.ProbeColour = img.At(c.Probe.X, c.Probe.Y)
		}
	}
	if err != nil {
		t.Fatalf("screenshot the reference tab: %v", err)
	}
	return c
}
