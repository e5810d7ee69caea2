package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

func goldenRecording(t *testing.T, app string) string {
	return filepath.Join(gradiotest.Root(t), "testdata", "recordings", gradiotest.DefaultVersion, app+".json")
}

// TestConnectTimeoutFlag: inspect, call and replay against a server that
// never answers end within --connect-timeout, and say which flag raises it.
func TestConnectTimeoutFlag(t *testing.T) {
	srv := gradiotest.SilentServer(t)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"inspect", "--connect-timeout", "200ms", srv}, ExitError},
		{[]string{"call", "--connect-timeout", "200ms", srv, "/calculate", "1"}, ExitError},
		{[]string{"replay", "--connect-timeout", "200ms", "--url", srv, goldenRecording(t, "calculator")}, 4},
	} {
		start := time.Now()
		code, out, errs := run(tc.args...)
		if code != tc.code || !strings.Contains(out+errs, "--connect-timeout") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d naming --connect-timeout", tc.args, code, out, errs, tc.code)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%v took %s", tc.args, d)
		}
	}
	for _, args := range [][]string{
		{"inspect", "--connect-timeout", "-1s", srv},
		{"call", "--read-timeout", "-1s", srv, "/x"},
		{"replay", "--call-timeout", "-1s", goldenRecording(t, "calculator")},
	} {
		if code, _, errs := run(args...); code != ExitUsage || !strings.Contains(errs, "negative") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, errs)
		}
	}
}

// TestTokenOnlyToHuggingFace: $HF_TOKEN is not sent to an app that is not on
// a Hugging Face host unless --token-to-any-host says so; --token is.
func TestTokenOnlyToHuggingFace(t *testing.T) {
	var mu sync.Mutex
	var got []string
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("X-Hf-Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"detail":"Invalid credentials"}`)
	}))
	defer private.Close()
	t.Setenv("HF_TOKEN", "hf_from_the_environment")
	sent := func() []string {
		mu.Lock()
		defer mu.Unlock()
		s := got
		got = nil
		return s
	}
	for _, tc := range []struct {
		args      []string
		code      int
		wantToken string
		wantErr   string
	}{
		{[]string{"inspect", private.URL}, ExitError, "", "--token-to-any-host"},
		{[]string{"call", private.URL, "/x"}, ExitError, "", "--token-to-any-host"},
		{[]string{"replay", "--url", private.URL, goldenRecording(t, "calculator")}, 4, "", "--token-to-any-host"},
		{[]string{"inspect", "--token-to-any-host", private.URL}, ExitError, "Bearer hf_from_the_environment", "token was refused"},
		{[]string{"inspect", "--token", "hf_typed", private.URL}, ExitError, "Bearer hf_typed", "token was refused"},
	} {
		code, out, errs := run(tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.wantErr) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, out, errs, tc.code, tc.wantErr)
		}
		if strings.Contains(out+errs, "hf_from_the_environment") {
			t.Errorf("%v printed the token", tc.args)
		}
		s := sent()
		if len(s) == 0 {
			t.Fatalf("%v: no request reached the app", tc.args)
		}
		for _, h := range s {
			if h != tc.wantToken {
				t.Errorf("%v: the app got x-hf-authorization %q, want %q", tc.args, h, tc.wantToken)
			}
		}
	}
}
