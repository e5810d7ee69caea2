package golang

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

// gradioPath is the import path of the Go client generated code uses.
const gradioPath = "github.com/gradiorec/gradiorec/gradio"

// expectPath is the import path of the checks generated tests make.
const expectPath = gradioPath + "/expect"

// maxDepth is the deepest value written as a literal; deeper ones are
// decoded at run time from their JSON text (see decodeFunc).
const maxDepth = 90

// decodeFunc names the helper that generated files define when a value is
// too deep for a literal.
const decodeFunc = "mustJSON"

// Literal returns the Go expression for a JSON value, of type any: what
// json.Marshal turns back into the same JSON, number text included. Numbers
// become int or int64 constants when they are integers of that range,
// float64 constants when json.Marshal writes them back as they were, and
// json.Number("...") otherwise ("3.0", "-0", "1e400", 2^64). Strings are what
// encoding/json decodes: invalid UTF-8 and lone surrogates become U+FFFD. A
// value nested deeper than 90 levels becomes mustJSON("..."), a helper the
// generated file defines (see Generate).
func Literal(raw json.RawMessage) (string, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return "", err
	}
	w := newCode(&uses{})
	w.literal(v)
	return string(w.buf), nil
}

// uses records the helpers that literals used: mustJSON (deep) and
// fixture.
type uses struct{ deep, fixture bool }

// rawString returns a string constant, as a raw string literal when that is
// exact and readable: printable characters only, no backquote.
func rawString(s string) string {
	if len(s) == 0 || strings.ContainsRune(s, '`') || !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return strconv.Quote(s)
		}
	}
	return "`" + s + "`"
}

// Number returns the Go constant for a JSON number that json.Marshal writes
// back with the same text.
func Number(text string) string {
	if value.IsInteger(text) && text != "-0" {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			if n >= math.MinInt32 && n <= math.MaxInt32 {
				return strconv.FormatInt(n, 10) // int on every platform
			}
			return "int64(" + strconv.FormatInt(n, 10) + ")"
		}
	} else if f, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(f, 0) && f != 0 {
		if b, err := json.Marshal(f); err == nil && string(b) == text {
			s := fmt.Sprintf("%#v", f)
			if !strings.ContainsAny(s, ".e") {
				s += ".0" // else it would be an int
			}
			return s
		}
	}
	return "json.Number(" + strconv.Quote(text) + ")"
}

// fixtureFunc names the helper that generated files define when they read
// recorded input files.
const fixtureFunc = "fixture"

// fixtureHelper is the fixture function: the path of a recorded input file,
// relative to the generated source file's folder (runtime.Caller), so that
// "go run ./out" works from any folder as "go test" does; the path as given
// when that folder is unknown (-trimpath) or has no such file (a binary run
// elsewhere).
func fixtureHelper() jen.Code {
	return jen.Comment(fixtureFunc+" returns the path of a recorded input file, relative to the folder").Line().
		Comment("of this source file, so that the code runs from any working folder; the").Line().
		Comment("path as given when that file is not there (a binary built with -trimpath,").Line().
		Comment("or moved).").Line().
		Func().Id(fixtureFunc).Params(jen.Id("rel").String()).String().Block(
		jen.List(jen.Id("_"), jen.Id("file"), jen.Id("_"), jen.Id("ok")).Op(":=").Qual("runtime", "Caller").Call(jen.Lit(0)),
		jen.If(jen.Op("!").Id("ok").Op("||").Op("!").Qual("path/filepath", "IsAbs").Call(jen.Id("file"))).Block(jen.Return(jen.Id("rel"))),
		jen.Id("full").Op(":=").Qual("path/filepath", "Join").Call(
			jen.Qual("path/filepath", "Dir").Call(jen.Id("file")),
			jen.Qual("path/filepath", "FromSlash").Call(jen.Id("rel")),
		),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Qual("os", "Stat").Call(jen.Id("full")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("rel"))),
		jen.Return(jen.Id("full")),
	)
}

// decodeHelper is the mustJSON function a generated file defines when a
// value is too deep for a literal.
func decodeHelper() jen.Code {
	return jen.Comment(decodeFunc+" decodes a value too deeply nested for a literal. Numbers stay").Line().
		Comment("json.Number, so they are sent back exactly as they were recorded.").Line().
		Func().Id(decodeFunc).Params(jen.Id("s").String()).Any().Block(
		jen.Id("dec").Op(":=").Qual("encoding/json", "NewDecoder").Call(jen.Qual("strings", "NewReader").Call(jen.Id("s"))),
		jen.Id("dec").Dot("UseNumber").Call(),
		jen.Var().Id("v").Any(),
		jen.If(jen.Err().Op(":=").Id("dec").Dot("Decode").Call(jen.Op("&").Id("v")), jen.Err().Op("!=").Nil()).Block(
			jen.Panic(jen.Err()),
		),
		jen.Return(jen.Id("v")),
	)
}
