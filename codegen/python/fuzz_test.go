package python

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/codegen/internal/value/valuetest"
)

// wtf8 is s as String reads it: invalid bytes become U+FFFD.
func wtf8(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		r, n := value.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = utf8.AppendRune(b, r)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// unquote reads a Python string literal as String writes them (the
// escapes it uses), returning WTF-8.
func unquote(t *testing.T, lit string) string {
	t.Helper()
	if len(lit) < 2 || lit[0] != lit[len(lit)-1] || lit[0] != '"' && lit[0] != '\'' {
		t.Fatalf("not a quoted literal: %s", lit)
	}
	q, body := lit[0], lit[1:len(lit)-1]
	var b []byte
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == q:
			t.Fatalf("unescaped quote in %s", lit)
		case c < 0x20 || c == 0x7f:
			t.Fatalf("raw control character %#x in %s", c, lit)
		case c != '\\':
			r, n := utf8.DecodeRuneInString(body[i:])
			if r == utf8.RuneError && n == 1 {
				t.Fatalf("invalid UTF-8 in %q", lit)
			}
			b = append(b, body[i:i+n]...)
			i += n
			continue
		}
		e := body[i+1]
		i += 2
		digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
		switch {
		case e == '\\' || e == '"' || e == '\'':
			b = append(b, e)
		case e == 'n':
			b = append(b, '\n')
		case e == 'r':
			b = append(b, '\r')
		case e == 't':
			b = append(b, '\t')
		case digits > 0:
			h := body[i : i+digits]
			if strings.ToLower(h) != h {
				t.Fatalf("upper-case hex in %s (black lower-cases it)", lit)
			}
			r, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			b = value.AppendRune(b, rune(r))
			i += digits
		default:
			t.Fatalf("unexpected escape \\%c in %s", e, lit)
		}
	}
	return string(b)
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "a'b\"c", "\x00\n\u2028\xed\xa0\x80\xff", "日本🚀\U000e0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lit := String(s)
		if got, want := unquote(t, lit), wtf8(s); got != want {
			t.Fatalf("String(%q) = %s reads back as %q", s, lit, got)
		}
	})
}

// FuzzLiteral checks that every JSON document gives a literal, and that its
// layout keeps every line within black's limit unless a single token is
// longer.
func FuzzLiteral(f *testing.F) {
	g := valuetest.New(11)
	for i := 0; i < 10; i++ {
		f.Add(g.Doc())
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		v, err := value.Parse(doc)
		if err != nil {
			return
		}
		if _, err := Literal(doc); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		style.Write(&b, 1, "x = ", node(v, hereDir), "")
		for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			if !utf8.ValidString(line) {
				t.Fatalf("invalid UTF-8 line %q", line)
			}
			if width(line) > style.Max && strings.HasSuffix(strings.TrimRight(line, ","), "[") {
				t.Fatalf("over-long line that could be split: %s", line)
			}
		}
	})
}
