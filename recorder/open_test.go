package recorder

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
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
	rec := openRecorder(t, b, app.URL+"/", WithLogin("admin", "s3cret-pass"))
	act(t, rec, pgClick("Greet"))
	r := stopRec(t, rec)
	if c := oneCall(t, r, "/greet"); c.Status != recording.Completed || valsOf(c.Outputs) != `"Hello, World!"` {
		t.Errorf("greet %s", jsonOf(c))
	}
	if !r.App.Auth || len(r.App.Endpoints) == 0 {
		t.Errorf("app %+v", r.App)
	}
	if doc := jsonOf(r); strings.Contains(doc, "s3cret-pass") {
		t.Error("the password is in the recording")
	}
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
