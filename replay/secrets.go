package replay

import (
	"fmt"
	"os"
	"strings"

	"github.com/gradiorec/gradiorec/recording"
)

// MissingSecretsError is Run's error when the recording's inputs hold
// named secrets (recording.Placeholder) whose values the environment does
// not give: it names the variables to set. It wraps ErrBadInput.
type MissingSecretsError struct {
	Vars []string // e.g. GRADIO_SECRET_API_KEY, sorted
}

func (e *MissingSecretsError) Error() string {
	return fmt.Sprintf("the recording's inputs hold secrets that were redacted when it was recorded: "+
		"set %s to the value%s to send", strings.Join(e.Vars, ", "), map[bool]string{true: "s"}[len(e.Vars) > 1])
}

func (e *MissingSecretsError) Unwrap() error { return ErrBadInput }

// secrets are the named secrets a replay sends, and the redactor that
// hides them, and everything the recorder hid, in what the app answers.
type secrets struct {
	values map[string]string // by name
	rd     *recording.Redactor
}

// loadSecrets looks up the value of every named secret rec's inputs hold,
// with lookup (default: the environment variable recording.SecretEnv).
func loadSecrets(rec *recording.Recording, lookup func(name string) (string, bool)) (*secrets, error) {
	if lookup == nil {
		lookup = func(name string) (string, bool) { return os.LookupEnv(recording.SecretEnv(name)) }
	}
	s := &secrets{values: map[string]string{}}
	var known []recording.Secret
	var missing []string
	for _, name := range rec.SecretNames() {
		v, ok := lookup(name)
		if !ok || v == "" {
			missing = append(missing, recording.SecretEnv(name))
			continue
		}
		s.values[name] = v
		known = append(known, recording.Secret{Name: name, Value: v})
	}
	if len(missing) > 0 {
		return nil, &MissingSecretsError{Vars: missing}
	}
	s.rd = recording.NewRedactor(known...)
	return s, nil
}

// fill puts the secrets' values in place of their placeholders in an input
// value (a decoded JSON value), at any depth.
func (s *secrets) fill(v any) any {
	if len(s.values) == 0 {
		return v
	}
	switch t := v.(type) {
	case string:
		parts := recording.SplitSecrets(t)
		if len(parts) == 1 && parts[0].Secret == "" {
			return t
		}
		var b strings.Builder
		for _, p := range parts {
			if p.Secret == "" {
				b.WriteString(p.Text)
			} else if val, ok := s.values[p.Secret]; ok {
				b.WriteString(val)
			} else {
				b.WriteString(recording.Placeholder(p.Secret))
			}
		}
		return b.String()
	case map[string]any:
		for k, x := range t {
			t[k] = s.fill(x)
		}
	case []any:
		for i, x := range t {
			t[i] = s.fill(x)
		}
	}
	return v
}

// redact hides in a live value (decoded JSON) what the recorder hid in the
// recorded one: the named secrets, as their placeholders, and whatever the
// built-in rules find (tokens, cookies), so that the two compare equal and
// no report shows a secret.
func (s *secrets) redact(v any) any {
	switch t := v.(type) {
	case string:
		return s.rd.String(t)
	case map[string]any:
		for k, x := range t {
			t[k] = s.redact(x)
		}
	case []any:
		for i, x := range t {
			t[i] = s.redact(x)
		}
	case fileValue:
		t.name = s.rd.String(t.name)
		return t
	}
	return v
}

// redactResult hides secrets in what a call's result says: its error and
// its differences.
func (s *secrets) redactResult(res *CallResult) {
	res.Err = s.rd.String(res.Err)
	res.Reason = s.rd.String(res.Reason)
	for i := range res.Diffs {
		d := &res.Diffs[i]
		d.Want, d.Got, d.Note = s.rd.String(d.Want), s.rd.String(d.Got), s.rd.String(d.Note)
	}
}
