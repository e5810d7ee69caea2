// Package value is the JSON value model of the code generators: a tree that
// keeps exactly what a recording's JSON says, so that every language can
// render it as a literal that its own JSON parser would agree with.
//
// It differs from decoding into any with encoding/json in four ways:
//   - numbers keep their JSON text ("3.0", "1e400", "-0", 2^64);
//   - objects keep their key order (a repeated key keeps the position of its
//     first occurrence and the value of its last, as Python's json does);
//   - strings keep lone UTF-16 surrogates written as \uD800 escapes (Python
//     and JavaScript strings hold them; Go maps them to U+FFFD, see Go);
//   - a file reference can stand in for a FileData object (Kind File), and
//     a string built at run time from named secrets for a string that holds
//     their placeholders (Kind Secret).
//
// Strings are stored as WTF-8: UTF-8 that may also encode surrogate code
// points (U+D800-U+DFFF) with the generalised three-byte form. Invalid UTF-8
// in the input is read as U+FFFD, one per invalid byte, as encoding/json does.
package value

import (
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/recording"
)

// Kind is the type of a Value.
type Kind uint8

// The kinds of Value.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
	File   // a fixture file standing in for a FileData input (see FileRef)
	Secret // a string holding named secrets, read at run time (see Part)
)

// Value is one JSON value.
type Value struct {
	Kind   Kind
	Bool   bool     // Bool
	Text   string   // Number: the exact JSON text; String: the string, WTF-8
	Items  []Value  // Array
	Fields []Field  // Object, in document order, keys unique
	File   *FileRef // File
	Parts  []Part   // Secret: literal text and secrets, in order
}

// Part is a piece of a Secret value: literal text, or the named secret
// whose placeholder ("<redacted:NAME>") stood there in the recording.
type Part struct {
	Text   string // WTF-8, when Secret is ""
	Secret string // the secret's name, e.g. "API_KEY"
}

// Field is one member of an object.
type Field struct {
	Key   string // WTF-8, like String values
	Value Value
}

// FileRef is an input file the generated code uploads from the exported
// folder: Path is relative to it (for example "fixtures/cat.png").
// URL is set instead when the recording holds no bytes for the file and the
// app is to download it from there.
type FileRef struct {
	Path     string
	URL      string
	OrigName string
	Fixture  string // the recording.File name, "" for URL files
}

// Get returns the value of key in an object, and whether it is there.
func (v Value) Get(key string) (Value, bool) {
	for _, f := range v.Fields {
		if f.Key == key {
			return f.Value, true
		}
	}
	return Value{}, false
}

// Str returns the string of a String value, or "".
func (v Value) Str() string {
	if v.Kind != String {
		return ""
	}
	return v.Text
}

// Placeholders returns a Secret value's text as the recording holds it:
// each secret as its placeholder.
func (v Value) Placeholders() string {
	var b []byte
	for _, p := range v.Parts {
		if p.Secret != "" {
			b = append(b, recording.Placeholder(p.Secret)...)
		} else {
			b = append(b, p.Text...)
		}
	}
	return string(b)
}

// HasSecret reports whether v contains a Secret at any depth.
func (v Value) HasSecret() bool {
	switch v.Kind {
	case Secret:
		return true
	case Array:
		for _, it := range v.Items {
			if it.HasSecret() {
				return true
			}
		}
	case Object:
		for _, f := range v.Fields {
			if f.Value.HasSecret() {
				return true
			}
		}
	}
	return false
}

// Depth returns the nesting depth of v: 0 for scalars, 1 for a flat array or
// object, and so on.
func (v Value) Depth() int {
	d := 0
	switch v.Kind {
	case Array:
		for _, it := range v.Items {
			d = max(d, it.Depth())
		}
		return d + 1
	case Object:
		for _, f := range v.Fields {
			d = max(d, f.Value.Depth())
		}
		return d + 1
	}
	return 0
}

// HasFile reports whether v contains a File at any depth.
func (v Value) HasFile() bool {
	switch v.Kind {
	case File:
		return true
	case Array:
		for _, it := range v.Items {
			if it.HasFile() {
				return true
			}
		}
	case Object:
		for _, f := range v.Fields {
			if f.Value.HasFile() {
				return true
			}
		}
	}
	return false
}

// HasFixture reports whether v contains, at any depth, a File read from a
// fixture (a File without a URL).
func (v Value) HasFixture() bool {
	switch v.Kind {
	case File:
		return v.File.URL == ""
	case Array:
		for _, it := range v.Items {
			if it.HasFixture() {
				return true
			}
		}
	case Object:
		for _, f := range v.Fields {
			if f.Value.HasFixture() {
				return true
			}
		}
	}
	return false
}

// DecodeRune decodes the first code point of a WTF-8 string: like
// utf8.DecodeRuneInString, but a generalised UTF-8 surrogate (ED A0-BF xx)
// yields its code point, U+D800-U+DFFF, with size 3.
func DecodeRune(s string) (rune, int) {
	if len(s) > 0 && s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 && len(s) >= 3 && s[0] == 0xED && s[1]&0xE0 == 0xA0 && s[2]&0xC0 == 0x80 {
		return 0xD000 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), 3
	}
	return r, n
}

// IsSurrogate reports whether r is a UTF-16 surrogate code point.
func IsSurrogate(r rune) bool { return r >= 0xD800 && r <= 0xDFFF }

// AppendRune appends the WTF-8 encoding of r (surrogates included).
func AppendRune(b []byte, r rune) []byte {
	if IsSurrogate(r) {
		return append(b, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

// Go returns s as Go's encoding/json would decode it: every surrogate code
// point becomes U+FFFD. It returns s itself when it has none.
func Go(s string) string {
	i := surrogateAt(s)
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		r, n := DecodeRune(s[i:])
		if IsSurrogate(r) {
			r = utf8.RuneError
		}
		b = utf8.AppendRune(b, r)
		i += n
	}
	return string(b)
}

// HasSurrogate reports whether s holds a surrogate code point.
func HasSurrogate(s string) bool { return surrogateAt(s) >= 0 }

func surrogateAt(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == 0xED && s[i+1]&0xE0 == 0xA0 {
			return i
		}
	}
	return -1
}
