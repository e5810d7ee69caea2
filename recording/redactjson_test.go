package recording

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestRedactRaw(t *testing.T) {
	rd := newRedactor([]string{pass})
	sha := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		in, want  string
		sensitive bool
	}{
		{in: `{"b":1.50,"a":[true,null,"x"],"n":-0e3}`, want: `{"b":1.50,"a":[true,null,"x"],"n":-0e3}`},
		{in: `"<b>&amp;</b>"`, want: `"<b>&amp;</b>"`},
		{in: `"\u00e9\n\u2028"`, want: `"é\n\u2028"`},
		{in: ` [ 1 , { } , [ ] ] `, want: `[1,{},[]]`},
		{in: `{"password":"hunter2","Password":7,"X-HF-Authorization":"Bearer x","oauth_token":{"t":"abc"}}`,
			want: `{"password":"<redacted>","Password":7,"X-HF-Authorization":"<redacted>","oauth_token":{"t":"<redacted>"}}`},
		{in: `{"headers":[{"name":"Cookie","value":"a=b"},{"name":"Accept","value":"*/*"}]}`,
			want: `{"headers":[{"name":"Cookie","value":"<redacted>"},{"name":"Accept","value":"*/*"}]}`},
		{in: `{"deep":{"deeper":["say ` + pass + `", {"` + pass + `": "k"}]}}`, want: `{"deep":{"deeper":["say <redacted>",{"<redacted>":"k"}]}}`},
		{in: `{"fixture":"` + sha + `/` + pass + `.txt","path":"/tmp/` + pass + `"}`, want: `{"fixture":"` + sha + `/_redacted_.txt","path":"/tmp/<redacted>"}`},
		{in: `"hunter2"`, want: `"<redacted>"`, sensitive: true},
		{in: `{"a":["x",1]}`, want: `{"a":["<redacted>",1]}`, sensitive: true},
	} {
		got, err := rd.raw([]byte(tc.in), tc.sensitive)
		if err != nil || string(got) != tc.want {
			t.Errorf("raw(%s)\n got %s, %v\nwant %s", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{``, `{`, `[1,]`, `1 2`, `{"a" 1}`, `nul`} {
		if got, err := rd.raw([]byte(bad), false); err == nil {
			t.Errorf("raw(%q) = %s, want an error", bad, got)
		}
	}
}

func TestRedactedLeavesStructureAlone(t *testing.T) {
	rec := sampleRecording()
	// A short secret that is everywhere: in ids, hashes, statuses, formats.
	rd := newRedactor([]string{"e", "1", "s", "n", "painting"})
	doc, err := redacted(rd, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(); err != nil {
		t.Errorf("redaction broke the recording: %v", err)
	}
	if doc.Calls[0].Status != Completed || doc.Sessions[0].ID != "s1" || doc.Files[0].SHA256 != rec.Files[0].SHA256 {
		t.Errorf("structural fields changed: %+v", doc.Calls[0])
	}
	if !strings.HasPrefix(doc.Files[0].Name, rec.Files[0].SHA256+"/") {
		t.Errorf("fixture name %q lost its hash", doc.Files[0].Name)
	}
	if doc.Tool != rec.Tool || doc.App.Version != rec.App.Version {
		t.Error("tool or version redacted")
	}
	if doc.Calls[0].Log[0].Message == rec.Calls[0].Log[0].Message {
		t.Error("a log message was not redacted")
	}
	// The original is untouched.
	if rec.Calls[0].Log[0].Message != "painting" || string(rec.Calls[0].Inputs[0].Value) != `"a <b>bold</b> cat"` {
		t.Error("redacted changed its argument")
	}
}

func TestRedactedArgByName(t *testing.T) {
	rec := &Recording{Calls: []Call{{Inputs: []Arg{
		{Name: "password", Value: raw(`"s3cr3t"`)},
		{Name: "api_key", Value: raw(`{"k":"v"}`)},
		{Name: "prompt", Value: raw(`"s3cr3t"`)},
	}}}}
	doc, err := redacted(newRedactor(nil), rec)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{string(doc.Calls[0].Inputs[0].Value), string(doc.Calls[0].Inputs[1].Value), string(doc.Calls[0].Inputs[2].Value)}
	// The password is a named secret, found wherever a whole string is it.
	want := []string{`"<redacted:PASSWORD>"`, `{"k":"<redacted>"}`, `"<redacted:PASSWORD>"`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSensitiveHintsCoverEveryKey(t *testing.T) {
	for k := range sensitiveKeys {
		for _, v := range []string{k, strings.ReplaceAll(k, "_", "-"), strings.ToUpper(k), "X-" + k} {
			if !isSensitiveKey(strings.TrimPrefix(v, "X-")) {
				t.Errorf("%q is not sensitive", v)
			}
			if !slices.ContainsFunc(sensitiveHints, func(h string) bool { return containsFold(v, h) }) {
				t.Errorf("no hint finds the sensitive key %q", v)
			}
		}
	}
}

func TestRawFastPathAgrees(t *testing.T) {
	rd := newRedactor([]string{pass})
	for _, in := range []string{
		`{"a":1,"b":[true,null,"plain <b>html</b>"]}`,
		`{"a":"token=abc"}`, `{"u":"https://x/?a=1&__sign=abc"}`, `{"m":"see Cookie: a"}`,
		`{"k":"` + pass + `"}`, `{"` + pass + `":1}`, `{"name":"Cookie","value":"x"}`,
		`{"h":{"X-Api-Key":"k"}}`, `{"t":"hf_` + strings.Repeat("x", 30) + `"}`,
		`"bearer ` + strings.Repeat("y", 20) + `"`, `{"f":"http://u:p@h/"}`, `{"s":"secretary"}`,
		`[1.0, -2e5, "x"]`, `"é"`,
	} {
		fast, err1 := rd.raw([]byte(in), false)
		slow, err2 := rd.rewrite([]byte(in), false)
		if err1 != nil || err2 != nil || !bytes.Equal(fast, slow) {
			t.Errorf("raw(%s) = %s, %v; rewrite = %s, %v", in, fast, err1, slow, err2)
		}
	}
}

// FuzzRaw: for any valid JSON value, raw returns valid JSON, is idempotent,
// and its fast path agrees with the token by token rewrite.
func FuzzRaw(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",null]}`, `"token=abc"`, `{"name":"cookie","value":"x"}`, `{"password":{"a":["b"]}}`,
		`"\u2028<>&"`, `{"fixture":"` + strings.Repeat("a", 64) + `/hf_` + strings.Repeat("b", 24) + `"}`} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, in []byte, sensitive bool) {
		if !json.Valid(in) {
			return
		}
		rd := newRedactor([]string{"abc"})
		once, err := rd.raw(in, sensitive)
		if err != nil {
			t.Fatalf("raw(%q) = %v", in, err)
		}
		if !json.Valid(once) {
			t.Fatalf("raw(%q) = %q, not JSON", in, once)
		}
		if twice, _ := rd.raw(once, sensitive); !bytes.Equal(once, twice) {
			t.Fatalf("not idempotent: %q → %q → %q", in, once, twice)
		}
		if !sensitive {
			if slow, _ := rd.rewrite(in, false); !bytes.Equal(once, slow) {
				t.Fatalf("fast path %q, rewrite %q for %q", once, slow, in)
			}
		}
	})
}
