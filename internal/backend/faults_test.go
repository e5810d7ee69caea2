package backend_test

// The faults of a recording made through the extension, each reported in
// the side panel and in the backend's log (what `gradiorec serve` prints),
// with every call completed before the fault in the saved recording.
//
// One fault is not here: the user closing Chromium's "started debugging
// this browser" bar. A headless Chromium shows no bar, so nothing can
// cancel it; extension/test/sw.test.js fires the debugger's onDetach with
// "canceled_by_user" on fake chrome APIs instead (the recording ends once,
// as "canceled-by-user", and is never re-attached).

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/extension"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// recordApp opens a testdata app in a tab, pairs a panel with s and
// presses Record; it returns the app's tab, the panel and the path the
// recording is journaled at.
func recordApp(t *testing.T, s *served, name string) (appTab context.Context, p *panel, path string) {
	t.Helper()
	app := gradiotest.Start(t, name)
	appTab = tab(t, app.URL, 1280, 800)
	p = openPanel(t, appTab)
	code, _ := s.srv.NewCode()
	p.pair(s.srv.Port(), code)
	p.click("#record")
	const journaled = "recording: journaled at "
	path = strings.TrimPrefix(p.waitText("#rec-state", journaled+s.dir), journaled)
	return appTab, p, path
}

// twoWords submits two words to the state app and waits until the panel
// shows both calls completed.
func twoWords(t *testing.T, appTab context.Context, p *panel) {
	t.Helper()
	words := 0
	runSteps(t, appTab, "state", 4, func(st steps.Step) {
		if st.Verb == steps.Wait {
			words++
			p.waitCalls("completed", words)
		}
	})
}

// checkSaved checks that the recording saved at path holds n calls, all
// completed.
func checkSaved(t *testing.T, path string, n int) {
	t.Helper()
	doc, err := recording.Load(path)
	if err != nil {
		t.Fatalf("the recording was not saved: %v", err)
	}
	if len(doc.Calls) != n {
		t.Errorf("the saved recording has %d calls, want %d", len(doc.Calls), n)
	}
	for _, c := range doc.Calls {
		if c.Status != recording.Completed {
			t.Errorf("saved call %d (%s) is %s, want completed", c.ID, c.APIName, c.Status)
		}
	}
}

// The recorded tab closes: the extension ends the recording, the backend
// saves it, and both say so.
func TestFaultTabClosed(t *testing.T) {
	s := serve(t)
	appTab, p, path := recordApp(t, s, "state")
	twoWords(t, appTab, p)

	if err := chromedp.Cancel(appTab); err != nil {
		t.Fatal(err)
	}
	p.waitText("#rec-state", "the tab was closed: the recording stopped")
	p.waitText("#saved", "Saved to "+path+" (2 calls)")
	s.log.WaitFor(t, "ended (tab-closed): 2 calls saved to "+path)
	checkSaved(t, path, 2)
}

// The backend stops (as serve does at Ctrl-C): it saves the calls so far;
// the panel says the connection went and where the recording is.
func TestFaultBackendStops(t *testing.T) {
	s := serve(t)
	appTab, p, path := recordApp(t, s, "state")
	twoWords(t, appTab, p)

	s.srv.Close()
	s.b.Wait()
	s.log.WaitFor(t, "ended (disconnected): 2 calls saved to "+path)
	checkSaved(t, path, 2)
	p.waitText("#rec-state", "gradiorec stopped and saved the calls that completed: its output says where")
	p.waitText("#saved", "Saved to "+path)
	p.until(`document.querySelector("#pair-state").dataset.connection === "disconnected"`, "the panel is disconnected")
	p.waitText("#pair-state", fmt.Sprintf("port %d", s.srv.Port()))
}

// The pairing is revoked (serve --revoke, or a new pairings file): the
// panel says to pair again and Record is refused; nothing is recorded.
func TestFaultUnpaired(t *testing.T) {
	s := serve(t)
	app := gradiotest.Start(t, "state")
	appTab := tab(t, app.URL, 1280, 800)
	p := openPanel(t, appTab)
	code, _ := s.srv.NewCode()
	p.pair(s.srv.Port(), code)
	peers := s.srv.Peers()
	if len(peers) != 1 {
		t.Fatalf("%d extensions are connected, want 1", len(peers))
	}
	if err := s.store.Revoke(peers[0].Install()); err != nil {
		t.Fatal(err)
	}

	s.log.WaitFor(t, "relay: the pairing of", "was revoked")
	state := p.waitText("#pair-state", "pair it again")
	t.Logf("the panel: %s", state)
	s.log.WaitFor(t, "relay: handshake with", "failed", "unpaired")
	p.until(`document.querySelector("#record").disabled`, "Record is disabled")
	// A Record that reaches the worker anyway is refused.
	res := eval[struct {
		OK    bool
		Error string
	}](p, fmt.Sprintf(`chrome.runtime.sendMessage({type: "record", tabId: %d})`, tabID(t, appTab)))
	if res.OK || !strings.Contains(res.Error, "not connected to gradiorec: run `gradiorec serve`, then pair") {
		t.Errorf("Record while unpaired: %+v, want a refusal that says to pair", res)
	}
	if got := s.recordings(t); len(got) != 0 {
		t.Errorf("the recordings folder holds %s", joined(got))
	}
}

// stopWorker stops the extension's service worker as Chromium does when it
// reaps or updates one: through DevTools, closing its target. Chromium
// starts it again at once.
func stopWorker(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(testBrowser(t).Context(), wait)
	defer cancel()
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range targets {
		if w.Type == "service_worker" && strings.HasPrefix(w.URL, "chrome-extension://"+extension.ID+"/") {
			if _, err := chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: w.TargetID}); err != nil {
				t.Fatalf("stop the extension's worker: %v", err)
			}
			return
		}
	}
	t.Fatal("the extension's service worker is not running")
}

// The service worker restarts mid-recording: its connection closes with
// it, so the backend ends and saves the recording; the new worker tells
// the backend it lost the recording, and the panel then says so and shows
// where it was saved, and its code.
func TestFaultWorkerRestarts(t *testing.T) {
	s := serve(t)
	appTab, p, path := recordApp(t, s, "state")
	twoWords(t, appTab, p)

	stopWorker(t)
	s.log.WaitFor(t, "ended (disconnected): 2 calls saved to "+path)
	checkSaved(t, path, 2)
	p.waitText("#rec-state", "the recording ended because the extension restarted")
	s.log.WaitFor(t, "the extension restarted and lost it (worker-restarted)", "saved to "+path)
	p.waitText("#saved", "Saved to "+path+" (2 calls)")
	p.waitText("#code-view", "count_words")
	// The restarted worker let go of the tab: it can be recorded again.
	p.click("#record")
	p.waitText("#rec-state", "recording: journaled at "+s.dir)
	p.click("#stop")
	p.waitText("#saved", "(0 calls)")
}
