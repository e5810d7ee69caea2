package recording

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	hfTok  = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
	jwt    = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMTIzIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	cookie = "Zx9_kQ-3vLr8pT2mWc5nYb"
	pass   = "correct-horse-battery"
)

func TestRedactString(t *testing.T) {
	rd := newRedactor([]string{pass, "battery", "Hello"})
	for _, tc := range []struct{ in, want string }{
		{"plain text, nothing to hide", "plain text, nothing to hide"},
		{"my password is " + pass + "!", "my password is <redacted>!"},
		{"battery low", "battery low"}, // shorter than MinSecretInText: whole strings only
		{"battery", "<redacted>"},
		{"Hello, Ada!", "Hello, Ada!"},
		{"Hello", "<redacted>"},
		{"{'access-token-q9Zx': '" + cookie + "', 'x': 1}", "{'access-token-q9Zx': '<redacted>', 'x': 1}"},
		{"token " + hfTok + " used", "token <redacted> used"},
		{"hf_transfer is a package", "hf_transfer is a package"},
		{"Authorization: Bearer abc", "Authorization: <redacted>"},
		{"x-hf-authorization:Bearer " + hfTok, "x-hf-authorization:<redacted>"},
		{"GET /\r\nCookie: access-token-x=1; other=2\r\nAccept: */*", "GET /\r\nCookie: <redacted>\r\nAccept: */*"},
		{"set-cookie: a=b", "set-cookie: <redacted>"},
		{`{"authorization": "Basic dXNlcjpwYXNz"}`, `{"authorization": <redacted>`},
		{"use bearer 0123456789abcdef0123 here", "use bearer <redacted> here"},
		{"the bearer of bad news", "the bearer of bad news"},
		{"jwt " + jwt, "jwt <redacted>"},
		{"https://x.hf.space/gradio_api/queue/data?session_hash=abc&__sign=" + jwt + "&y=1", "https://x.hf.space/gradio_api/queue/data?session_hash=abc&__sign=<redacted>&y=1"},
		{"https://x.hf.space/?__sign=opaque#frag", "https://x.hf.space/?__sign=<redacted>#frag"},
		{"https://s3/x?X-Amz-Signature=abcd&X-Amz-Credential=AKIA/x&ok=1", "https://s3/x?X-Amz-Signature=<redacted>&X-Amz-Credential=<redacted>&ok=1"},
		{"http://user:secretpw@example.com/app", "http://user:<redacted>@example.com/app"},
		{"http://example.com/a@b", "http://example.com/a@b"},
		{"access-token-q9Zx=" + cookie + "; access-token-unsecure-q9Zx=" + cookie, "access-token-q9Zx=<redacted>; access-token-unsecure-q9Zx=<redacted>"},
	} {
		if got := rd.String(tc.in); got != tc.want {
			t.Errorf("String(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		if again := rd.String(rd.String(tc.in)); again != rd.String(tc.in) {
			t.Errorf("String is not idempotent on %q: %q", tc.in, again)
		}
	}
}

func TestRedactLongestSecretFirst(t *testing.T) {
	rd := newRedactor([]string{"abcdefgh", "abcdefghijkl", "", "abcdefgh"})
	if got := rd.String("xabcdefghijklx abcdefgh"); got != "x<redacted>x <redacted>" {
		t.Errorf("got %q", got)
	}
	if len(rd.secrets) != 2 {
		t.Errorf("secrets = %q: empty and repeated ones must be dropped", rd.secrets)
	}
}

func TestContainsSecret(t *testing.T) {
	rd := newRedactor([]string{pass})
	for in, want := range map[string]bool{
		"nothing":                  false,
		"x" + pass + "y":           true,
		"HF_TOKEN=" + hfTok + "\n": true,
		"\x00\x01hf_short":         false,
	} {
		if got := rd.containsSecret([]byte(in)); got != want {
			t.Errorf("containsSecret(%q) = %v", in, got)
		}
	}
}

// plantSecrets returns a recording with secrets in every kind of place: the
// app URL, inputs, raw data, outputs (nested JSON), updates, event data, log
// messages, error messages and a file name.
func plantSecrets() *Recording {
	rec := sampleRecording()
	rec.App.URL = "https://user-app.hf.space/?__sign=" + jwt
	rec.App.Root = "https://user:" + pass + "@user-app.hf.space"
	c := &rec.Calls[0]
	c.Inputs[0].Value = raw(`"login with ` + pass + `"`)
	c.Inputs = append(c.Inputs, Arg{Name: "hf_token", Value: raw(`"` + hfTok + `"`)})
	c.Data = append(c.Data, raw(`"`+pass+`"`), raw(`"`+hfTok+`"`))
	c.EventData = raw(`{"headers":{"Cookie":"access-token-abc=` + cookie + `"}}`)
	c.Outputs = append(c.Outputs, raw(`{"result":{"nested":["Authorization: Bearer `+hfTok+`", {"echo": "`+pass+`"}]}}`))
	c.Updates = append(c.Updates, []json.RawMessage{raw(`"partial ` + pass + `"`)})
	c.Log = append(c.Log, Log{Level: "warning", Message: "cookie was access-token-unsecure-abc=" + cookie, Title: pass})
	rec.Calls[1].Error.Message = "bad token " + hfTok
	f := rec.AddFile([]byte("harmless bytes"), pass+".txt", "text/plain", RoleInput)
	c.Inputs = append(c.Inputs, Arg{Name: "doc", Value: fileData(f, "https://user-app.hf.space/file=x?__sign="+jwt)})
	return rec
}

// grepTree fails the test for every file under dir whose name or bytes hold
// one of the needles.
func grepTree(t *testing.T, dir string, needles ...string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, n := range needles {
			if strings.Contains(p, n) {
				t.Errorf("path %s holds a secret", p)
			}
		}
		if strings.ContainsAny(d.Name(), `<>:"|?*`) {
			t.Errorf("path %s is not a valid file name on Windows", p)
		}
		if d.IsDir() {
			return nil
		}
		files++
		b, err := os.ReadFile(p)
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				t.Errorf("%s holds the secret %q", p, n)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Fatalf("only %d files under %s: the test looked at nothing", files, dir)
	}
}

var planted = []string{pass, hfTok, jwt, cookie, "eyJ", "hf_Ab"}

func TestNothingSecretReachesDiskThroughSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.json")
	rec := plantSecrets()
	if err := Save(path, rec, Redact(pass)); err != nil {
		t.Fatal(err)
	}
	grepTree(t, dir, planted...)
	data, _ := os.ReadFile(path)
	if n := strings.Count(string(data), "<redacted"); n < 15 {
		t.Errorf("only %d placeholders in the document", n)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatalf("the redacted document does not load: %v", err)
	}
	if err := loaded.CheckFiles(); err != nil {
		t.Errorf("the redacted document lost a fixture: %v", err)
	}
	// The recording in memory keeps its values.
	if !strings.Contains(string(rec.Calls[0].Inputs[0].Value), pass) {
		t.Error("Save redacted the caller's recording")
	}
}

func TestNothingSecretReachesDiskThroughTheJournal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.json")
	rec := plantSecrets()
	header := *rec
	header.Calls, header.Files, header.held = nil, nil, nil
	j, err := CreateJournal(path, &header, Redact(pass))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rec.Sessions {
		if err := j.AddSession(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range rec.Files {
		if _, err := j.AddFile(rec.held[f.SHA256], f.OrigName, f.MIMEType, f.Role); err != nil {
			t.Fatal(err)
		}
	}
	// The journal names the file by its redacted name: point the inputs there.
	snap, err := j.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	rename := map[string]string{}
	for i, f := range rec.Files {
		rename[f.Name] = snap.Files[i].Name
	}
	for i := range rec.Calls {
		c := rec.Calls[i]
		for k := range c.Inputs {
			for old, new := range rename {
				c.Inputs[k].Value = bytes.ReplaceAll(c.Inputs[k].Value, []byte(old), []byte(new))
			}
		}
		if err := j.Start(c); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := j.Append(c); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	grepTree(t, dir, planted...)

	got, err := Recover(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(path, got); err != nil {
		t.Fatalf("the recovered recording does not save: %v", err)
	}
	grepTree(t, dir, planted...)
}

// TestSensitiveHintsCoverEveryKey guards raw's fast path: a text without
// any hint must hold no sensitive key, whatever its case and separators.
// TestRawFastPathAgrees checks that raw's fast path gives what the token by
// token rewrite gives.
func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   bool
	}{
		{"xxCoOkIe", "cookie", true}, {"COOKIE", "cookie", true}, {"a-Bearer", "bearer", true},
		{"bearerx", "bearer", true}, {"cooki", "cookie", false}, {"", "a", false}, {"beare r", "bearer", false},
	} {
		if got := containsFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v", tc.s, tc.sub, got)
		}
	}
}

func TestHasCredentialParam(t *testing.T) {
	for s, want := range map[string]bool{
		"token=x": true, "https://h/?a=1&Token=2": true, `{"u":"sig=1"}`: true, "a;__sign=1": true,
		"mytoken=x": false, "https://h/?a=1": false, "data:image/png;base64,AAAA==": false, "=": false,
		"?" + strings.Repeat("a", 30) + "token=1": false,
	} {
		if got := hasCredentialParam(s); got != want {
			t.Errorf("hasCredentialParam(%q) = %v", s, got)
		}
	}
}
