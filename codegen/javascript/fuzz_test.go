package javascript

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/codegen/internal/value/valuetest"
)

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

// unquote reads a double-quoted JavaScript string literal as String writes
// them, returning WTF-8.
func unquote(t *testing.T, lit string) string {
	t.Helper()
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		t.Fatalf("not a quoted literal: %s", lit)
	}
	body := lit[1 : len(lit)-1]
	var b []byte
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			t.Fatalf("unescaped quote in %s", lit)
		case c < 0x20 || c == 0x7f:
			t.Fatalf("raw control character in %s", lit)
		case c != '\\':
			r, n := utf8.DecodeRuneInString(body[i:])
			if r == utf8.RuneError && n == 1 || r == 0x2028 || r == 0x2029 {
				t.Fatalf("raw %U in %q", r, lit)
			}
			b = append(b, body[i:i+n]...)
			i += n
			continue
		}
		e := body[i+1]
		i += 2
		switch e {
		case '\\', '"':
			b = append(b, e)
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'x', 'u':
			n, braced := 2, false
			if e == 'u' {
				n = 4
			}
			if e == 'u' && body[i] == '{' {
				end := strings.IndexByte(body[i:], '}')
				n, i, braced = end-1, i+1, true
			}
			r, err := strconv.ParseUint(body[i:i+n], 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			b = value.AppendRune(b, rune(r))
			i += n
			if braced {
				i++
			}
		default:
			t.Fatalf("unexpected escape \\%c in %s", e, lit)
		}
	}
	return string(b)
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "`${x}`", "\x00\n\u2028\xed\xa0\x80\xff", "日本🚀\U000e0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lit := String(s)
		if got, want := unquote(t, lit), wtf8(s); got != want {
			t.Fatalf("String(%q) = %s reads back as %q", s, lit, got)
		}
	})
}

func FuzzLiteral(f *testing.F) {
	g := valuetest.New(12)
	for i := 0; i < 10; i++ {
		f.Add(g.Doc())
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if _, err := value.Parse(doc); err != nil {
			return
		}
		lit, err := Literal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(lit) || strings.ContainsAny(lit, "\n\r\u2028\u2029") {
			t.Fatalf("literal %q is not one valid line", lit)
		}
	})
}
