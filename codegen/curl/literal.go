package curl

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

// Quote returns s as one bash word: in single quotes, where nothing is
// special to bash, not even a backslash, $ or a line break; each single quote
// of s closes the quotes, is written escaped (\') and opens them again. Words
// of letters, digits and -_./:@%+, stay bare. s must not contain NUL, which
// no bash word can hold (JSON texts never do).
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	if isBare(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isBare reports whether s needs no quotes at all.
func isBare(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-_./:@%+,", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// JSON returns the JSON text of a value as a request body: compact, with the
// recorded number texts, strings escaped where JSON requires it and where a
// character is invisible (as package value writes them).
func JSON(raw json.RawMessage) (string, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return "", err
	}
	return value.JSON{}.String(v), nil
}

// Literal returns a JSON value as one bash word: Quote(JSON(raw)).
func Literal(raw json.RawMessage) (string, error) {
	s, err := JSON(raw)
	if err != nil {
		return "", err
	}
	return Quote(s), nil
}

// pyJSON writes values as Python's json.dumps does with its defaults, which
// is how the /call endpoint writes each "data:" line: ASCII only, ", " and
// ": " separators, numbers as Python reads and prints them.
var pyJSON = value.JSON{ASCII: true, Spaced: true, Number: appendPyNumber}

// PythonJSON returns the text json.dumps(json.loads(raw)) gives in Python.
func PythonJSON(raw json.RawMessage) (string, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return "", err
	}
	return pyJSON.String(v), nil
}

// appendPyNumber appends str(json.loads(text)): an int's digits, or a
// float's repr.
func appendPyNumber(b []byte, text string) []byte {
	if value.IsInteger(text) {
		if text == "-0" {
			return append(b, '0')
		}
		return append(b, text...)
	}
	return appendPyFloat(b, value.Float(text))
}

// appendPyFloat appends Python's repr of f, as json.dumps writes it: the
// shortest digits that read back as f, in positional notation when the
// exponent is in [-4, 16), else as d.ddde±XX; Infinity for overflow.
func appendPyFloat(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	}
	if math.Signbit(f) {
		b = append(b, '-')
		f = -f
	}
	if f == 0 {
		return append(b, "0.0"...)
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.dddde±XX
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	digits := strings.Replace(mant, ".", "", 1)
	if exp >= -4 && exp < 16 {
		point := exp + 1 // digits before the decimal point
		switch {
		case point <= 0:
			b = append(b, "0."...)
			b = append(b, strings.Repeat("0", -point)...)
			return append(b, digits...)
		case point >= len(digits):
			b = append(b, digits...)
			b = append(b, strings.Repeat("0", point-len(digits))...)
			return append(b, ".0"...)
		}
		b = append(b, digits[:point]...)
		b = append(b, '.')
		return append(b, digits[point:]...)
	}
	b = append(b, digits[0])
	if len(digits) > 1 {
		b = append(b, '.')
		b = append(b, digits[1:]...)
	}
	b = append(b, 'e')
	if exp < 0 {
		b = append(b, '-')
		exp = -exp
	} else {
		b = append(b, '+')
	}
	if exp < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(exp), 10)
}
