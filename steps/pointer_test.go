package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// The toasts Notify raises stack over Next: the click on Next closes them
// and reaches it, twice (the second time with the toasts just raised).
func TestClickThroughToasts(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			tab := openApp(t, "toasty", v)
			script, err := Load(filepath.Join(gradiotest.Root(t), "testdata", "steps", "toasty.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
			defer cancel()
			if err := script.Run(ctx, nil); err != nil {
				t.Fatal(err)
			}
			if got := valueOf(t, tab, "result"); got != "next 2" {
				t.Errorf("result shows %q, want %q", got, "next 2")
			}
		})
	}
}

// coverPage serves a page that passes for a Gradio app: a Go button that
// counts its clicks in #clicks, under a fixed overlay whose text is hostile.
// With ?for=MS the overlay removes itself after MS milliseconds.
func coverPage(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><body>
<div class="gradio-container"><div class="block"><button id="go">Go</button><span id="clicks">0</span></div></div>
<div id="veil" class="overlay &quot;x&quot;" style="position:fixed;inset:0;background:rgba(0,0,0,.3)">We use "cookies"
&lt;script&gt;</div>
<script>
document.getElementById("go").addEventListener("click", () => {
  const c = document.getElementById("clicks");
  c.textContent = String(Number(c.textContent) + 1);
});
const ms = Number(new URLSearchParams(location.search).get("for") || "0");
if (ms > 0) setTimeout(() => document.getElementById("veil").remove(), ms);
</script></body></html>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestClickCovered(t *testing.T) {
	srv := coverPage(t)
	open := func(t *testing.T, query string) context.Context {
		tab := testTab(t)
		ctx, cancel := context.WithTimeout(tab, time.Minute)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+query)); err != nil {
			t.Fatal(err)
		}
		return tab
	}
	clicks := func(t *testing.T, tab context.Context) string {
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("clicks").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	t.Run("stays", func(t *testing.T) {
		tab := open(t, "")
		err := runStepsErr(t, tab, "timeout: 1s\nsteps:\n  - click: Go\n    idle: false\n")
		if !errors.Is(err, ErrCovered) {
			t.Fatalf("got %v, want ErrCovered", err)
		}
		want := `step 1 (line 3, click: Go): click: <div id="veil" class="overlay \"x\""> showing "We use \"cookies\" <script>" covers the target at (`
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "close or remove it with a step before this one") {
			t.Errorf("got  %v\nwant %s…", err, want)
		}
		if got := clicks(t, tab); got != "0" {
			t.Errorf("the overlay let %s clicks through, want none", got)
		}
	})
	t.Run("goes", func(t *testing.T) {
		tab := open(t, "?for=500")
		if err := runStepsErr(t, tab, "timeout: 20s\nsteps:\n  - click: Go\n    idle: false\n"); err != nil {
			t.Fatal(err)
		}
		if got := clicks(t, tab); got != "1" {
			t.Errorf("%s clicks reached the button, want 1", got)
		}
	})
}
