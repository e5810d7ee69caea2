package gradio

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestDetail(t *testing.T) {
	for body, want := range map[string]string{
		`{"detail":"Queue is full."}`:                                  "Queue is full.",
		`{"detail":{"error":"Not authenticated","auth_message":null}}`: "Not authenticated",
		`{"error":"boom","title":"Error"}`:                             "boom",
		`{"detail":[{"msg":"field required"}]}`:                        `[{"msg":"field required"}]`,
		`plain text`:                                                   "plain text",
		`<html><body>502</body></html>`:                                "",
		`{"error":null}`:                                               "",
	} {
		if got := detail([]byte(body)); got != want {
			t.Errorf("detail(%s) = %q, want %q", body, got, want)
		}
	}
	if got := detail([]byte(strings.Repeat("é", 400))); len(got) > 304 || !strings.HasSuffix(got, "…") {
		t.Errorf("long body not clipped: %d bytes", len(got))
	}
}

func TestPrivateSpaceWithoutToken(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "<html>Sign in to Hugging Face</html>")
	}))
	_, err := Connect(testCtx(t), srv)
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "WithToken") {
		t.Errorf("err = %v", err)
	}
	_, err = Connect(testCtx(t), srv, WithToken("hf_bad"))
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "token was refused") {
		t.Errorf("with token: %v", err)
	}
}
