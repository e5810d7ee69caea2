package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// TestRecordInWindowRedacts types secrets into an app that echoes them (a
// password box known only by its type, an "API key" input) while the
// window records it: neither reaches the autosave journal, the calls the
// window is sent, the live code or the saved recording, which holds their
// named placeholders. The window shares the CLI's record lifecycle.
func TestRecordInWindowRedacts(t *testing.T) {
	needChromium(t)
	vault := gradiotest.Start(t, "vault", gradiotest.Env("GRADIOREC_VAULT_OPEN", "1"))
	a, s, _ := testApp(t, Options{})
	word, key := "open-sesame-"+rand.Text()[:8], "sk-"+rand.Text()

	st, err := a.Session.Record(vault.URL)
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	script, err := steps.Parse("vault.yaml", []byte(`steps:
  - fill: Magic word
    value: `+word+`
  - click: Unlock
  - wait: unlocked
    value: World unlocked the vault with `+word+`
  - fill: API key
    value: `+key+`
  - click: Check key
  - wait: accepted
    value: key `+key+` accepted
`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(a.rec.Tab(), time.Minute)
	defer cancel()
	if err := script.Run(ctx, a.rec.WaitIdle); err != nil {
		t.Fatalf("steps: %v", err)
	}
	waitFor(t, "two calls sent to the window", func() bool { return len(s.completed()) == 2 })

	secrets := [][]byte{[]byte(word), []byte(key)}
	noSecret := func(what string, data []byte) {
		t.Helper()
		for _, sec := range secrets {
			if bytes.Contains(data, sec) {
				t.Errorf("%s holds the secret %q", what, sec)
			}
		}
	}
	journal, err := os.ReadFile(recording.JournalPath(st.Path))
	if err != nil {
		t.Fatal(err)
	}
	noSecret("the autosave journal", journal)
	events, _ := json.Marshal(s.completed())
	noSecret("the calls sent to the window", events)
	if !bytes.Contains(events, []byte("redacted:WORD")) || !bytes.Contains(events, []byte("redacted:API_KEY")) {
		t.Errorf("the window's calls lack the named placeholders: %s", events)
	}
	code, err := a.Code.Generate("python", "test", false)
	if err != nil {
		t.Fatal(err)
	}
	noSecret("the live code", []byte(code.Code))

	st, err = a.Session.Stop()
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	err = filepath.WalkDir(filepath.Dir(st.Path), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		noSecret(p, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := recording.Load(st.Path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rec.SecretNames(), " "); got != "API_KEY WORD" {
		t.Errorf("the saved recording's secrets are %q, want API_KEY WORD", got)
	}
}
