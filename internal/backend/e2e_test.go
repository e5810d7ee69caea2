package backend_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// screenshots makes TestPanel write the side panel's screenshots for the
// README: go test ./internal/backend -run TestPanel -screenshots
var screenshots = flag.Bool("screenshots", false,
	"write the side panel's screenshots, docs/screenshots/extension-panel-*.png (TestPanel)")

// shot writes the panel's screenshot docs/screenshots/extension-panel-<name>.png
// when -screenshots is given: tests never change the checkout otherwise.
func shot(t *testing.T, p *panel, name string) {
	t.Helper()
	if !*screenshots {
		return
	}
	p.screenshot(filepath.Join(gradiotest.Root(t), "docs", "screenshots", "extension-panel-"+name+".png"))
}

// runSteps performs the first n steps (all when n is 0) of a steps file of
// testdata/steps in the app's tab, one at a time, calling after (when not
// nil) after each.
func runSteps(t *testing.T, appTab context.Context, name string, n int, after func(st steps.Step)) {
	t.Helper()
	script, err := steps.Load(filepath.Join(gradiotest.Root(t), "testdata", "steps", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		script = script[:n]
	}
	ctx, cancel := context.WithTimeout(appTab, 2*time.Minute)
	defer cancel()
	for i, st := range script {
		if i == 0 {
			// Script.Run waits for the app to be ready first.
			if err := script[:1].Run(ctx, nil); err != nil {
				t.Fatal(err)
			}
		} else if err := st.Run(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if after != nil {
			after(st)
		}
	}
}

// TestPanel is the side panel end to end, as a person uses it: pair with
// the code a real backend shows, record a real Gradio app in another tab
// and watch its calls and code arrive, stop, export and replay.
func TestPanel(t *testing.T) {
	s := serve(t)
	app := gradiotest.Start(t, "state")
	appTab := tab(t, app.URL, 1280, 800)
	p := openPanel(t, appTab)

	// Pair by typing what `gradiorec serve` shows.
	code, _ := s.srv.NewCode()
	p.pair(s.srv.Port(), code)
	s.log.WaitFor(t, "relay: paired browser")
	p.until(`!document.querySelector("#record").disabled`, "Record is enabled")
	shot(t, p, "paired")

	// Record.
	p.click("#record")
	line := p.waitText("#rec-state", "recording: journaled at "+s.dir)
	s.log.WaitFor(t, "recording "+app.URL, "into "+s.dir)
	t.Logf("the panel: %s", line)

	// The calls appear in the panel as they happen: each word's call is
	// listed, completed, before the next word is typed.
	words := 0
	runSteps(t, appTab, "state", 0, func(st steps.Step) {
		if st.Verb == steps.Wait && st.Target.Value == "count" {
			words++
			p.waitCalls("completed", words)
		}
	})
	p.waitCalls("completed", 4)
	want := []string{"/count_words", "/count_words", "/count_words", "/list_words"}
	if got := p.endpoints(); !slices.Equal(got, want) {
		t.Errorf("the panel lists the calls %s, want %s", joined(got), joined(want))
	}

	// The code of each language names the app's endpoints.
	for _, lang := range []string{"python", "javascript", "go", "curl"} {
		p.click(fmt.Sprintf(`#code-tabs button[data-lang=%q]`, lang))
		p.until(fmt.Sprintf(`document.querySelector('#code-tabs button[data-lang=%q]').getAttribute("aria-selected") === "true"`, lang), lang+" is selected")
		p.waitText("#code-view", "list_words")
		if code := p.text("#code-view"); !strings.Contains(code, "count_words") || !strings.Contains(code, app.URL) {
			t.Errorf("the %s code does not name count_words and the app's URL:\n%s", lang, code)
		}
	}
	p.click(`#code-tabs button[data-lang="python"]`)
	p.waitText("#code-view", "list_words")
	shot(t, p, "recording")

	// Stop: the panel says where the recording is saved.
	p.click("#stop")
	saved := p.waitText("#saved", "(4 calls)")
	path := regexp.MustCompile(`Saved to (\S+\.json) \(4 calls\)`).FindStringSubmatch(saved)
	if path == nil || filepath.Dir(path[1]) != s.dir {
		t.Fatalf("the panel says %q, want the path of the recording in %s", saved, s.dir)
	}
	s.log.WaitFor(t, "ended (user): 4 calls saved to "+path[1])
	doc, err := recording.Load(path[1])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range doc.Calls {
		names = append(names, c.APIName)
		if c.Status != recording.Completed {
			t.Errorf("call %d (%s) is %s, want completed", c.ID, c.APIName, c.Status)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("the saved recording has the calls %s, want %s", joined(names), joined(want))
	}

	// Export: a project per language.
	p.click("#export")
	result := p.waitText("#result", "Exported to ")
	dir := strings.TrimPrefix(result, "Exported to ")
	for _, lang := range []string{"python", "javascript", "go", "curl"} {
		entries, err := os.ReadDir(filepath.Join(dir, lang))
		if err != nil || len(entries) == 0 {
			t.Errorf("the export has no %s project (%v)", lang, err)
		}
	}
	s.log.WaitFor(t, "exported "+path[1]+" to "+dir)

	// Replay: every call passes.
	p.click("#replay")
	if result := p.waitText("#result", "Replay: "); !strings.HasPrefix(result, "Replay: 4 passed, 0 failed") {
		t.Errorf("the replay: %s", result)
	}
	eval[bool](p, `window.scrollTo(0, document.body.scrollHeight), true`)
	shot(t, p, "replay")
}
