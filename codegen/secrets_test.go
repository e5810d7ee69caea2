package codegen_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// The secrets of the recording testdata/recordings/apikey.json, whose
// outputs were computed with them by testdata/apps/apikey.py.
const (
	apiKey   = "sk-test-0123456789" // long enough to be replaced inside text
	pin      = "pin-7Q"             // short: replaced only as a whole value
	otherKey = "sk-other-key-0123456789xyz"
)

// with returns a copy of the project that runs with env set, replacing the
// variables of the same names.
func (p *project) with(env ...string) *project {
	out := *p
	out.env = slices.DeleteFunc(slices.Clone(p.env), func(kv string) bool {
		return slices.ContainsFunc(env, func(e string) bool {
			name, _, _ := strings.Cut(e, "=")
			return strings.HasPrefix(kv, name+"=")
		})
	})
	out.env = append(out.env, env...)
	return &out
}

// TestGeneratedCodeSecrets runs the code generated from a recording of the
// apikey app, whose inputs hold the named secrets <redacted:API_KEY> and
// <redacted:PIN> (alone and inside a longer string) and the anonymous
// <redacted>, in every language and flavour. With GRADIO_SECRET_API_KEY and
// GRADIO_SECRET_PIN set, scripts print the recorded outputs and tests pass;
// with another key, tests fail and show placeholders where the key was;
// when the app fails with an error that quotes the key where the recording
// has none, the tests fail and show it redacted; with a variable unset, the
// code stops at once, naming it. No output ever shows a secret.
func TestGeneratedCodeSecrets(t *testing.T) {
	tl := findTools(t)
	version := gradiotest.DefaultVersion
	if tl.pythons[version] == "" {
		tl.pythons[version] = gradiotest.Python(t, version)
	}
	rec := load(t, filepath.Join("testdata", "recordings", "apikey.json"))
	p, err := plan.New(rec, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Secrets, []string{"API_KEY", "PIN"}) {
		t.Fatalf("secrets %v, want API_KEY and PIN", p.Secrets)
	}
	// unexpected is rec with the failing call recorded as completing.
	unexpected := load(t, filepath.Join("testdata", "recordings", "apikey.json"))
	unexpected.Calls[1].Status, unexpected.Calls[1].Error = recording.Completed, nil
	unexpected.Calls[1].Outputs = rec.Calls[0].Outputs
	app := gradiotest.Start(t, "apikey", gradiotest.Version(version))
	noSecret := func(t *testing.T, r *run, secrets ...string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(r.out, s) {
				t.Errorf("the output shows the secret %q:\n%s", s, r.out)
			}
		}
	}
	for _, lang := range codegen.Langs {
		for _, fl := range flavours {
			t.Run(string(lang)+"/"+string(fl), func(t *testing.T) {
				t.Parallel()
				pr := tl.prepare(t, rec, version, app.URL, codegen.Options{Lang: lang, Flavour: fl})

				r := pr.with("GRADIO_SECRET_API_KEY="+apiKey, "GRADIO_SECRET_PIN="+pin).run()
				if r.err != nil {
					t.Fatalf("with the secrets set: %v\n%s", r.err, r.out)
				}
				if fl == codegen.Script {
					checkScript(t, p, lang, r.out)
				} else {
					checkTest(t, p, lang, r.out)
				}
				noSecret(t, r, apiKey, pin)

				if fl == codegen.Test {
					r = pr.with("GRADIO_SECRET_API_KEY="+otherKey, "GRADIO_SECRET_PIN="+pin).run()
					if r.err == nil {
						t.Errorf("with another key the test passed:\n%s", r.out)
					}
					for _, want := range []string{"output 0 (greeting)", "<redacted:API_KEY> (26 characters)"} {
						if !strings.Contains(r.out, want) {
							t.Errorf("with another key the failure does not show %q:\n%s", want, r.out)
						}
					}
					noSecret(t, r, otherKey, pin)
				}

				if fl == codegen.Test {
					// The app's error quotes the key; here it is unexpected.
					r = tl.prepare(t, unexpected, version, app.URL, codegen.Options{Lang: lang, Flavour: fl}).
						with("GRADIO_SECRET_API_KEY="+apiKey, "GRADIO_SECRET_PIN="+pin).run()
					if r.err == nil {
						t.Errorf("with an unexpected error the test passed:\n%s", r.out)
					}
					if !strings.Contains(r.out, "No name given for key <redacted:API_KEY>") {
						t.Errorf("the unexpected error is not shown redacted:\n%s", r.out)
					}
					noSecret(t, r, apiKey, pin)
				}

				r = pr.with("GRADIO_SECRET_API_KEY=", "GRADIO_SECRET_PIN="+pin).run()
				if r.err == nil {
					t.Errorf("with GRADIO_SECRET_API_KEY unset the code succeeded:\n%s", r.out)
				}
				if !strings.Contains(r.out, "set GRADIO_SECRET_API_KEY") {
					t.Errorf("with GRADIO_SECRET_API_KEY unset the code does not say to set it:\n%s", r.out)
				}
				if strings.Contains(r.out, "1 /greet") {
					t.Errorf("with GRADIO_SECRET_API_KEY unset the code made calls:\n%s", r.out)
				}
				noSecret(t, r, pin)
			})
		}
	}
}
