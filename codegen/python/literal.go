package python

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// style is black's default layout: four spaces, 88 columns, wide characters
// counted twice.
var style = layout.Style{Indent: "    ", Max: 88, Width: width}

// maxDepth is the deepest value written as a literal; deeper ones are
// written as json.loads("...") because CPython's parser refuses more than
// 200 nested brackets.
const maxDepth = 90

// Literal returns the Python expression for a JSON value on one line:
// exactly what json.loads returns for the same text (int or float as the
// text says, lone surrogates kept, invalid UTF-8 read as U+FFFD). Values
// nested deeper than 90 levels become json.loads("...").
func Literal(raw json.RawMessage) (string, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return "", err
	}
	return layout.Flat(node(v, hereDir)), nil
}

// hereDir puts HERE, the code's folder, before an input file's path, so
// that the file is found whatever the working folder.
const hereDir = "HERE / "

// node turns a value into layout nodes.
//
// dir is what goes before an input file's path: hereDir, or "" in a script
// that has made its own folder the working folder.
func node(v value.Value, dir string) layout.Node {
	if deep(v) {
		return &layout.List{Open: "json.loads(", Close: ")", Items: []layout.Node{layout.Text(String(value.JSON{}.String(v)))}}
	}
	return literal(v, dir)
}

// deep reports whether v is written with json.loads.
func deep(v value.Value) bool { return v.Depth() > maxDepth && !v.HasFile() && !v.HasSecret() }

func literal(v value.Value, dir string) layout.Node {
	switch v.Kind {
	case value.Null:
		return layout.Text("None")
	case value.Bool:
		if v.Bool {
			return layout.Text("True")
		}
		return layout.Text("False")
	case value.Number:
		return layout.Text(Number(v.Text))
	case value.String:
		return layout.Text(String(v.Text))
	case value.Array:
		l := &layout.List{Open: "[", Close: "]", Items: make([]layout.Node, len(v.Items))}
		for i, it := range v.Items {
			l.Items[i] = literal(it, dir)
		}
		return l
	case value.Object:
		l := &layout.List{Open: "{", Close: "}", Items: make([]layout.Node, len(v.Fields))}
		for i, f := range v.Fields {
			l.Items[i] = layout.Seq{layout.Text(String(f.Key) + ": "), literal(f.Value, dir)}
		}
		return l
	case value.File:
		if v.File.URL != "" {
			return layout.Text("handle_file(" + String(v.File.URL) + ")")
		}
		return layout.Text("handle_file(" + dir + String(v.File.Path) + ")")
	case value.Secret:
		return layout.Text(secretExpr(v.Parts))
	}
	panic(fmt.Sprintf("python: unknown value kind %d", v.Kind))
}

// secretExpr is a string built from literal text and secrets read from the
// environment: "Bearer " + os.environ["GRADIO_SECRET_API_KEY"].
func secretExpr(parts []value.Part) string {
	terms := make([]string, len(parts))
	for i, p := range parts {
		if p.Secret != "" {
			terms[i] = "os.environ[" + String(recording.SecretEnv(p.Secret)) + "]"
		} else {
			terms[i] = String(p.Text)
		}
	}
	return strings.Join(terms, " + ")
}

// Number returns a JSON number as Python source that evaluates to what
// json.loads gives: the same text, as black writes it ("1E+5" → "1e5").
func Number(text string) string {
	i := strings.IndexAny(text, "eE")
	if i < 0 {
		return text
	}
	exp := text[i+1:]
	exp = strings.TrimPrefix(exp, "+")
	return text[:i] + "e" + exp
}

// String returns the Python string literal of a WTF-8 string, quoted the
// way black leaves it: double quotes unless single quotes need fewer
// escapes. Printable characters are written as they are; line breaks,
// control, format and other invisible characters, U+2028/U+2029 and lone
// surrogates are escaped with lower-case hex, as black normalises them.
func String(s string) string {
	dq, sq := strings.Count(s, `"`), strings.Count(s, `'`)
	q := byte('"')
	if sq < dq {
		q = '\''
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for i := 0; i < len(s); {
		r, n := value.DecodeRune(s[i:])
		i += n
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteByte(q)
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
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// width is black's str_width: columns of a line, wide East Asian characters
// counting two.
func width(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && isWide(r) {
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	lo, hi := 0, len(wideRanges)-1
	for lo <= hi {
		m := (lo + hi) / 2
		switch {
		case r < wideRanges[m][0]:
			hi = m - 1
		case r > wideRanges[m][1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}
