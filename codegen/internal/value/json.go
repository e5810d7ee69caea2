package value

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// JSON writes values back as compact JSON text. Numbers are written as they
// were read; strings escape what JSON requires plus every code point that is
// not printable (unicode.IsPrint), U+2028/U+2029 and surrogates, so the text is
// valid UTF-8 and safe to paste anywhere. Object keys keep their order.
type JSON struct {
	// ASCII escapes every non-ASCII code point as \uXXXX (a surrogate pair
	// above U+FFFF), as Python's json.dumps does by default.
	ASCII bool
	// Spaced separates items with ", " and keys from values with ": ", as
	// Python's json.dumps does by default; else "," and ":".
	Spaced bool
	// File renders a File value; nil renders null.
	File func(b []byte, f *FileRef) []byte
	// Number, when set, renders numbers instead of their JSON text.
	Number func(b []byte, text string) []byte
	// Secret renders a Secret value; nil renders the string with its
	// placeholders, as the recording holds it.
	Secret func(b []byte, parts []Part) []byte
}

// Append appends the JSON text of v to b.
func (j JSON) Append(b []byte, v Value) []byte {
	switch v.Kind {
	case Null:
		return append(b, "null"...)
	case Bool:
		if v.Bool {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case Number:
		if j.Number != nil {
			return j.Number(b, v.Text)
		}
		return append(b, v.Text...)
	case String:
		return j.AppendString(b, v.Text)
	case Array:
		b = append(b, '[')
		for i, it := range v.Items {
			if i > 0 {
				b = j.comma(b)
			}
			b = j.Append(b, it)
		}
		return append(b, ']')
	case Object:
		b = append(b, '{')
		for i, f := range v.Fields {
			if i > 0 {
				b = j.comma(b)
			}
			b = j.AppendString(b, f.Key)
			b = append(b, ':')
			if j.Spaced {
				b = append(b, ' ')
			}
			b = j.Append(b, f.Value)
		}
		return append(b, '}')
	case File:
		if j.File != nil {
			return j.File(b, v.File)
		}
	case Secret:
		if j.Secret != nil {
			return j.Secret(b, v.Parts)
		}
		return j.AppendString(b, v.Placeholders())
	}
	return append(b, "null"...)
}

func (j JSON) comma(b []byte) []byte {
	if j.Spaced {
		return append(b, ", "...)
	}
	return append(b, ',')
}

// String returns the JSON text of v.
func (j JSON) String(v Value) string { return string(j.Append(nil, v)) }

const hexDigits = "0123456789abcdef"

// AppendString appends the JSON string literal of the WTF-8 string s.
func (j JSON) AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c < 0x20 || c == 0x7f:
				b = appendU4(b, rune(c))
			default:
				b = append(b, c)
			}
			continue
		}
		r, n := DecodeRune(s[i:])
		if j.ASCII || IsSurrogate(r) || !unicode.IsPrint(r) || r == 0x2028 || r == 0x2029 || r == utf8.RuneError && n == 1 {
			if r > 0xFFFF {
				r -= 0x10000
				b = appendU4(b, 0xD800+(r>>10))
				b = appendU4(b, 0xDC00+(r&0x3FF))
			} else {
				b = appendU4(b, r)
			}
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

func appendU4(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// IsInteger reports whether a JSON number's text has neither a fraction nor
// an exponent, so Python's json reads it as an int.
func IsInteger(text string) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '.', 'e', 'E':
			return false
		}
	}
	return true
}

// Float parses a JSON number as float64, as JavaScript's JSON.parse and
// Python's float do (correctly rounded; out of range is ±Inf).
func Float(text string) float64 {
	f, _ := strconv.ParseFloat(text, 64) // ±Inf with ErrRange, as wanted
	return f
}
