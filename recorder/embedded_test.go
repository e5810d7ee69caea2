package recorder

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// TestRecordEmbeddedApp records an app that a page of another site embeds
// in a frame, as a Space's page on huggingface.co embeds its app from
// *.hf.space: the page is served from localhost, the app from 127.0.0.1,
// so Chromium runs the app's frame in a process (a target) of its own. The
// app greets the visitor as it loads (a call nobody clicks for, which the
// recorder must not miss) and its steps run inside the frame. Both sources
// must record the same three calls, and the same recording field by field
// once normalised (the golden recordings' rules).
func TestRecordEmbeddedApp(t *testing.T) {
	app := gradiotest.Start(t, "guestbook")
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>A blog</title><h1>My guestbook</h1><p>Sign it below.</p>
<iframe src="%s/" width="1100" height="700" style="border:0"></iframe>`, html.EscapeString(app.URL))
	}))
	defer outer.Close()
	page := strings.Replace(outer.URL, "127.0.0.1", "localhost", 1) + "/"
	script, err := steps.Load(filepath.Join(gradiotest.Root(t), "testdata", "steps", "guestbook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]func(t *testing.T) []Option{
		"devtools": func(t *testing.T) []Option { return []Option{WithBrowser(testBrowser(t))} },
		"extension": func(t *testing.T) []Option {
			e := testExtension(t)
			return []Option{WithBrowser(e.browser), WithVia(e.attach)}
		},
	}
	docs := map[string]*recording.Recording{}
	for _, name := range []string{"devtools", "extension"} {
		source := sources[name]
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rec, err := New(ctx, page, append(source(t), WithLogf(t.Logf))...)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Stop()
			run, cancelRun := context.WithTimeout(rec.Tab(), 2*time.Minute)
			defer cancelRun()
			if err := script.Run(run, rec.WaitIdle); err != nil {
				t.Fatalf("the steps, in the app's frame: %v", err)
			}
			doc, err := rec.Stop()
			if err != nil {
				t.Fatal(err)
			}
			if doc.App.URL != page || doc.App.Root != app.URL {
				t.Errorf("app url %s root %s; want the page %s and the app's root %s", doc.App.URL, doc.App.Root, page, app.URL)
			}
			want := []string{
				`/welcome () -> ["Welcome to the guestbook"]`,
				`/sign {"name":"Ada"} -> ["Thanks, Ada: note 1 of this session"]`,
				`/sign {"name":"Grace"} -> ["Thanks, Grace: note 2 of this session"]`,
			}
			var got []string
			for _, c := range doc.Calls {
				if c.Status != recording.Completed {
					t.Errorf("call %d %s: %s", c.ID, c.APIName, c.Status)
				}
				got = append(got, embeddedCall(c))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			normaliseGolden(t, doc, app.URL, nil)
			docs[name] = doc
		})
	}
	// Field by field, once what varies between runs is normalised.
	if a, b := docs["devtools"], docs["extension"]; a != nil && b != nil {
		if da, db := jsonOf(a), jsonOf(b); da != db {
			t.Errorf("the two sources recorded different sessions:\n%s", firstDiff([]byte(da), []byte(db)))
		}
	}
}

// embeddedCall writes a call as its endpoint, its named inputs and its
// outputs (State slots are not in either).
func embeddedCall(c recording.Call) string {
	in := map[string]json.RawMessage{}
	for _, a := range c.Inputs {
		in[a.Name] = a.Value
	}
	args := "()"
	if len(in) > 0 {
		args = jsonOf(in)
	}
	return fmt.Sprintf("%s %s -> %s", c.APIName, args, jsonOf(c.Outputs))
}
