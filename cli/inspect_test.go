package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

func TestInspect(t *testing.T) {
	app := gradiotest.Start(t, "calculator")
	code, out, errs := run("inspect", app.URL)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{`api_name="/calculate"`, "[Radio] operation: Literal['add', 'subtract', 'multiply', 'divide']"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out)
		}
	}

	code, out, errs = run("inspect", "--json", app.URL)
	if code != ExitOK {
		t.Fatalf("--json: exit %d: %s", code, errs)
	}
	var api struct {
		Endpoints []struct {
			APIName string `json:"api_name"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal([]byte(out), &api); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	if len(api.Endpoints) == 0 || api.Endpoints[0].APIName != "/calculate" {
		t.Errorf("--json endpoints = %+v", api.Endpoints)
	}
}

func TestInspectBadInput(t *testing.T) {
	notGradio := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>a plain web page</body></html>"))
	}))
	defer notGradio.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"inspect"}, ExitUsage, "want one app URL"},
		{[]string{"inspect", "--bogus", "x"}, ExitUsage, "flag provided but not defined"},
		{[]string{"inspect", notGradio.URL}, ExitError, "not a Gradio app"},
		{[]string{"inspect", dead.URL}, ExitError, strings.TrimPrefix(dead.URL, "http://")},
	} {
		code, _, errs := run(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}

func TestCall(t *testing.T) {
	calc := gradiotest.Start(t, "calculator")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{calc.URL, "/calculate", "6", "multiply", "7"}, "[42]\n"},
		{[]string{calc.URL, "/calculate", "num1=7", "operation=divide", "num2=2"}, "[3.5]\n"},
	} {
		code, out, errs := run(append([]string{"call"}, tc.args...)...)
		if code != ExitOK || out != tc.want {
			t.Errorf("call %v: exit %d, stdout %q, stderr %q; want %q", tc.args, code, out, errs, tc.want)
		}
	}
	code, _, errs := run("call", calc.URL, "/calculate", "1", "divide", "0")
	if code != ExitError || !strings.Contains(errs, "Cannot divide by zero!") {
		t.Errorf("divide by zero: exit %d, stderr %q", code, errs)
	}
	code, _, errs = run("call", calc.URL, "/nope")
	if code != ExitError || !strings.Contains(errs, "/calculate") {
		t.Errorf("unknown endpoint: exit %d, stderr %q (want the valid endpoints listed)", code, errs)
	}
	code, _, errs = run("call", calc.URL, "/calculate", "1", "num2=3")
	if code != ExitUsage || !strings.Contains(errs, "not both") {
		t.Errorf("mixed arguments: exit %d, stderr %q", code, errs)
	}

	stream := gradiotest.Start(t, "stream")
	code, out, errs := run("call", "--stream", stream.URL, "/count", "3")
	if code != ExitOK || out != "[1]\n[2]\n[3]\n[3]\n" {
		t.Errorf("--stream: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestCallFile(t *testing.T) {
	files := gradiotest.Start(t, "files")
	fixture := gradiotest.Root(t) + "/testdata/apps/fixtures/sample.txt"
	code, out, errs := run("call", files.URL, "/stats", "@"+fixture)
	if code != ExitOK || !strings.Contains(out, "sample.stats.txt") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
