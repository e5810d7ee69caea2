package cli

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// dictCookie is a login cookie as an app echoes request.cookies, with its
// value.
var dictCookie = regexp.MustCompile(`access-token[A-Za-z0-9_-]*': '([^']*)'`)

// TestRecordRedactsTypedSecrets records secrets typed into an app behind a
// login that echoes them: a password box (known only by its type), an input labelled "API key", the
// login cookie, and a short login password ("Hello") that is also an
// ordinary word. None reaches the recording, its files or the output; the
// typed ones become named placeholders; the greeting "Hello, Ada!" is left
// alone. Replay sends the secrets from GRADIO_SECRET_* and passes, and
// without them says which variables to set (exit 2).
func TestRecordRedactsTypedSecrets(t *testing.T) {
	needChromium(t)
	app := gradiotest.Start(t, "vault")
	passphrase := "open-sesame-" + rand.Text()[:8]
	key := "sk-" + rand.Text()
	dir := t.TempDir()
	out := filepath.Join(dir, "vault.json")
	p := startCommand(t, dir, []string{"VAULT_PASSPHRASE=" + passphrase, "VAULT_KEY=" + key, "GRADIO_USER=ada", "GRADIO_PASSWORD=Hello"},
		"record", "--steps", testdataPath(t, "vault.yaml"), "-o", out, app.URL+"/")
	if code := p.exitCode(t); code != ExitOK {
		t.Fatalf("record: exit %d", code)
	}
	secrets := []string{passphrase, key}
	grepBytes(t, "the command's output", []byte(p.output()), secrets...)
	grepDir(t, dir, secrets...)
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range dictCookie.FindAllStringSubmatch(string(doc), -1) {
		if m[1] != recording.Redacted {
			t.Errorf("the echoed login cookie is kept: %s", m[0])
		}
	}

	rec, err := recording.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, c := range rec.Calls {
		if len(c.Outputs) == 1 {
			outputs[c.APIName] = string(c.Outputs[0])
		}
	}
	for api, want := range map[string]string{
		"/greet":     `"Hello, Ada!"`,
		"/unlock":    `"Ada unlocked the vault with <redacted:WORD>"`,
		"/check_key": `"key <redacted:API_KEY> accepted"`,
	} {
		if outputs[api] != want {
			t.Errorf("%s output %s, want %s", api, outputs[api], want)
		}
	}
	if !dictCookie.MatchString(outputs["/cookies"]) {
		t.Errorf("/cookies output %s shows no login cookie", outputs["/cookies"])
	}
	if got := rec.SecretNames(); !slices.Equal(got, []string{"API_KEY", "WORD"}) {
		t.Errorf("secrets %q, want API_KEY and WORD", got)
	}

	t.Setenv("GRADIO_USER", "ada")
	t.Setenv("GRADIO_PASSWORD", "Hello")
	code, stdout, stderr := run("replay", "--user", "ada", out)
	if code != replay.ExitBadInput || !strings.Contains(stderr, "GRADIO_SECRET_API_KEY, GRADIO_SECRET_WORD") {
		t.Errorf("replay without the secrets: exit %d, want %d naming both variables:\n%s%s", code, replay.ExitBadInput, stdout, stderr)
	}
	t.Setenv("GRADIO_SECRET_WORD", passphrase)
	t.Setenv("GRADIO_SECRET_API_KEY", key)
	code, stdout, stderr = run("replay", "--all", "--user", "ada", out)
	if code != replay.ExitPass {
		t.Errorf("replay with the secrets: exit %d:\n%s%s", code, stdout, stderr)
	}
	grepBytes(t, "the replay's report", []byte(stdout+stderr), secrets...)
}
