package gradio

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestIsHFHost(t *testing.T) {
	for u, want := range map[string]bool{
		"https://huggingface.co":               true,
		"https://HuggingFace.co/spaces/a/b":    true,
		"https://api-inference.huggingface.co": true,
		"https://owner-app.hf.space/":          true,
		"https://owner-app.hf.space:443":       true,
		"http://owner-app.hf.space":            false, // not over https
		"https://owner-app.hf.space:8443":      false,
		"https://huggingface.co.evil.com":      false,
		"https://evilhuggingface.co":           false,
		"https://hf.space.evil.com":            false,
		"https://evil.com/owner-app.hf.space":  false,
		"https://user@owner-app.hf.space":      false,
		"http://127.0.0.1:7860":                false,
		"owner-app.hf.space":                   false,
	} {
		if got := isHFHost(u); got != want {
			t.Errorf("isHFHost(%q) = %v, want %v", u, got, want)
		}
	}
}

// headerLog keeps the headers that a server on another origin gets.
type headerLog struct {
	mu      sync.Mutex
	headers []http.Header
}

func (l *headerLog) server(t *testing.T) string {
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.headers = append(l.headers, r.Header.Clone())
		l.mu.Unlock()
		io.WriteString(w, "elsewhere")
	}))
}

func (l *headerLog) sawSecrets(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.headers) == 0 {
		t.Fatal("the other host got no request")
	}
	for _, h := range l.headers {
		if h.Get("X-Hf-Authorization") != "" || h.Get("X-Custom") != "" {
			t.Errorf("another host got the token or the custom headers: %v", h)
		}
	}
}

func tokenSent(a *fakeApp) (sent, total int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, h := range a.headers {
		if h.Get("X-Hf-Authorization") != "" {
			sent++
		}
	}
	return sent, len(a.headers)
}

func TestAmbientTokenWithheldFromOtherHosts(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect(WithAmbientToken("hf_secret"))
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil {
		t.Fatal(err)
	}
	if sent, total := tokenSent(a); sent != 0 {
		t.Errorf("%d of %d requests to %s carried the token", sent, total, a.url())
	}

	// A refusal says that the token was not sent, and how to send it.
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"detail":"Invalid credentials in Authorization header"}`)
	}))
	_, err := Connect(testCtx(t), srv, WithAmbientToken("hf_secret"))
	if !errors.Is(err, ErrTokenWithheld) || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrTokenWithheld", err)
	}
	for _, want := range []string{"was not sent to " + srv, "--token-to-any-host", "WithToken"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "hf_secret") {
		t.Errorf("the error shows the token: %v", err)
	}
	// WithToken is the explicit choice: it goes to any app.
	a = newFakeApp(t)
	c = a.connect(WithAmbientToken("hf_secret"), WithToken("hf_secret"))
	if sent, total := tokenSent(a); sent != total || total == 0 {
		t.Errorf("WithToken: %d of %d requests carried the token", sent, total)
	}
}

func TestAmbientTokenSentToHFHost(t *testing.T) {
	a := newFakeApp(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close)
	// Every host name leads to the test server.
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	c, err := Connect(testCtx(t), "https://owner-app.hf.space", WithAmbientToken("hf_secret"), WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if sent, total := tokenSent(a); sent != total || total == 0 {
		t.Errorf("%d of %d requests to a Space carried the token", sent, total)
	}
}

func TestAmbientTokenAndSpaceResolution(t *testing.T) {
	a := newFakeApp(t)
	var gotAuth string
	hub := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		writeJSON(w, map[string]any{"host": a.url()})
	}))
	c, err := Connect(testCtx(t), "owner/name", withHubURL(hub), WithAmbientToken("hf_secret"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if gotAuth != "" {
		t.Errorf("a hub that is not Hugging Face's got Authorization %q", gotAuth)
	}
	if sent, _ := tokenSent(a); sent != 0 {
		t.Errorf("the resolved host %s, not a Hugging Face one, got the token", a.url())
	}
}

func TestTokenNotSentOnRedirectToAnotherHost(t *testing.T) {
	var other headerLog
	elsewhere := other.server(t)
	a := newFakeApp(t)
	a.handle("/gradio_api/file=/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere+"/stolen", http.StatusFound)
	})
	a.handle("/gradio_api/file=/here", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, a.url()+"/gradio_api/file=/there", http.StatusFound)
	})
	c := a.connect(WithToken("hf_secret"), WithHeader("X-Custom", "secret too"))
	var buf strings.Builder
	if _, err := (&FileData{Path: "/moved", c: c}).CopyTo(testCtx(t), &buf); err != nil || buf.String() != "elsewhere" {
		t.Fatalf("download = %q, %v", buf.String(), err)
	}
	other.sawSecrets(t)

	// A redirect within the app keeps them.
	if _, err := (&FileData{Path: "/here", c: c}).CopyTo(testCtx(t), io.Discard); err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	h := a.headers[len(a.headers)-1]
	a.mu.Unlock()
	if h.Get("X-Hf-Authorization") != "Bearer hf_secret" || h.Get("X-Custom") == "" {
		t.Errorf("a redirect within the app lost the headers: %v", h)
	}
}

func TestTokenNotSentWithFileOnAnotherHost(t *testing.T) {
	var other headerLog
	elsewhere := other.server(t)
	a := newFakeApp(t)
	// A hostile app returns an output file whose URL is on another host.
	a.fns[4] = func(ev *fakeEvent) {
		ev.complete(map[string]any{"path": elsewhere + "/stolen.png", "url": elsewhere + "/stolen.png",
			"orig_name": "x.png", "meta": map[string]any{"_type": "gradio.FileData"}})
	}
	c := a.connect(WithToken("hf_secret"), WithHeader("X-Custom", "secret too"))
	res, err := c.Predict(testCtx(t), "/file", FileBytes("in.txt", []byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.Value().(*FileData).Download(testCtx(t), t.TempDir()); err != nil {
		t.Fatal(err)
	}
	other.sawSecrets(t)
}
