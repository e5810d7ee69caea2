package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// sensitiveHints are words one of which every sensitive key contains,
// ignoring case. They are long enough not to turn up by chance in base64.
var sensitiveHints = []string{"authorization", "cookie", "password", "passwd", "secret", "_token", "-token", "apikey", "api_key", "api-key"}

// raw re-encodes a JSON value compactly, without HTML escaping, numbers and
// member order kept, and every string redacted. With sensitive set, every
// string in it is a secret.
func (rd *redactor) raw(raw []byte, sensitive bool) ([]byte, error) {
	if !sensitive && rd.clean(raw) {
		var out bytes.Buffer
		err := json.Compact(&out, raw)
		return out.Bytes(), err
	}
	return rd.rewrite(raw, sensitive)
}

// rewrite is raw's slow path: it decodes the value token by token and
// redacts each string on its own, keys included.
func (rd *redactor) rewrite(raw []byte, sensitive bool) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	writeString := func(s string) {
		_ = enc.Encode(s) // a string always encodes
		out.Truncate(out.Len() - 1)
	}
	var stack []*rawFrame
	values := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		var top *rawFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		} else if values++; values > 1 {
			return nil, errors.New("more than one JSON value")
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			out.WriteByte(byte(d))
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].afterValue()
			}
			continue
		}
		if top != nil && top.object && top.wantKey {
			key, ok := tok.(string)
			if !ok {
				return nil, fmt.Errorf("object key is %T", tok)
			}
			if top.n > 0 {
				out.WriteByte(',')
			}
			writeString(rd.String(key))
			out.WriteByte(':')
			top.key, top.wantKey = key, false
			continue
		}
		if top != nil && !top.object && top.n > 0 {
			out.WriteByte(',')
		}
		secret := sensitive
		key := ""
		if top != nil {
			secret = top.sensitive
			if top.object {
				key = top.key
				secret = secret || isSensitiveKey(key) || (key == "value" && top.named)
			}
		}
		switch v := tok.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			stack = append(stack, &rawFrame{object: v == '{', wantKey: v == '{', sensitive: secret})
			continue
		case string:
			switch {
			case key == "fixture":
				writeString(rd.fixtureName(v))
			case secret:
				writeString(Redacted)
			default:
				writeString(rd.String(v))
			}
			if key == "name" && isSensitiveKey(v) {
				top.named = true
			}
		case json.Number:
			out.WriteString(v.String())
		case bool:
			out.WriteString(fmt.Sprint(v))
		case nil:
			out.WriteString("null")
		}
		if top != nil {
			top.afterValue()
		}
	}
	if values == 0 || len(stack) > 0 {
		return nil, io.ErrUnexpectedEOF
	}
	return out.Bytes(), nil
}

// clean reports whether redaction would change no string of a JSON text:
// valid UTF-8 (the rewrite would replace bad bytes), no escapes that could
// hide a secret, no member name that could be sensitive, and nothing the
// string rules change in the whole text (a rule that matches inside a string
// matches in the text around it too).
func (rd *redactor) clean(raw []byte) bool {
	if bytes.IndexByte(raw, '\\') >= 0 || !utf8.Valid(raw) {
		return false
	}
	text := string(raw)
	if rd.holdsShort(text) {
		return false // it may be a whole string of the text
	}
	for _, h := range sensitiveHints {
		if containsFold(text, h) {
			return false
		}
	}
	return rd.String(text) == text
}

// rawFrame is an open object or array while raw re-encodes a value.
type rawFrame struct {
	object    bool
	wantKey   bool   // object: the next token is a key or '}'
	n         int    // members or elements written
	key       string // object: the key of the member being written
	named     bool   // object: its "name" member is a sensitive name
	sensitive bool   // every string inside is a secret
}

// afterValue moves a frame past one member or element.
func (f *rawFrame) afterValue() {
	f.n++
	f.wantKey = f.object
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
	argType  = reflect.TypeFor[Arg]()
)

// jsonString returns the string raw holds, if it is a JSON string.
func jsonString(raw []byte) (string, bool) {
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

// redacted returns a deep copy of v as it goes to disk: every string
// redacted (see Redacted), nil slices of required members made empty, empty
// raw values made null. Unexported fields are not copied.
func redacted[T any](rd *redactor, v *T) (*T, error) {
	c := deepCopy(reflect.ValueOf(v).Elem()).Interface().(T)
	if err := rd.walk(reflect.ValueOf(&c).Elem(), "", true); err != nil {
		return nil, err
	}
	return &c, nil
}

// deepCopy copies the exported parts of a value of the recording's types
// (pointers, structs, slices and scalars), sharing nothing with it.
func deepCopy(v reflect.Value) reflect.Value {
	c := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(deepCopy(v.Elem()))
			c.Set(p)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return v
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				c.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
	case reflect.Slice:
		if !v.IsNil() {
			s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			if v.Type().Elem().Kind() == reflect.Uint8 {
				reflect.Copy(s, v)
				c.Set(s)
				break
			}
			for i := range v.Len() {
				s.Index(i).Set(deepCopy(v.Index(i)))
			}
			c.Set(s)
		}
	default:
		c.Set(v)
	}
	return c
}

// walk redacts v in place. mode is the redact tag of the field v is in:
// "" (redact), "-" (leave the strings alone), "fixture" (a fixture name) or
// "secret" (every string is a secret). omittable tells whether v's field is
// left out when empty; other nil slices become empty ones.
func (rd *redactor) walk(v reflect.Value, mode string, omittable bool) error {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return rd.walk(v.Elem(), mode, false)
		}
	case reflect.Struct:
		t := v.Type()
		if t == timeType {
			return nil
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			m := f.Tag.Get("redact")
			if t == argType && f.Name == "Value" {
				if name := v.FieldByName("Name").String(); isSecretInput(name) {
					if s, ok := jsonString(v.Field(i).Bytes()); ok {
						rd.add(Secret{Name: name, Value: s}) // written as its placeholder
					} else {
						m = "secret"
					}
				}
			}
			_, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			omit := strings.Contains(opts, "omitzero") || strings.Contains(opts, "omitempty")
			if err := rd.walk(v.Field(i), m, omit); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		}
	case reflect.Slice:
		if v.Type() == rawType {
			if v.Len() == 0 {
				v.SetBytes(nil)
				return nil
			}
			if mode == "-" {
				return nil
			}
			out, err := rd.raw(v.Bytes(), mode == "secret")
			if err != nil {
				return err
			}
			v.SetBytes(out)
			return nil
		}
		if v.IsNil() && !omittable {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return nil
		}
		for i := range v.Len() {
			if err := rd.walk(v.Index(i), mode, false); err != nil {
				return fmt.Errorf("%d: %w", i, err)
			}
		}
	case reflect.String:
		switch mode {
		case "-":
		case "fixture":
			v.SetString(rd.fixtureName(v.String()))
		case "secret":
			v.SetString(Redacted)
		default:
			v.SetString(rd.String(v.String()))
		}
	}
	return nil
}
