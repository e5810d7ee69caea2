package curl

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen/internal/value/valuetest"
)

// unquote reads a bash word as Quote writes them: bare, or single-quoted
// parts joined by \'.
func unquote(t *testing.T, w string) string {
	t.Helper()
	if !strings.HasPrefix(w, "'") {
		if !isBare(w) {
			t.Fatalf("bare word %q needs quotes", w)
		}
		return w
	}
	var b strings.Builder
	for i := 0; i < len(w); {
		switch {
		case w[i] == '\'':
			end := strings.IndexByte(w[i+1:], '\'')
			if end < 0 {
				t.Fatalf("unterminated quote in %q", w)
			}
			b.WriteString(w[i+1 : i+1+end])
			i += end + 2
		case strings.HasPrefix(w[i:], `\'`):
			b.WriteByte('\'')
			i += 2
		default:
			t.Fatalf("unexpected %q in %q", w[i:], w)
		}
	}
	return b.String()
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "it's", "'''", "$(id) `x` \\ \n", "a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.IndexByte(s, 0) >= 0 {
			return // no bash word holds NUL
		}
		if got := unquote(t, Quote(s)); got != s {
			t.Fatalf("Quote(%q) = %s reads back as %q", s, Quote(s), got)
		}
	})
}

// FuzzLiteral checks that a body is valid JSON that encoding/json reads as
// the document, and the word reads back as the body.
func FuzzLiteral(f *testing.F) {
	g := valuetest.New(13)
	for i := 0; i < 10; i++ {
		f.Add(g.Doc())
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if !json.Valid(doc) {
			return
		}
		body, err := JSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		a, errA := decodeNumbers([]byte(doc))
		b, errB := decodeNumbers([]byte(body))
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("body %q reads differently from %q", body, doc)
		}
		lit, _ := Literal(doc)
		if got := unquote(t, lit); got != body {
			t.Fatalf("word %s reads back as %q", lit, got)
		}
	})
}

func decodeNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}
