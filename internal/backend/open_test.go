package backend_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/backend"
	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

// A recording whose tab never shows a Gradio app ends after OpenTimeout,
// or when the extension stops it, with a message that says so and
// nothing saved.
func TestNoAppInTab(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "recordings")
	log := &relaytest.Log{Wait: wait}
	b := backend.New(backend.Config{Dir: dir, OpenTimeout: 300 * time.Millisecond, Logf: log.Logf})
	srv, err := relay.Listen(relay.Options{Store: relay.MemoryStore(), Handler: b, Logf: log.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Close(); b.Wait() }()
	code, _ := srv.NewCode()
	c := relaytest.Dial(t, srv.URL(), relaytest.Options{Code: code})

	for _, tc := range []struct {
		rec  string
		stop bool
		want string
	}{
		{"timeout", false, "no Gradio app loaded in the tab within 300ms: nothing was recorded; open the app's page, then Record"},
		{"stopped", true, "the recording ended (user) before a Gradio app loaded in the tab: nothing was recorded"},
	} {
		if err := c.Send(map[string]any{"t": "start", "rec": tc.rec, "tab": map[string]string{"url": "https://example.com/", "title": "not gradio"}}); err != nil {
			t.Fatal(err)
		}
		c.Expect(t, "started")
		if tc.stop {
			c.Send(map[string]any{"t": "stop", "rec": tc.rec, "reason": "user"})
		}
		var stopped struct {
			Rec     string `json:"rec"`
			OK      bool   `json:"ok"`
			Calls   int    `json:"calls"`
			Message string `json:"message"`
		}
		if err := c.Expect(t, "stopped").Decode(&stopped); err != nil {
			t.Fatal(err)
		}
		if stopped.Rec != tc.rec || stopped.OK || stopped.Calls != 0 || stopped.Message != tc.want {
			t.Errorf("%s: stopped %+v; want not ok, no calls, %q", tc.rec, stopped, tc.want)
		}
		log.WaitFor(t, "recording "+tc.rec+" ended", "nothing was recorded")
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "*")); len(entries) != 0 {
		t.Errorf("files left in the recordings folder: %q", entries)
	}
}
