package term

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"/calculate", "/calculate"},
		{"Grüße, Köln ✓ 日本", "Grüße, Köln ✓ 日本"},
		{"\x1b[2Jclear", `\x1b[2Jclear`},
		{"\x1b]52;c;cHduZWQ=\x07", `\x1b]52;c;cHduZWQ=\x07`}, // OSC 52 writes the clipboard
		{"\x1b]0;title\x1b\\", `\x1b]0;title\x1b\`},
		{"bell\a", `bell\x07`},
		{"nul\x00", `nul\x00`},
		{"del\x7f", `del\x7f`},
		{"a\nb\r\tc", `a\nb\r\tc`},
		{"c1 \u009b2J \u0085", `c1 \u009b2J \u0085`}, // CSI and NEL as C1 runes
		{"invalid \x9b\xff\xc3", `invalid \x9b\xff\xc3`},
		{"txt.exe\u202egnp.", `txt.exe\u202egnp.`}, // right-to-left override
		{"\u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069", `\u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069`},
		{"\u2065\u206a\u2029", "\u2065\u206a\u2029"},
		{`already "\x1b" quoted`, `already "\x1b" quoted`},
		{"C:\\path\\file", "C:\\path\\file"},
		{"U+FFFD \ufffd stays", "U+FFFD \ufffd stays"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeText(t *testing.T) {
	in := "line one\x1b[2J\nline two\t\u202e\n"
	want := "line one\\x1b[2J\nline two\\t\\u202e\n"
	if got := EscapeText(in); got != want {
		t.Errorf("EscapeText(%q) = %q, want %q", in, got, want)
	}
}

func TestHideURLPasswords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://127.0.0.1:7860/", "http://127.0.0.1:7860/"},
		{"https://ann:s3cret@example.com/app", "https://ann:<redacted>@example.com/app"},
		{"https://:s3cret@example.com", "https://:<redacted>@example.com"},
		{"https://ann@example.com", "https://ann@example.com"},
		{`Get "http://ann:pw@host:7860/config": refused; http://bob:x%40y@other/`,
			`Get "http://ann:<redacted>@host:7860/config": refused; http://bob:<redacted>@other/`},
		{"no url: ann:pw@host", "no url: ann:pw@host"},
		{"http://ann:p@ss:w@host:7860/x@y", "http://ann:<redacted>@host:7860/x@y"},
	} {
		if got := HideURLPasswords(tc.in); got != tc.want {
			t.Errorf("HideURLPasswords(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJSON(t *testing.T) {
	v := map[string]any{"api_name": "/x\x1b]52;c;aGk=\x07", "label": "out\u202e\u0085\x7f", "ok": "✓"}
	var buf bytes.Buffer
	enc := json.NewEncoder(JSON(&buf))
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if want := `{"api_name":"/x\u001b]52;c;aGk=\u0007","label":"out\u202e\u0085\u007f","ok":"✓"}` + "\n"; out != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	var back map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for k := range v {
		if back[k] != v[k] {
			t.Errorf("%s decodes as %q, want %q", k, back[k], v[k])
		}
	}
	// Raw JSON passed through (json.RawMessage) with a byte that is not UTF-8.
	buf.Reset()
	if _, err := JSON(&buf).Write([]byte("[\"a\xffb\"]\n")); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != `["a\ufffdb"]`+"\n" {
		t.Errorf("invalid UTF-8: %q", got)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e\u0085\x7f") {
		t.Errorf("raw control in %q", out)
	}
}
