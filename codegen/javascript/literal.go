package javascript

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

// style is prettier's default layout: two spaces, 80 columns.
var style = layout.Style{Indent: "  ", Max: 80, Width: utf8.RuneCountInString}

// maxDepth is the deepest value written as a literal; deeper ones become
// JSON.parse("...") to keep the code readable.
const maxDepth = 90

// Literal returns the JavaScript expression for a JSON value on one line:
// exactly what JSON.parse returns for the same text (numbers as doubles,
// lone surrogates kept, "__proto__" as an own property, invalid UTF-8 read as
// U+FFFD). Values nested deeper than 90 levels become JSON.parse("...").
func Literal(raw json.RawMessage) (string, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return "", err
	}
	return layout.Flat(node(v, "")), nil
}

// node lays out v. dir is the folder that the fixture helper puts before
// the paths it is given ("fixtures/"), trimmed from each input file's path;
// "" when it takes the whole path.
func node(v value.Value, dir string) layout.Node {
	if v.Depth() > maxDepth && !v.HasFile() && !v.HasSecret() {
		return layout.Text("JSON.parse(" + String(value.JSON{}.String(v)) + ")")
	}
	return literal(v, dir)
}

func literal(v value.Value, dir string) layout.Node {
	switch v.Kind {
	case value.Null:
		return layout.Text("null")
	case value.Bool:
		if v.Bool {
			return layout.Text("true")
		}
		return layout.Text("false")
	case value.Number:
		return layout.Text(v.Text) // JSON numbers are JavaScript numbers
	case value.String:
		return layout.Text(String(v.Text))
	case value.Array:
		l := &layout.List{Open: "[", Close: "]", Items: make([]layout.Node, len(v.Items))}
		for i, it := range v.Items {
			l.Items[i] = literal(it, dir)
		}
		return l
	case value.Object:
		l := &layout.List{Open: "{", Close: "}", FlatOpen: "{ ", FlatClose: " }", Items: make([]layout.Node, len(v.Fields))}
		for i, f := range v.Fields {
			l.Items[i] = layout.Seq{layout.Text(Key(f.Key) + ": "), literal(f.Value, dir)}
		}
		return l
	case value.File:
		if v.File.URL != "" {
			return layout.Text("handle_file(" + String(v.File.URL) + ")")
		}
		return layout.Text("await fixture(" + String(strings.TrimPrefix(v.File.Path, dir)) + ")")
	case value.Secret:
		return layout.Text(secretExpr(v.Parts))
	}
	panic(fmt.Sprintf("javascript: unknown value kind %d", v.Kind))
}

// Key returns an object literal's property name: bare when it is a plain
// identifier, a string otherwise, and ["__proto__"] for __proto__ (a bare
// or quoted __proto__ would set the prototype instead of a property).
func Key(k string) string {
	if k == "__proto__" {
		return `["__proto__"]`
	}
	if isIdent(k) {
		return k
	}
	return String(k)
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// String returns the double-quoted JavaScript string literal of a WTF-8
// string. Printable characters are written as they are; controls (as \xHH,
// never the octal-looking \0), invisible and format characters, U+2028/U+2029
// and lone surrogates (as \uD800, a single UTF-16 code unit) are escaped.
// Backticks and ${ need nothing outside template literals.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := value.DecodeRune(s[i:])
		i += n
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r >= 0x80 && !value.IsSurrogate(r) && unicode.IsPrint(r) && !(r == utf8.RuneError && n == 1):
			b.WriteString(s[i-n : i])
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02X`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\u{%X}`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
