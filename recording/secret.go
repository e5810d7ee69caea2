package recording

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
)

// MinSecretInText is the length in bytes from which a secret's value is
// sought inside longer text. A shorter secret (a password such as "Hello")
// is replaced only where a whole string is exactly its value: replacing it
// inside ordinary text would corrupt the recording ("Hello, Ada!") and the
// text around the placeholder would give the secret away.
const MinSecretInText = 8

// Secret is a value to keep out of everything written. A named secret is
// written as the placeholder "<redacted:NAME>" (see Placeholder), and code
// generated from the recording, and replay, read its value from the
// environment variable Env(NAME); a secret without a name is written as
// Redacted and cannot be given back.
type Secret struct {
	Name  string // an upper-case identifier such as "API_KEY" (made one by SecretName), or ""
	Value string // the secret itself
}

// placeholder is what replaces the secret.
func (s Secret) placeholder() string {
	if s.Name == "" {
		return Redacted
	}
	return Placeholder(s.Name)
}

// Placeholder returns what a named secret is written as: "<redacted:NAME>".
func Placeholder(name string) string { return "<redacted:" + name + ">" }

// SecretEnv returns the environment variable that holds the named secret's
// value for generated code and replay: "GRADIO_SECRET_" + name.
func SecretEnv(name string) string { return "GRADIO_SECRET_" + name }

var (
	placeholderRE = regexp.MustCompile(`<redacted:([A-Z][A-Z0-9_]{0,39})>`)
	notNameChars  = regexp.MustCompile(`[^A-Z0-9]+`)
)

// SecretName makes a secret's name of a parameter name or label: upper
// case, runs of other characters as one "_", at most 32 characters,
// starting with a letter ("API key" → "API_KEY", "2fa" → "S_2FA"); "SECRET"
// when nothing is left.
func SecretName(s string) string {
	n := strings.Trim(notNameChars.ReplaceAllString(strings.ToUpper(s), "_"), "_")
	if n == "" {
		return "SECRET"
	}
	if n[0] < 'A' || n[0] > 'Z' {
		n = "S_" + n
	}
	if len(n) > 32 {
		n = strings.TrimRight(n[:32], "_")
	}
	return n
}

// ParseSecret reports whether s is exactly a named secret's placeholder,
// and returns its name.
func ParseSecret(s string) (name string, ok bool) {
	m := placeholderRE.FindStringSubmatch(s)
	if m == nil || len(m[0]) != len(s) {
		return "", false
	}
	return m[1], true
}

func isPlaceholder(s string) bool {
	_, ok := ParseSecret(s)
	return ok
}

// SecretPart is a piece of a string split by SplitSecrets: literal text, or
// a named secret.
type SecretPart struct {
	Text   string // the literal text, when Secret is ""
	Secret string // the secret's name
}

// SplitSecrets splits s into literal text and the named secrets' placeholders
// in it, in order; a string without any is one literal part.
func SplitSecrets(s string) []SecretPart {
	var parts []SecretPart
	last := 0
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > last {
			parts = append(parts, SecretPart{Text: s[last:m[0]]})
		}
		parts = append(parts, SecretPart{Secret: s[m[2]:m[3]]})
		last = m[1]
	}
	if last < len(s) || len(parts) == 0 {
		parts = append(parts, SecretPart{Text: s[last:]})
	}
	return parts
}

// SecretNames returns the names of the secrets whose placeholders stand in
// the recording's call inputs (inputs and data), sorted: the environment
// variables (SecretEnv) a replay of it or code generated from it needs.
func (r *Recording) SecretNames() []string {
	var names []string
	add := func(raw json.RawMessage) {
		for _, m := range placeholderRE.FindAllSubmatch(raw, -1) {
			names = append(names, string(m[1]))
		}
	}
	for _, c := range r.Calls {
		for _, a := range c.Inputs {
			add(a.Value)
		}
		for _, d := range c.Data {
			add(d)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// isSecretInput reports whether an input named name (a parameter name or a
// component's label) holds a secret: one of its words is, or ends in,
// password, passwd, passphrase, secret or token, or it says API key, access
// key or private key ("api_key", "OpenAI API key", "hf_token",
// "client_secret"); "tokenizer" and "max_tokens" are not. It is broader than
// isSensitiveKey, which decides for members of free JSON.
func isSecretInput(name string) bool {
	words := strings.Split(strings.ToLower(strings.Trim(notNameChars.ReplaceAllString(strings.ToUpper(name), "_"), "_")), "_")
	for i, w := range words {
		for _, end := range []string{"password", "passwd", "passphrase", "secret", "token", "apikey"} {
			if strings.HasSuffix(w, end) {
				return true
			}
		}
		if w == "key" && i > 0 && (words[i-1] == "api" || words[i-1] == "access" || words[i-1] == "private") {
			return true
		}
	}
	return isSensitiveKey(name)
}

// Redactor applies the redaction rules (see Redacted) outside a document
// or a journal: to a call shown in a terminal or a window, or to a replayed
// output before it is compared with a recorded one. Secrets can be added as
// they become known. A Redactor is safe for concurrent use; one may be
// shared with a journal (UseRedactor), so that both learn the same secrets.
type Redactor struct{ rd *redactor }

// NewRedactor returns a Redactor of the given secrets and the built-in
// rules.
func NewRedactor(secrets ...Secret) *Redactor {
	r := &Redactor{rd: &redactor{}}
	r.rd.add(secrets...)
	return r
}

// Add adds secrets.
func (r *Redactor) Add(secrets ...Secret) { r.rd.add(secrets...) }

// Known returns how many secrets the Redactor knows: a value redacted when
// it knew as many is redacted still.
func (r *Redactor) Known() int {
	r.rd.mu.RLock()
	defer r.rd.mu.RUnlock()
	return len(r.rd.secrets)
}

// String returns s redacted.
func (r *Redactor) String(s string) string { return r.rd.String(s) }

// Value returns a JSON value redacted: compact, member order kept.
func (r *Redactor) Value(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		return raw, nil
	}
	return r.rd.raw(raw, false)
}

// Call returns a copy of call as a document holds it: the values of inputs
// named like secrets are learned (see Recording) and every secret replaced.
// app, when not nil, gives the parameters' labels.
func (r *Redactor) Call(app *App, call Call) (Call, error) {
	r.rd.learn(app, &call)
	c, err := redacted(r.rd, &call)
	if err != nil {
		return Call{}, err
	}
	return *c, nil
}

// learn adds as named secrets the string values of call's inputs whose
// parameter name, or label in app, names a secret.
func (rd *redactor) learn(app *App, call *Call) {
	var labels map[string]string
	if app != nil {
		if e := app.Endpoint(call.FnIndex); e != nil {
			labels = map[string]string{}
			for _, p := range e.Parameters {
				labels[p.Name] = p.Label
			}
		}
	}
	var found []Secret
	for _, a := range call.Inputs {
		if !isSecretInput(a.Name) && !isSecretInput(labels[a.Name]) {
			continue
		}
		if v, ok := jsonString(a.Value); ok {
			found = append(found, Secret{Name: a.Name, Value: v})
		}
	}
	if len(found) > 0 {
		rd.add(found...)
	}
}
