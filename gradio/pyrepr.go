package gradio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// pyDefault renders a default value as Python's f-string would print it after
// gradio_client turns FileData defaults into handle_file("<url>").
func pyDefault(raw json.RawMessage, v any) string {
	val := v
	if len(raw) > 0 {
		if o, err := parseOrdered(raw); err == nil {
			val = o
		}
	}
	val = fileDefault(val)
	if s, ok := val.(string); ok {
		return s // str() of a top-level string has no quotes
	}
	return pyRepr(val)
}

// orderedMap is a JSON object with its keys in document order.
type orderedMap struct {
	keys []string
	vals []any
}

func (m *orderedMap) get(k string) (any, bool) {
	for i, key := range m.keys {
		if key == k {
			return m.vals[i], true
		}
	}
	return nil, false
}

// parseOrdered decodes JSON keeping object key order (objects become
// *orderedMap, numbers json.Number).
func parseOrdered(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return parseValue(dec)
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			list := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		case '{':
			m := &orderedMap{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				m.keys = append(m.keys, kt.(string))
				m.vals = append(m.vals, v)
			}
			_, err := dec.Token()
			return m, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// fileDefault replaces FileData objects by handle_file("<url>") strings, as
// view_api does.
func fileDefault(v any) any {
	switch t := v.(type) {
	case *orderedMap:
		if meta, ok := t.get("meta"); ok {
			if mm, ok := meta.(*orderedMap); ok {
				if typ, _ := mm.get("_type"); typ == fileDataType {
					u, _ := t.get("url")
					return fmt.Sprintf("handle_file(\"%s\")", pyStr(u))
				}
			}
		}
		out := &orderedMap{keys: t.keys, vals: make([]any, len(t.vals))}
		for i, x := range t.vals {
			out.vals[i] = fileDefault(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = fileDefault(x)
		}
		return out
	}
	return v
}

// pyStr is Python's str() of a JSON scalar.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a decoded JSON value.
func pyRepr(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case string:
		return pyQuote(t)
	case json.Number:
		return pyNumber(string(t))
	case float64:
		return pyFloat(t)
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = pyRepr(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *orderedMap:
		parts := make([]string, len(t.keys))
		for i, k := range t.keys {
			parts[i] = pyQuote(k) + ": " + pyRepr(t.vals[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case map[string]any:
		o := &orderedMap{}
		for _, k := range sortedKeys(t) {
			o.keys = append(o.keys, k)
			o.vals = append(o.vals, t[k])
		}
		return pyRepr(o)
	}
	return fmt.Sprint(v)
}

// pyNumber renders a JSON number literal as Python prints the int or float
// that json.loads makes of it.
func pyNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		if lit == "-0" {
			return "0"
		}
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return lit
	}
	return pyFloat(f)
}

// pyFloat is Python's repr of a float: shortest round-trip digits, fixed
// notation for exponents in [-4, 16), else d.ddde±XX.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // -d.dddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if exp < 0 {
			es, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	var s string
	switch {
	case exp < 0:
		s = "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		s = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	default:
		s = digits[:exp+1] + "." + digits[exp+1:]
	}
	return sign + s
}

// pyQuote is Python's repr of a str.
func pyQuote(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
