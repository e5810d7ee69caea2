package gradio

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	for _, tc := range []struct {
		src, root, space string
	}{
		{"http://127.0.0.1:7860", "http://127.0.0.1:7860", ""},
		{"http://127.0.0.1:7860/", "http://127.0.0.1:7860", ""},
		{"https://example.com/sub/app/", "https://example.com/sub/app", ""},
		{"https://example.com/app/?__theme=dark#x", "https://example.com/app", ""},
		{"https://user:pw@example.com", "https://example.com", ""},
		{"localhost:7860", "http://localhost:7860", ""},
		{"127.0.0.1:7860/app", "http://127.0.0.1:7860/app", ""},
		{"abidlabs-whisper.hf.space", "https://abidlabs-whisper.hf.space", ""},
		{"gradio/calculator", "", "gradio/calculator"},
		{"gradio/calculator/", "", "gradio/calculator"},
		{"my.org/my_space-2", "", "my.org/my_space-2"},
		{"https://huggingface.co/spaces/gradio/calculator", "", "gradio/calculator"},
		{"https://huggingface.co/spaces/gradio/calculator/tree/main", "", "gradio/calculator"},
	} {
		s, err := parseSource(tc.src)
		if err != nil {
			t.Errorf("parseSource(%q): %v", tc.src, err)
			continue
		}
		if s.root != tc.root || s.spaceID != tc.space {
			t.Errorf("parseSource(%q) = {%q, %q}, want {%q, %q}", tc.src, s.root, s.spaceID, tc.root, tc.space)
		}
	}
	for _, bad := range []string{"", "  ", "ftp://example.com", "http://"} {
		if _, err := parseSource(bad); err == nil {
			t.Errorf("parseSource(%q) succeeded", bad)
		}
	}
}

func TestConnectResolvesSpaceID(t *testing.T) {
	a := newFakeApp(t)
	var gotAuth, gotPath string
	hub := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotPath = r.Header.Get("Authorization"), r.URL.Path
		writeJSON(w, map[string]any{"subdomain": "owner-name", "host": a.url()})
	}))
	c, err := Connect(testCtx(t), "owner/name", withHubURL(hub), WithToken("hf_abc"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if gotPath != "/api/spaces/owner/name/host" || gotAuth != "Bearer hf_abc" {
		t.Errorf("hub request %s with Authorization %q", gotPath, gotAuth)
	}
	if c.SpaceID() != "owner/name" || c.URL() != a.url() {
		t.Errorf("SpaceID %q URL %q", c.SpaceID(), c.URL())
	}
	a.mu.Lock()
	h := a.headers[len(a.headers)-1]
	a.mu.Unlock()
	if h.Get("X-Hf-Authorization") != "Bearer hf_abc" || h.Get("Authorization") != "" {
		t.Errorf("app got x-hf-authorization %q, authorization %q", h.Get("X-Hf-Authorization"), h.Get("Authorization"))
	}
}

func TestConnectSpaceNotFound(t *testing.T) {
	hub := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":"Repository not found"}`)
	}))
	_, err := Connect(testCtx(t), "owner/missing", withHubURL(hub))
	if err == nil || !strings.Contains(err.Error(), "space not found") || !strings.Contains(err.Error(), "WithToken") {
		t.Errorf("err = %v, want a space-not-found error mentioning WithToken", err)
	}
	hub = newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"subdomain":"x"}`)
	}))
	if _, err := Connect(testCtx(t), "owner/odd", withHubURL(hub)); err == nil || !strings.Contains(err.Error(), "without a host") {
		t.Errorf("err = %v, want a missing-host error", err)
	}
}
