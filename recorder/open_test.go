package recorder

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

func TestRecordLogin(t *testing.T) {
	t.Parallel()
	b := testBrowser(t)
	app := gradiotest.Start(t, "auth")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := New(ctx, app.URL+"/", WithBrowser(b)); !errors.Is(err, ErrLoginRequired) {
		t.Errorf("without credentials: %v, want ErrLoginRequired", err)
	}
	if _, err := New(ctx, app.URL+"/", WithBrowser(b), WithLogin("admin", "wrong")); !errors.Is(err, ErrLoginFailed) {
		t.Errorf("wrong password: %v, want ErrLoginFailed", err)
	}
	// A login that works, and the recording it makes: TestGoldenRecordings
	// (auth).
}

func TestRecordNotGradio(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/config" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "<html><body>just a page</body></html>")
	}))
	defer srv.Close()
	b := testBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := New(ctx, srv.URL, WithBrowser(b)); !errors.Is(err, ErrNotGradio) {
		t.Errorf("plain page: %v, want ErrNotGradio", err)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	if _, err := New(ctx, closed.URL, WithBrowser(b)); !errors.Is(err, ErrUnreachable) {
		t.Errorf("closed port: %v, want ErrUnreachable", err)
	}
}

// TestLoadCircularConfig: a page whose window.gradio_config no longer
// serialises (Gradio's scripts linked it into a cycle) has its config read
// from /config.
func TestLoadCircularConfig(t *testing.T) {
	t.Parallel()
	cfg := `{"version": "5.49.1", "api_prefix": "/gradio_api", "protocol": "sse_v3", "components": [], "dependencies": []}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/config" {
			fmt.Fprint(w, cfg)
			return
		}
		fmt.Fprintf(w, `<html><body><script>window.gradio_config = %s; window.gradio_config.self = window.gradio_config;</script></body></html>`, cfg)
	}))
	defer srv.Close()
	tab := testTab(t)
	r := &Recorder{s: newSettings(nil), tab: tab, src: &cdpSource{tab: tab}}
	_, got, err := r.load(context.Background(), tab, srv.URL+"/")
	if err != nil || got.Version != "5.49.1" || got.APIPrefix != "/gradio_api" {
		t.Errorf("load: %+v, %v; want the config of /config", got, err)
	}
}
