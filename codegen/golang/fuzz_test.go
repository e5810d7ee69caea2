package golang

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen/internal/value/valuetest"
)

// FuzzNumber checks that a number constant, read back as Go would type it
// in an any, marshals to the JSON text it came from.
func FuzzNumber(f *testing.F) {
	g := valuetest.New(14)
	for i := 0; i < 20; i++ {
		f.Add(g.Number())
	}
	f.Fuzz(func(t *testing.T, text string) {
		var v any
		if json.Unmarshal([]byte(text), &v) != nil {
			return
		}
		if _, ok := v.(float64); !ok {
			return
		}
		code := Number(text)
		var got any
		switch {
		case strings.HasPrefix(code, "json.Number("):
			s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(code, "json.Number("), ")"))
			if err != nil || s != text {
				t.Fatalf("Number(%s) = %s", text, code)
			}
			return
		case strings.HasPrefix(code, "int64("):
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(code, "int64("), ")"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			got = n
		case strings.ContainsAny(code, ".e"):
			x, err := strconv.ParseFloat(code, 64)
			if err != nil || math.IsInf(x, 0) {
				t.Fatalf("Number(%s) = %s: %v", text, code, err)
			}
			got = x
		default:
			n, err := strconv.Atoi(code)
			if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
				t.Fatalf("Number(%s) = %s does not fit an int everywhere", text, code)
			}
			got = n
		}
		if b, err := json.Marshal(got); err != nil || string(b) != text {
			t.Fatalf("Number(%s) = %s marshals to %s", text, code, b)
		}
	})
}

// FuzzString checks string constants: exactly the Go string, always valid
// Go (jen quotes or a raw literal).
func FuzzString(f *testing.F) {
	for _, s := range []string{"", "`", "a\r\nb", "\x00\xff", "plain text"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code := rawString(s)
		got, err := strconv.Unquote(code)
		if err != nil || got != s {
			t.Fatalf("rawString(%q) = %s reads back as %q (%v)", s, code, got, err)
		}
	})
}
