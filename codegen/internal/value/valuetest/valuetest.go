// Package valuetest makes random JSON documents for the round-trip tests of
// the literal renderers: strings from every hard character class, numbers at
// the edges of float64 and beyond, repeated and hostile object keys, and deep
// nesting. The same seed always makes the same documents.
package valuetest

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Gen makes random JSON texts.
type Gen struct {
	r *rand.Rand
	// Invalid allows raw invalid UTF-8 bytes inside strings (JSON that only
	// Go's decoder, and the recordings it reads, accept).
	Invalid bool
	// MaxDepth bounds the nesting of arrays and objects (default 6).
	MaxDepth int
	// Long allows strings of up to 100,000 bytes now and then.
	Long bool
}

// New returns a generator seeded with seed.
func New(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), MaxDepth: 6}
}

// Doc returns one JSON text.
func (g *Gen) Doc() []byte {
	var b strings.Builder
	g.value(&b, 0)
	return []byte(b.String())
}

// Deep returns an array nested depth levels deep around a random scalar.
func (g *Gen) Deep(depth int) []byte {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		if i%2 == 0 {
			b.WriteString("[")
		} else {
			b.WriteString(`{"k":`)
		}
	}
	g.scalar(&b)
	for i := depth - 1; i >= 0; i-- {
		if i%2 == 0 {
			b.WriteString("]")
		} else {
			b.WriteString("}")
		}
	}
	return []byte(b.String())
}

func (g *Gen) value(b *strings.Builder, depth int) {
	if depth >= g.MaxDepth || g.r.IntN(3) > 0 {
		g.scalar(b)
		return
	}
	ws := g.space()
	if g.r.IntN(2) == 0 {
		b.WriteString("[" + ws)
		n := g.r.IntN(5)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString("," + g.space())
			}
			g.value(b, depth+1)
		}
		b.WriteString(ws + "]")
		return
	}
	b.WriteString("{" + ws)
	n := g.r.IntN(5)
	var keys []string
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString("," + g.space())
		}
		var k string
		if len(keys) > 0 && g.r.IntN(8) == 0 {
			k = keys[g.r.IntN(len(keys))] // a repeated key
		} else {
			k = g.key()
			keys = append(keys, k)
		}
		b.WriteString(k + ws + ":" + g.space())
		g.value(b, depth+1)
	}
	b.WriteString(ws + "}")
}

func (g *Gen) space() string {
	switch g.r.IntN(6) {
	case 0:
		return " "
	case 1:
		return "\n\t "
	}
	return ""
}

var hostileKeys = []string{
	`"__proto__"`, `"constructor"`, `"prototype"`, `"toString"`, `""`, `"1"`, `"01"`, `"-1"`,
	`"a b"`, `"class"`, `"$"`, `"_"`, `"fixture"`, `"__type__"`, `"${x}"`, `"\u0000"`, `"\"'"`,
	`"\ud800"`, `"é"`, `"e\u0301"`, `"日本"`, `"\n"`, `"key"`, `"value"`,
}

func (g *Gen) key() string {
	if g.r.IntN(3) == 0 {
		return hostileKeys[g.r.IntN(len(hostileKeys))]
	}
	return g.str()
}

func (g *Gen) scalar(b *strings.Builder) {
	switch g.r.IntN(8) {
	case 0:
		b.WriteString("null")
	case 1:
		if g.r.IntN(2) == 0 {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case 2, 3:
		b.WriteString(g.Number())
	default:
		b.WriteString(g.str())
	}
}

var edgeNumbers = []string{
	"0", "-0", "0.0", "-0.0", "1", "-1", "1.0", "1.5", "0.1", "0.2", "0.30000000000000004",
	"1e308", "1.7976931348623157e308", "-1.7976931348623157e308", "1e309", "-1e400", "1E400",
	"5e-324", "4.9406564584124654e-324", "2.2250738585072014e-308", "1e-400", "-5e-324",
	"9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993",
	"18446744073709551615", "18446744073709551616", "-9223372036854775808", "9223372036854775807",
	"9223372036854775808", "123456789012345678901234567890", "1e21", "1e+21", "1E-7", "1e-7",
	"100", "100.0", "1e2", "1E2", "1e+2", "1.0e0", "12345.6789", "2147483647", "2147483648",
	"-2147483649", "1e16", "1e15", "0.0001", "0.00001", "123e-20", "3.141592653589793",
	"0.000001", "1e-6", "1e-5", "4294967296", "-0e0", "0e-0", "0.5e1",
}

// Number returns a random JSON number text.
func (g *Gen) Number() string {
	switch g.r.IntN(6) {
	case 0, 1:
		return edgeNumbers[g.r.IntN(len(edgeNumbers))]
	case 2:
		return strconv.FormatInt(g.r.Int64N(2000)-1000, 10)
	case 3:
		return strconv.FormatFloat(math.Float64frombits(g.r.Uint64()&^(0x7FF<<52)|uint64(g.r.IntN(2046)+1)<<52), 'g', -1, 64)
	case 4:
		return strconv.FormatFloat(g.r.NormFloat64()*math.Pow(10, float64(g.r.IntN(40)-20)), 'e', g.r.IntN(17), 64)
	}
	var b strings.Builder
	if g.r.IntN(2) == 0 {
		b.WriteString("-")
	}
	b.WriteString(strconv.Itoa(g.r.IntN(9) + 1))
	for n := g.r.IntN(30); n > 0; n-- {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// pieces of hard strings, as JSON string content (escapes allowed).
var hardPieces = []string{
	`\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, `\/`, `\u0000`, `\u0001`, `\u001f`, `\u007f`,
	`\u0085`, `\u00a0`, `\u2028`, `\u2029`, `\ud800`, `\udbff`, `\udc00`, `\udfff`,
	`\ud83d\ude00`, `\uD83D\uDE00`, `\ud800\ud800`, `\udc00\ud800`, `\ufeff`, `\ufffe`, `\uffff`,
	`\u202e`, `\u200b`, `\u200d`, `\u0301`, `\u0300`, `\ufffd`,
	"${", "${x}", "`", "``", "'", "''", "'''", `\"\"\"`, "$", "$HOME", "$(id)", "!", "!!", "%", "%s", "%(x)s",
	"{", "}", "{{", "}}", `\\N{BULLET}`, `\\x00`, `\\u0041`, "#", "//", "/*", "*/",
	"<script>", "</script>", "-->", "ü", "日本語", "🚀", "👩‍👩‍👧", "e\u0301", "\u00e9", "Ω", "ﬁ",
	"\U0001F600", "\U00010000", "\U0010FFFF", "\u0600", "ـ", "a", "b", "abc", " ", "  ", "\u3000",
	"\u00ad", "\u061c", "\u2066", "\ue000", "\U000F0000", "ᄀ", "\u0378", "EOF", "JSON", "__proto__",
	`'\\''`, `\\'`, `\\\\`, "&", "&&", ";", "|", `\\ `, `a\\`, `\\\"`,
}

var invalidPieces = []string{"\xff", "\xfe", "\xc0\xaf", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xf0\x9f\x98"}

func (g *Gen) str() string {
	var b strings.Builder
	b.WriteByte('"')
	n := g.r.IntN(8)
	if g.Long && g.r.IntN(200) == 0 {
		n = 2000 + g.r.IntN(20000)
	}
	for i := 0; i < n; i++ {
		switch {
		case g.Invalid && g.r.IntN(10) == 0:
			b.WriteString(invalidPieces[g.r.IntN(len(invalidPieces))])
		case g.r.IntN(3) == 0:
			// a random code point, escaped or raw
			r := g.rune()
			if r >= 0xD800 && r <= 0xDFFF || r < 0x20 || g.r.IntN(4) == 0 && r <= 0xFFFF {
				b.WriteString(`\u` + hex4(r))
			} else if r == '"' || r == '\\' {
				b.WriteString(`\` + string(r))
			} else {
				b.WriteRune(r)
			}
		default:
			b.WriteString(hardPieces[g.r.IntN(len(hardPieces))])
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (g *Gen) rune() rune {
	switch g.r.IntN(5) {
	case 0:
		return rune(g.r.IntN(0x80))
	case 1:
		return rune(g.r.IntN(0x800))
	case 2:
		return rune(g.r.IntN(0x10000))
	case 3:
		return rune(0xD800 + g.r.IntN(0x800))
	}
	return rune(g.r.IntN(0x110000))
}

func hex4(r rune) string {
	s := strconv.FormatInt(int64(r), 16)
	return strings.Repeat("0", 4-len(s)) + s
}
