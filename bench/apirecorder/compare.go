package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// langs are the languages both tools write, with the API Recorder's name
// of each (its tabs) and gradiorec's.
var langs = []struct {
	tab  string // the API Recorder's tab
	lang codegen.Lang
}{
	{"Python", codegen.Python},
	{"JavaScript", codegen.JavaScript},
	{"cURL", codegen.Curl},
}

// A Session is one steps file run once in an app's page with both
// recorders on: Gradio's API Recorder in the page and gradiorec's.
type Session struct {
	App       string
	Recording *recording.Recording // gradiorec's
	Recorded  int                  // the calls the API Recorder counted
	Snippets  map[codegen.Lang]string
	Env       []string // what gradiorec's code needs in its environment: the login
}

// Record opens the app at url in a tab of b, starts the API Recorder (the
// "Use via API" panel's button), runs the steps with gradiorec recording
// the same page, and reads the API Recorder's snippets in each language.
func Record(ctx context.Context, b *recorder.Browser, url, name string, script steps.Script, opts ...recorder.Option) (*Session, error) {
	r, err := recorder.New(ctx, url, append(opts, recorder.WithBrowser(b))...)
	if err != nil {
		return nil, err
	}
	defer r.Stop()
	tab := r.Tab()
	if err := startAPIRecorder(tab); err != nil {
		return nil, err
	}
	if err := script.Run(tab, r.WaitIdle); err != nil {
		return nil, err
	}
	if err := r.WaitIdle(tab); err != nil {
		return nil, err
	}
	s := &Session{App: name, Snippets: map[codegen.Lang]string{}}
	if s.Recorded, err = stopAPIRecorder(tab); err != nil {
		return nil, err
	}
	for _, l := range langs {
		if s.Snippets[l.lang], err = snippet(tab, l.tab, s.Recorded); err != nil {
			return nil, err
		}
	}
	if s.Recording, err = r.Stop(); err != nil {
		return nil, err
	}
	return s, nil
}

// pageTimeout bounds each wait for the API Recorder's page elements.
const pageTimeout = 30 * time.Second

// startAPIRecorder opens the "Use via API" panel from the footer and
// clicks its "API Recorder" button, which closes the panel and shows a
// "Recording API Calls" badge while it records; it returns once the badge is
// there and the panel's backdrop gone, so the first step's click reaches
// the app. The start button is clicked once: a poll that found neither it
// nor the badge, while the panel closed, would open the panel again.
func startAPIRecorder(tab context.Context) error {
	if err := poll(tab, "start the API Recorder", `(() => {
		const start = document.getElementById("start-api-recorder");
		if (start) { start.click(); return true; }
		const open = document.querySelector("footer button.show-api");
		if (open) open.click();
		return false;
	})()`); err != nil {
		return err
	}
	return poll(tab, "see the API Recorder record, its panel closed", `(() =>
		[...document.querySelectorAll("button")].some((b) => b.innerText.trim().startsWith("Recording API Calls")) &&
		![...document.querySelectorAll(".backdrop")].some((e) => e.offsetParent !== null))()`)
}

// stopAPIRecorder clicks the recording badge, which opens the API page
// with the recorded calls' snippet, and returns how many calls it counts.
func stopAPIRecorder(tab context.Context) (int, error) {
	if err := poll(tab, "open the API Recorder's snippet", `(() => {
		if (document.getElementById("num-recorded-api-calls")) return true;
		const badge = [...document.querySelectorAll("button")].find((b) => b.innerText.trim().startsWith("Recording API Calls"));
		if (badge) badge.click();
		return false;
	})()`); err != nil {
		return 0, err
	}
	count, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("#num-recorded-api-calls .api-count").innerText`))
	if err != nil {
		return 0, err
	}
	var n int
	if _, err := fmt.Sscanf(count, "[%d]", &n); err != nil {
		return 0, fmt.Errorf("the API Recorder's count %q: %w", count, err)
	}
	return n, nil
}

// snippet selects the language tab and returns the recorded calls' code in
// it, as the page shows it once complete: the snippet renders its calls
// only after it has fetched the app's /info, so the Python and JavaScript
// snippets are read once they hold a predict call for each of the n
// recorded calls (the cURL one shows the first call only).
func snippet(tab context.Context, lang string, n int) (string, error) {
	js := `((lang) => {
		const li = [...document.querySelectorAll("li.snippet")].find((l) => l.innerText.trim() === lang);
		if (!li) return "";
		if (!li.className.includes("current-lang")) { li.click(); return ""; }
		const pre = document.getElementById("num-recorded-api-calls").parentElement.querySelector("pre");
		return pre ? pre.innerText : "";
	})(` + jsonString(lang) + `)`
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	for {
		code, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			return "", fmt.Errorf("read the API Recorder's %s snippet: %w", lang, err)
		}
		if code != "" && (lang == "cURL" || strings.Count(code, ".predict(") >= n) {
			return code, nil
		}
		if err := waitFrame(ctx); err != nil {
			return "", fmt.Errorf("read the API Recorder's %s snippet: %w", lang, err)
		}
	}
}

// poll evaluates js, which may act on the page, until it returns true.
func poll(tab context.Context, what, js string) error {
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	for {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && done {
			return nil
		}
		if err == nil {
			err = waitFrame(ctx)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
}

// waitFrame waits for the page's next animation frame: what a click
// changes has been rendered by then.
func waitFrame(ctx context.Context) error {
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise((ok) => requestAnimationFrame(() => setTimeout(() => ok(true), 50)))`, chromedp.EvalAwaitPromise))
	return err
}

// jsonString is s as a JSON (and so JavaScript) string literal.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// LoadSteps reads the app's steps file of the test bed.
func LoadSteps(root, name string) (steps.Script, error) {
	return steps.Load(filepath.Join(root, "testdata", "steps", name+".yaml"))
}
