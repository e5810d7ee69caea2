package recording

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestSecretName(t *testing.T) {
	for in, want := range map[string]string{
		"api_key": "API_KEY", "API key": "API_KEY", "OpenAI API Key (sk-…)": "OPENAI_API_KEY_SK",
		"2fa": "S_2FA", "": "SECRET", "!!!": "SECRET", "password": "PASSWORD",
		strings.Repeat("long_", 20): "LONG_LONG_LONG_LONG_LONG_LONG_LO",
		"é\x1b[31m":                 "S_31M", `"""; import os #`: "IMPORT_OS",
	} {
		if got := SecretName(in); got != want {
			t.Errorf("SecretName(%q) = %q, want %q", in, got, want)
		}
		if _, ok := ParseSecret(Placeholder(SecretName(in))); !ok {
			t.Errorf("the placeholder of %q does not parse", in)
		}
	}
}

func TestParseAndSplitSecrets(t *testing.T) {
	if name, ok := ParseSecret("<redacted:API_KEY>"); !ok || name != "API_KEY" {
		t.Errorf("ParseSecret = %q, %v", name, ok)
	}
	for _, s := range []string{"<redacted>", "x<redacted:API_KEY>", "<redacted:api_key>", "<redacted:A B>"} {
		if _, ok := ParseSecret(s); ok {
			t.Errorf("ParseSecret(%q) is ok", s)
		}
	}
	got := SplitSecrets("key <redacted:API_KEY> and <redacted:TOKEN>!")
	want := []SecretPart{{Text: "key "}, {Secret: "API_KEY"}, {Text: " and "}, {Secret: "TOKEN"}, {Text: "!"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SplitSecrets = %+v", got)
	}
	if got := SplitSecrets(""); !reflect.DeepEqual(got, []SecretPart{{Text: ""}}) {
		t.Errorf("SplitSecrets(\"\") = %+v", got)
	}
}

// A secret typed into an input named like one, or labelled like one, is
// named after it and replaced wherever it appears: the raw data, an output
// that echoes it, another call.
func TestSecretInputsAreNamedAndFoundEverywhere(t *testing.T) {
	const key = "sk-live-0123456789abcdef"
	rec := sampleRecording()
	rec.App.Endpoints[0].Parameters = append(rec.App.Endpoints[0].Parameters, Parameter{Name: "credential", Label: "OpenAI API key", Component: "Textbox"})
	c := &rec.Calls[0]
	c.Inputs = append(c.Inputs, Arg{Name: "credential", Value: raw(`"` + key + `"`)})
	c.Data = append(c.Data, raw(`"`+key+`"`))
	c.Outputs = append(c.Outputs, raw(`{"echo":"your key is `+key+`"}`))
	rec.Calls[1].Error.Message = "rejected " + key

	doc, err := redactRecording(rec)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := encode(doc, false)
	if strings.Contains(string(b), key) {
		t.Fatalf("the key is left in %s", b)
	}
	for _, want := range []string{`"value":"<redacted:CREDENTIAL>"`, `your key is <redacted:CREDENTIAL>`, `rejected <redacted:CREDENTIAL>`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %s in the redacted recording", want)
		}
	}
	if got := doc.SecretNames(); !reflect.DeepEqual(got, []string{"CREDENTIAL"}) {
		t.Errorf("SecretNames = %q", got)
	}
}

// redactRecording redacts rec as Save does.
func redactRecording(rec *Recording) (*Recording, error) {
	rd := newRedactor(nil)
	for i := range rec.Calls {
		rd.learn(&rec.App, &rec.Calls[i])
	}
	return redacted(rd, rec)
}

// A short password is replaced where it is a whole value, never inside
// ordinary text: the output "Hello, Ada!" stays as it was.
func TestShortSecretLeavesTextAlone(t *testing.T) {
	r := NewRedactor(Secret{Name: "password", Value: "Hello"})
	c := Call{ID: 1, Inputs: []Arg{{Name: "pw", Value: raw(`"Hello"`)}, {Name: "name", Value: raw(`"Ada"`)}},
		Data: []json.RawMessage{raw(`"Hello"`), raw(`"Ada"`)}, Outputs: []json.RawMessage{raw(`"Hello, Ada!"`), raw(`["Hello"]`)}}
	got, err := r.Call(nil, c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := encode(got, false)
	for _, want := range []string{`"value":"<redacted:PASSWORD>"`, `"data":["<redacted:PASSWORD>","Ada"]`, `"Hello, Ada!"`, `["<redacted:PASSWORD>"]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %s in %s", want, b)
		}
	}
}

// Two inputs of the same name with other values get distinct names.
func TestSecretNamesDoNotCollide(t *testing.T) {
	r := NewRedactor(Secret{Name: "token", Value: "first-token-value"}, Secret{Name: "token", Value: "second-token-value"},
		Secret{Name: "token", Value: "first-token-value"})
	if got := r.String("first-token-value second-token-value"); got != "<redacted:TOKEN> <redacted:TOKEN_2>" {
		t.Errorf("got %q", got)
	}
}

func TestIsSecretInput(t *testing.T) {
	for name, want := range map[string]bool{
		"api_key": true, "OpenAI API key": true, "hf_token": true, "HF Token": true, "client_secret": true,
		"password": true, "Password": true, "user_password": true, "passphrase": true, "apikey": true,
		"Access key": true, "private-key": true, "accessToken": true, "x-api-key": true,
		"tokenizer": false, "max_tokens": false, "max_new_tokens": false,
		"key": false, "keyword": false, "secrets_count": false, "name": false, "prompt": false, "": false,
	} {
		if got := isSecretInput(name); got != want {
			t.Errorf("isSecretInput(%q) = %v, want %v", name, got, want)
		}
	}
}
