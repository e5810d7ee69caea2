package cli

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/replay"
)

// TestLoginNeeded: an app behind a login that was not given names the
// command's flag and variable, not the Go client's option.
func TestLoginNeeded(t *testing.T) {
	auth := gradiotest.Start(t, "auth")
	t.Setenv("GRADIO_USER", "")
	t.Setenv("GRADIO_PASSWORD", "")
	for _, args := range [][]string{
		{"call", auth.URL, "/greet", "Ann"},
		{"inspect", auth.URL},
		{"call", "--password-env", "AUTH_PW", auth.URL, "/greet", "Ann"},
	} {
		env := "$GRADIO_PASSWORD"
		if args[1] == "--password-env" {
			env = "$AUTH_PW"
		}
		want := auth.URL + " needs a login: give the user with --user NAME (or $GRADIO_USER) and the password in " + env
		code, _, errs := run(args...)
		if code != ExitError || !strings.Contains(errs, want) || strings.Contains(errs, "WithAuth") {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", args, code, errs, ExitError, want)
		}
	}
	code, out, errs := run("replay", "--url", auth.URL, filepath.Join(gradiotest.Root(t), "testdata", "recordings", gradiotest.DefaultVersion, "auth.json"))
	if want := " needs a login: give the user with --user NAME (or $GRADIO_USER) and the password in $GRADIO_PASSWORD"; code != replay.ExitUnreachable ||
		!strings.Contains(out+errs, want) || strings.Contains(out+errs, "WithAuth") {
		t.Errorf("replay: exit %d, output %q; want exit %d and %q", code, out+errs, replay.ExitUnreachable, want)
	}
	t.Setenv("GRADIO_PASSWORD", "s3cret-pass") // auth.py's default
	if code, out, errs := run("call", "--user", "admin", auth.URL, "/greet", "Ann"); code != ExitOK || out != "[\"Hello, Ann!\"]\n" {
		t.Errorf("logged in: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestURLPasswordHidden: the password of a URL given on the command line is
// never printed, whatever the command and however it fails.
func TestURLPasswordHidden(t *testing.T) {
	dead := httptest.NewServer(nil)
	dead.Close()
	const password = "url-s3cret"
	url := strings.Replace(dead.URL, "http://", "http://ann:"+password+"@", 1)
	hidden := "ann:<redacted>@" + strings.TrimPrefix(dead.URL, "http://")
	calc := goldenCopy(t, "calculator")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"inspect", url}, ExitError},
		{[]string{"call", url, "/calculate", "1", "add", "2"}, ExitError},
		{[]string{"replay", "--url", url, calc}, replay.ExitUnreachable},
		{[]string{"replay", "--json", "--url", url, calc}, replay.ExitUnreachable},
		{[]string{"record", "-o", filepath.Join(t.TempDir(), "x.json"), "ftp://ann:" + password + "@host/"}, ExitUsage},
	} {
		code, out, errs := run(tc.args...)
		out = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(out) // JSON escapes < and >
		if code != tc.code || strings.Contains(out+errs, password) || !strings.Contains(out+errs, "ann:<redacted>@") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and the URL as %s", tc.args, code, out, errs, tc.code, hidden)
		}
	}
	needChromium(t)
	code, out, errs := run("record", "-o", filepath.Join(t.TempDir(), "x.json"), url+"/")
	if code != ExitError || strings.Contains(out+errs, password) || !strings.Contains(errs, "opening http://"+hidden+"/") {
		t.Errorf("record: exit %d, stdout %q, stderr %q; want exit %d and the URL as %s", code, out, errs, ExitError, hidden)
	}
}
