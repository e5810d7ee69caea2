package recorder

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestFindChromium(t *testing.T) {
	t.Setenv("GRADIOREC_CHROMIUM", "")
	if _, err := FindChromium("/nonexistent/chromium"); !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "/nonexistent/chromium") {
		t.Errorf("missing explicit path: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	old := chromiumPaths
	chromiumPaths = []string{"/nonexistent/a", "no-such-browser"}
	defer func() { chromiumPaths = old }()
	_, err := FindChromium("")
	if !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "/nonexistent/a, no-such-browser") ||
		!strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("nothing found: %v", err)
	}
	t.Setenv("GRADIOREC_CHROMIUM", "/bin/sh")
	if p, err := FindChromium(""); err != nil || p != "/bin/sh" {
		t.Errorf("GRADIOREC_CHROMIUM: %q, %v", p, err)
	}
}

func TestBrowserFrom(t *testing.T) {
	if _, err := BrowserFrom(context.Background()); err == nil {
		t.Error("BrowserFrom accepted a context without a browser")
	}
	b, err := BrowserFrom(testBrowser(t).ctx)
	if err != nil {
		t.Fatal(err)
	}
	tab, cancel, err := b.newTab(800, 600, func(any) {})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	w, err := chromedp.Run(tab, chromedp.Evaluate[int](`window.innerWidth`))
	if err != nil || w != 800 {
		t.Errorf("viewport width %d, %v", w, err)
	}
	b.Close() // does not end the shared browser
	_, cancel2, err := testBrowser(t).newTab(10, 10, func(any) {})
	if err != nil {
		t.Fatalf("the shared browser is gone: %v", err)
	}
	cancel2()
}
