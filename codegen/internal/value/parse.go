package value

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting Parse accepts, as encoding/json.
const MaxDepth = 10000

// Parse reads one JSON value. Empty input is null (an absent
// json.RawMessage).
func Parse(data []byte) (Value, error) {
	p := parser{data: data}
	p.space()
	if p.i == len(p.data) {
		if len(data) == 0 {
			return Value{}, nil
		}
		return Value{}, errors.New("json: no value")
	}
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.space()
	if p.i != len(p.data) {
		return Value{}, p.errorf("data after the value")
	}
	return v, nil
}

type parser struct {
	data []byte
	i    int
	buf  []byte
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("json: offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (Value, error) {
	if p.i >= len(p.data) {
		return Value{}, p.errorf("unexpected end")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		return Value{Kind: String, Text: s}, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case p.word("true"):
		return Value{Kind: Bool, Bool: true}, nil
	case p.word("false"):
		return Value{Kind: Bool}, nil
	case p.word("null"):
		return Value{}, nil
	}
	return Value{}, p.errorf("unexpected %q", p.data[p.i])
}

func (p *parser) word(w string) bool {
	if len(p.data)-p.i >= len(w) && string(p.data[p.i:p.i+len(w)]) == w {
		p.i += len(w)
		return true
	}
	return false
}

func (p *parser) object(depth int) (Value, error) {
	if depth > MaxDepth {
		return Value{}, p.errorf("nested too deeply")
	}
	p.i++ // {
	v := Value{Kind: Object, Fields: []Field{}}
	var index map[string]int // built once an object grows, to find repeats
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return v, nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return Value{}, p.errorf("expected a key")
		}
		key, err := p.str()
		if err != nil {
			return Value{}, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return Value{}, p.errorf("expected ':'")
		}
		p.i++
		p.space()
		val, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		at := -1
		if index != nil {
			if j, ok := index[key]; ok {
				at = j
			}
		} else {
			for j := range v.Fields {
				if v.Fields[j].Key == key {
					at = j
					break
				}
			}
		}
		if at >= 0 {
			v.Fields[at].Value = val
		} else {
			v.Fields = append(v.Fields, Field{Key: key, Value: val})
			if index == nil && len(v.Fields) > 16 {
				index = make(map[string]int, 32)
				for j, f := range v.Fields {
					index[f.Key] = j
				}
			} else if index != nil {
				index[key] = len(v.Fields) - 1
			}
		}
		p.space()
		if p.i >= len(p.data) {
			return Value{}, p.errorf("unexpected end in object")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return v, nil
		default:
			return Value{}, p.errorf("expected ',' or '}'")
		}
	}
}

func (p *parser) array(depth int) (Value, error) {
	if depth > MaxDepth {
		return Value{}, p.errorf("nested too deeply")
	}
	p.i++ // [
	v := Value{Kind: Array, Items: []Value{}}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return v, nil
	}
	for {
		p.space()
		it, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		v.Items = append(v.Items, it)
		p.space()
		if p.i >= len(p.data) {
			return Value{}, p.errorf("unexpected end in array")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return v, nil
		default:
			return Value{}, p.errorf("expected ',' or ']'")
		}
	}
}

func (p *parser) number() (Value, error) {
	start := p.i
	d := p.data
	if d[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(d) && d[p.i] == '0':
		p.i++
	case p.i < len(d) && d[p.i] >= '1' && d[p.i] <= '9':
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
	default:
		return Value{}, p.errorf("bad number")
	}
	if p.i < len(d) && d[p.i] == '.' {
		p.i++
		n := p.i
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
		if p.i == n {
			return Value{}, p.errorf("bad number")
		}
	}
	if p.i < len(d) && (d[p.i] == 'e' || d[p.i] == 'E') {
		p.i++
		if p.i < len(d) && (d[p.i] == '+' || d[p.i] == '-') {
			p.i++
		}
		n := p.i
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
		if p.i == n {
			return Value{}, p.errorf("bad number")
		}
	}
	return Value{Kind: Number, Text: string(d[start:p.i])}, nil
}

// str reads a string token into WTF-8.
func (p *parser) str() (string, error) {
	p.i++ // opening quote
	d := p.data
	// Fast path: no escapes, no control characters, valid UTF-8.
	start := p.i
	for p.i < len(d) {
		c := d[p.i]
		if c == '"' {
			s := d[start:p.i]
			p.i++
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		if c < utf8.RuneSelf {
			p.i++
			continue
		}
		r, n := utf8.DecodeRune(d[p.i:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		p.i += n
	}
	b := append(p.buf[:0], d[start:p.i]...)
	for p.i < len(d) {
		c := d[p.i]
		switch {
		case c == '"':
			p.i++
			p.buf = b
			return string(b), nil
		case c < 0x20:
			return "", p.errorf("control character %#x in string", c)
		case c == '\\':
			if p.i+1 >= len(d) {
				return "", p.errorf("unexpected end in string")
			}
			e := d[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d[p.i:])
				if !ok {
					return "", p.errorf("bad \\u escape")
				}
				p.i += 4
				if r >= 0xD800 && r < 0xDC00 && p.i+6 <= len(d) && d[p.i] == '\\' && d[p.i+1] == 'u' {
					if r2, ok := hex4(d[p.i+2:]); ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
						r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
						p.i += 6
					}
				}
				b = AppendRune(b, r)
			default:
				return "", p.errorf("bad escape \\%c", e)
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.i++
		default:
			r, n := utf8.DecodeRune(d[p.i:])
			b = utf8.AppendRune(b, r) // U+FFFD for an invalid byte
			p.i += n
		}
	}
	return "", p.errorf("unterminated string")
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
