package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// Toasts that cover the next button are closed: every click of the steps
// file makes its call, and record exits 0.
func TestRecordStepsThroughToasts(t *testing.T) {
	needChromium(t)
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			app := gradiotest.Start(t, "toasty", gradiotest.Version(v))
			out := filepath.Join(t.TempDir(), "toasty.json")
			code, _, stderr := run("record", "--steps", stepsFile(t, "toasty"), "-o", out, app.URL+"/")
			if code != ExitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			rec, err := recording.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range rec.Calls {
				got = append(got, c.APIName+" "+c.Status)
			}
			want := []string{"/notify completed", "/next completed", "/notify completed", "/next completed"}
			if strings.Join(got, ", ") != strings.Join(want, ", ") {
				t.Errorf("calls %q, want %q\n%s", got, want, stderr)
			}
		})
	}
}

// An overlay that never goes fails the step, naming it, and record exits 1
// with no call recorded: the click did not reach the button under it.
func TestRecordStepsCovered(t *testing.T) {
	needChromium(t)
	app := gradiotest.Start(t, "toasty")
	proxy := veiledProxy(t, app.URL)
	// The step waits its whole timeout for the veil to go; on a busy
	// machine the page takes seconds to render before that wait starts.
	steps := filepath.Join(t.TempDir(), "steps.yaml")
	if err := os.WriteFile(steps, []byte("timeout: 8s\nsteps:\n  - click: Notify\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "veiled.json")
	code, _, stderr := run("record", "--steps", steps, "-o", out, proxy+"/")
	if code != ExitError {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitError, stderr)
	}
	want := `step 1 (line 3, click: Notify): click: <div id="veil" class="veil"> showing "Closed for \"maintenance\" <b>" covers the target at (`
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "close or remove it with a step before this one") {
		t.Errorf("stderr lacks %s…:\n%s", want, stderr)
	}
	rec, err := recording.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 0 {
		t.Errorf("%d calls recorded, want none", len(rec.Calls))
	}
}

// veiledProxy serves the app at target through a proxy that adds a fixed
// overlay over the whole of its page, with hostile text.
func veiledProxy(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(u)
	director := p.Director
	p.Director = func(r *http.Request) {
		director(r)
		r.Header.Del("Accept-Encoding")
	}
	veil := []byte(`<div id="veil" class="veil" style="position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.3)">` +
		`Closed for "maintenance" &lt;b&gt;</div></body>`)
	p.ModifyResponse = func(resp *http.Response) error {
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		body = bytes.Replace(body, []byte("</body>"), veil, 1)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL
}
