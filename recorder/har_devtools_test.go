package recorder

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"

	"github.com/gradiorec/gradiorec/har"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// devToolsBrowser starts a Chromium whose pages a DevTools window can
// inspect: a debugging port (the DevTools front end speaks to it over a
// WebSocket from the devtools:// origin, which the port must allow), and
// returns it with the port.
func devToolsBrowser(t *testing.T) (*Browser, string) {
	t.Helper()
	path, err := FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	prof, err := newProfile() // removed as the recorder removes its own (Chromium's helpers may still write in it)
	if err != nil {
		t.Fatal(err)
	}
	dir := prof.dir
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.DisableGPU, chromedp.UserDataDir(dir), remote.WebSocket,
		chromedp.Flag("headless", "new"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("remote-debugging-port", "0"),
		chromedp.Flag("remote-allow-origins", "devtools://devtools"),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), flags...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		bcancel()
		acancel()
		if err := prof.remove(); err != nil {
			t.Error(err)
		}
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	// Chromium writes the port it chose as the first line of this file.
	b, err := os.ReadFile(filepath.Join(dir, "DevToolsActivePort"))
	if err != nil {
		t.Fatal(err)
	}
	port, _, _ := strings.Cut(string(b), "\n")
	browser, err := BrowserFrom(bctx)
	if err != nil {
		t.Fatal(err)
	}
	return browser, port
}

// devToolsWaitJS resolves once the DevTools front end is connected to the
// page it inspects (or rejects after 60 s). It asks the target manager
// again each time: the front end makes its own while it starts, in place
// of one asked for earlier.
const devToolsWaitJS = `(async () => {
	const SDK = await import("./core/sdk/sdk.js");
	for (const end = Date.now() + 60000; SDK.TargetManager.TargetManager.instance().targets().length === 0; ) {
		if (Date.now() > end) throw new Error("DevTools did not connect to the page");
		await new Promise((r) => setTimeout(r, 50));
	}
	return true;
})()`

// devToolsHARJS waits until every request the Network panel logged has
// finished (or 20 s), then returns the HAR that "Save all as HAR (with
// content)" saves: the Network panel's own writer over its own log. The
// progress bar of the panel is all that stands in for its window.
const devToolsHARJS = `(async () => {
	const Logs = await import("./models/logs/logs.js");
	const HAR = await import("./models/har/har.js");
	const log = Logs.NetworkLog.NetworkLog.instance();
	for (const end = Date.now() + 20000; Date.now() < end && !log.requests().every((r) => r.finished); ) {
		await new Promise((r) => setTimeout(r, 50));
	}
	const progress = new Proxy({}, {
		get: (_, k) => (k === "canceled" ? false : k === "isCanceled" ? () => false : k === "createSubProgress" ? () => progress : () => {}),
		set: () => true,
	});
	return HAR.Writer.Writer.harStringForRequests(log.requests(), { sanitize: false }, progress);
})()`

// TestImportDevToolsHAR records steps files (a chat and uploads on every
// Gradio version, streams and State on the default one) with the recorder
// while Chromium's own DevTools front end (devtools://devtools/bundled,
// shipped inside Chromium) inspects the same tab, saves the Network panel's
// log as a HAR with the panel's own writer, and imports it: every call the
// recorder recorded is in the import, with the same endpoint, inputs and
// outputs once both are normalised (a call the HAR holds without its
// stream's body is incomplete and says so), and the import replays green.
func TestImportDevToolsHAR(t *testing.T) {
	b, port := devToolsBrowser(t)
	for _, v := range gradiotest.Versions() {
		apps := []string{"chat", "files"} // a streaming chat, two uploads
		if v == gradiotest.DefaultVersion {
			apps = append(apps, "stream", "state") // generators, progress and logs; State
		}
		for _, name := range apps {
			t.Run(v+"/"+name, func(t *testing.T) {
				script, err := steps.Load(filepath.Join(gradiotest.Root(t), "testdata", "steps", name+".yaml"))
				if err != nil {
					t.Fatal(err)
				}
				app := gradiotest.Start(t, name, gradiotest.Version(v))
				ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
				defer cancel()
				rec, err := New(ctx, app.URL+"/", WithBrowser(b), WithLogf(t.Logf))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { rec.Stop() })

				// DevTools, opened on the recorder's tab.
				page := chromedp.FromContext(rec.Tab()).Target.TargetID
				tab, tcancel := chromedp.NewContext(b.Context())
				defer tcancel()
				dt, dcancel := context.WithTimeout(tab, 2*time.Minute)
				defer dcancel()
				if _, err := chromedp.Run(dt, chromedp.Navigate("devtools://devtools/bundled/devtools_app.html?ws=127.0.0.1:"+port+"/devtools/page/"+string(page))); err != nil {
					t.Fatalf("open DevTools: %v", err)
				}
				if _, err := chromedp.Run(dt, chromedp.Evaluate[bool](devToolsWaitJS, chromedp.EvalAwaitPromise)); err != nil {
					t.Fatalf("open DevTools: %v", err)
				}

				sctx, scancel := context.WithTimeout(rec.Tab(), 3*time.Minute)
				defer scancel()
				if err := script.Run(sctx, rec.WaitIdle); err != nil {
					t.Fatalf("run testdata/steps/%s.yaml: %v", name, err)
				}
				text, err := chromedp.Run(dt, chromedp.Evaluate[string](devToolsHARJS, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("save the HAR: %v", err)
				}
				want, err := rec.Stop()
				if err != nil {
					t.Fatal(err)
				}
				h, err := har.Read(strings.NewReader(text), 0)
				if err != nil {
					t.Fatal(err)
				}
				if h.Log.Creator.Name != "WebInspector" {
					t.Errorf("the HAR was written by %q, want DevTools (WebInspector)", h.Log.Creator.Name)
				}
				im, err := ImportHAR(t.Context(), h, HAROptions{URL: app.URL})
				if err != nil {
					t.Fatal(err)
				}
				complete := 0
				for _, c := range im.Recording.Calls {
					if c.Status != recording.Incomplete {
						complete++
					}
				}
				t.Logf("%d calls, %d whole, %d streams without their body, missing %v", len(im.Recording.Calls), complete, im.Cut, im.Missing)
				got := im.Recording
				normaliseGolden(t, got, app.URL, nil)
				normaliseGolden(t, want, app.URL, nil)
				if len(got.Calls) != len(want.Calls) || len(got.Sessions) != len(want.Sessions) {
					t.Fatalf("%d calls in %d sessions, the DevTools recording has %d in %d", len(got.Calls), len(got.Sessions), len(want.Calls), len(want.Sessions))
				}
				for i, c := range got.Calls {
					w := want.Calls[i]
					gd, _ := json.Marshal(c.Data)
					wd, _ := json.Marshal(w.Data)
					if c.APIName != w.APIName || unnumbered(string(gd)) != unnumbered(string(wd)) {
						t.Errorf("call %d: %s%s, want %s%s", c.ID, c.APIName, gd, w.APIName, wd)
					}
					gotOut, _ := json.Marshal(c.Outputs)
					wantOut, _ := json.Marshal(w.Outputs)
					switch {
					case c.Status == w.Status:
						if unnumbered(string(gotOut)) != unnumbered(string(wantOut)) {
							t.Errorf("call %d: outputs %s, want %s", c.ID, gotOut, wantOut)
						}
					case c.Status != recording.Incomplete || c.Error == nil || !strings.Contains(c.Error.Message, "no body"):
						t.Errorf("call %d: %s %+v, want %s (or incomplete, for a stream the HAR holds without its body)", c.ID, c.Status, c.Error, w.Status)
					}
				}
				replaysGreen(t, got, app.URL)
			})
		}
	}
}
