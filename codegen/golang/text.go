package golang

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// Session functions, which grow with the recording, are written as text
// laid out exactly as gofmt lays it out; the rest of a file (main, connect,
// the helpers) is built with jennifer and formatted. Formatting is what
// generating Go cost: gofmt parses what it is given and measures each call's
// arguments by printing them, closures and all, so a test of 10,000 calls
// took 0.6 s and its syntax tree hundreds of megabytes, against a single pass
// here. The goldens (byte for byte what jennifer and gofmt wrote) and
// TestLiteralsFormatted hold this code to gofmt's layout.

// code is Go source being written a line at a time, and the packages it
// uses.
type code struct {
	buf     []byte
	indent  int  // tabs before the current line
	fresh   bool // at the start of a line whose tabs are not written yet
	imports map[string]bool
	uses    *uses
}

func newCode(u *uses) *code {
	return &code{fresh: true, imports: map[string]bool{}, uses: u}
}

// put writes s on the current line.
func (w *code) put(s string) {
	if w.fresh && s != "" {
		for range w.indent {
			w.buf = append(w.buf, '\t')
		}
		w.fresh = false
	}
	w.buf = append(w.buf, s...)
}

// end ends the current line.
func (w *code) end() {
	w.buf = append(w.buf, '\n')
	w.fresh = true
}

func (w *code) line(s string) { w.put(s); w.end() }

// open writes a line that opens a block ("if err != nil {") and indents.
func (w *code) open(s string) { w.line(s); w.indent++ }

// close unindents and writes the line that closes a block ("}", "})").
func (w *code) close(s string) { w.indent--; w.line(s) }

// comment writes a line comment, as gofmt writes it: without trailing
// spaces.
func (w *code) comment(s string) {
	w.line(strings.TrimRightFunc("// "+s, unicode.IsSpace))
}

// doc writes the doc comment of a declaration, as gofmt rewrites it: pairs
// of backquotes and of single quotes become typographic quotes.
func (w *code) doc(s string) { w.comment(docQuotes.Replace(s)) }

var docQuotes = strings.NewReplacer("``", "“", "''", "”")

// pkg returns the name a file uses for the package at path, which it
// imports.
func (w *code) pkg(path string) string {
	w.imports[path] = true
	return path[strings.LastIndexByte(path, '/')+1:]
}

// specs returns the import specs of what was written, as renderFile does.
func (w *code) specs() []string {
	var out []string
	for path := range w.imports {
		out = append(out, strconv.Quote(path))
	}
	slices.Sort(out)
	return out
}

// sub returns a writer for text that goes on w's current line: at its
// indentation, with its imports and uses.
func (w *code) sub() *code {
	return &code{indent: w.indent, imports: w.imports, uses: w.uses}
}

// pair is one key: value element of a composite literal whose elements are
// one a line.
type pair struct {
	key   string      // the key's Go text
	value func(*code) // writes the value
}

// pairs writes the elements of a composite literal one a line, ending with
// the line of the closing brace, which the caller writes. Like gofmt,
// consecutive values that fit on their line are aligned in a column after
// their keys, unless a key is much longer or shorter than the keys before it
// in its column (go/printer's exprList: a key over 40 bytes whose length is
// not within 2.5 times the geometric mean of theirs starts a new column).
func (w *code) pairs(ps []pair) {
	const (
		smallSize = 40  // keys this short always align
		ratio     = 2.5 // else a key within this ratio of the mean aligns
		infinity  = 1e6 // longer elements count as not fitting on a line
	)
	w.end()
	w.indent++
	type row struct{ key, value string }
	var block []row // aligned rows not yet written
	flush := func() {
		width := 0
		for _, r := range block {
			width = max(width, utf8.RuneCountInString(r.key))
		}
		for _, r := range block {
			w.line(r.key + ":" + strings.Repeat(" ", width-utf8.RuneCountInString(r.key)+1) + r.value + ",")
		}
		block = block[:0]
	}
	lnsum, count, size := 0.0, 0, 0
	for _, p := range ps {
		v := w.sub()
		p.value(v)
		text := string(v.buf)
		prevSize := size
		size = 0
		if !strings.Contains(text, "\n") && len(p.key)+2+len(text) <= infinity {
			size = len(p.key)
		}
		aligned := false
		if prevSize > 0 && size > 0 {
			if count == 0 || prevSize <= smallSize && size <= smallSize {
				aligned = true
			} else {
				r := float64(size) / math.Exp(lnsum/float64(count))
				aligned = !(ratio*r <= 1 || ratio <= r)
			}
		}
		if !aligned {
			flush()
			lnsum, count = 0, 0 // a new section: a new mean
		}
		if size > 0 {
			block = append(block, row{p.key, text})
			lnsum += math.Log(float64(size))
			count++
			continue
		}
		w.put(p.key + ": ")
		w.buf = append(w.buf, text...)
		w.line(",")
	}
	flush()
	w.indent--
}

// literal writes the Go expression for a JSON value, of type any (see
// Literal).
func (w *code) literal(v value.Value) {
	if v.HasFixture() {
		w.uses.fixture = true
	}
	if v.Depth() > maxDepth && !v.HasFile() && !v.HasSecret() {
		w.uses.deep = true
		w.put(decodeFunc + "(" + rawString(value.JSON{}.String(v)) + ")")
		return
	}
	w.lit(v)
}

func (w *code) lit(v value.Value) {
	switch v.Kind {
	case value.Null:
		w.put("nil")
	case value.Bool:
		w.put(strconv.FormatBool(v.Bool))
	case value.Number:
		w.number(v.Text)
	case value.String:
		w.put(strconv.Quote(value.Go(v.Text)))
	case value.Array:
		w.put("[]any{")
		for i, it := range v.Items {
			if i > 0 {
				w.put(", ")
			}
			w.lit(it)
		}
		w.put("}")
	case value.Object:
		// Keys that only differ in surrogates are one key in Go (U+FFFD):
		// the last value wins, as with encoding/json.
		ps := make([]pair, len(v.Fields))
		for i, f := range v.Fields {
			ps[i] = pair{strconv.Quote(value.Go(f.Key)), func(w *code) { w.lit(f.Value) }}
		}
		w.composite("map[string]any", ps)
	case value.File:
		gradio := w.pkg(gradioPath)
		if v.File.URL != "" {
			w.put(gradio + ".FileURL(" + strconv.Quote(v.File.URL) + ")")
			return
		}
		// fixture finds the file beside the code, whatever the working folder.
		w.put(gradio + ".File(" + fixtureFunc + "(" + strconv.Quote(v.File.Path) + "))")
	case value.Secret:
		w.secret(v.Parts, " + ")
	default:
		panic(fmt.Sprintf("golang: unknown value kind %d", v.Kind))
	}
}

// composite writes a composite literal of type typ with keyed elements as
// jennifer's Dict writes them: one element per key, the last of those given
// for it, in the order of the keys' Go text.
func (w *code) composite(typ string, ps []pair) {
	at := map[string]int{}
	var uniq []pair
	for _, p := range ps {
		if i, ok := at[p.key]; ok {
			uniq[i] = p
			continue
		}
		at[p.key] = len(uniq)
		uniq = append(uniq, p)
	}
	slices.SortFunc(uniq, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	w.put(typ + "{")
	w.elements(uniq)
	w.put("}")
}

// elements writes the elements of a composite literal between its braces:
// one inline, more one a line (as jennifer's Dict lays them out).
func (w *code) elements(ps []pair) {
	switch len(ps) {
	case 0:
	case 1:
		w.put(ps[0].key + ": ")
		ps[0].value(w)
	default:
		w.pairs(ps)
	}
}

// number writes the Go constant for a JSON number (see Number).
func (w *code) number(text string) {
	s := Number(text)
	if strings.HasPrefix(s, "json.") {
		w.pkg("encoding/json")
	}
	w.put(s)
}

// arg writes a value that is one of several arguments of a call: as
// literal does, but where gofmt writes a sum without spaces.
func (w *code) arg(v value.Value) {
	if v.Kind == value.Secret {
		w.secret(v.Parts, "+")
		return
	}
	w.literal(v)
}

// secret writes a string built from literal text and secrets read from the
// environment: "Bearer " + os.Getenv("GRADIO_SECRET_API_KEY"). The plus is
// spaced as gofmt spaces it: without spaces among a call's arguments, with
// them anywhere else (a statement, an element of a composite literal).
func (w *code) secret(parts []value.Part, plus string) {
	for i, p := range parts {
		if i > 0 {
			w.put(plus)
		}
		if p.Secret != "" {
			w.put(w.pkg("os") + ".Getenv(" + strconv.Quote(recording.SecretEnv(p.Secret)) + ")")
		} else {
			w.put(strconv.Quote(value.Go(p.Text)))
		}
	}
}
