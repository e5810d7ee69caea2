package recordingtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Schema is a parsed JSON Schema (draft 2020-12) restricted to the keywords
// the recording schema uses: type, required, properties,
// additionalProperties, items, enum, const, $ref (to a JSON Pointer in the
// same document, such as "#/$defs/Call"), minimum, minLength, pattern and
// format "date-time"; and the annotations $schema, $id, $defs, $comment,
// title and description. Any other keyword is an error, so the schema cannot
// use one this validator would silently ignore.
type Schema struct {
	root     any
	patterns map[string]*regexp.Regexp
}

// ParseSchema parses a schema and checks that it only uses the supported
// keywords, that its patterns compile and its references resolve.
func ParseSchema(data []byte) (*Schema, error) {
	root, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("parse schema: %w", err)
	}
	s := &Schema{root: root, patterns: map[string]*regexp.Regexp{}}
	if err := s.check(root, "#"); err != nil {
		return nil, fmt.Errorf("parse schema: %w", err)
	}
	return s, nil
}

// check walks a schema for unsupported keywords, bad patterns and dangling
// references.
func (s *Schema) check(node any, at string) error {
	if _, ok := node.(bool); ok {
		return nil
	}
	m, ok := node.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: a schema must be an object or a boolean", at)
	}
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch k {
		case "$schema", "$id", "$comment", "title", "description", "type", "required", "enum", "const", "minimum", "minLength":
		case "format":
			if v != "date-time" {
				return fmt.Errorf("%s: unsupported format %v", at, v)
			}
		case "pattern":
			p, _ := v.(string)
			re, err := regexp.Compile(p)
			if err != nil {
				return fmt.Errorf("%s: pattern: %w", at, err)
			}
			s.patterns[p] = re
		case "$ref":
			ref, _ := v.(string)
			if _, err := s.resolve(ref); err != nil {
				return fmt.Errorf("%s: %w", at, err)
			}
		case "$defs", "properties":
			defs, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s/%s: not an object", at, k)
			}
			for _, name := range sortedKeys(defs) {
				if err := s.check(defs[name], at+"/"+k+"/"+name); err != nil {
					return err
				}
			}
		case "items", "additionalProperties":
			if err := s.check(v, at+"/"+k); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: unsupported keyword %q", at, k)
		}
	}
	return nil
}

// resolve follows a "#/…" reference.
func (s *Schema) resolve(ref string) (any, error) {
	if ref != "#" && !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("unsupported $ref %q (only #/… within the schema)", ref)
	}
	node := s.root
	for _, tok := range strings.Split(ref, "/")[1:] {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok || m[tok] == nil {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
		node = m[tok]
	}
	return node, nil
}

// Validate checks a JSON document against the schema and returns an error
// listing every violation, each prefixed with its JSON Pointer.
func (s *Schema) Validate(data []byte) error {
	inst, err := decode(data)
	if err != nil {
		return err
	}
	var problems []string
	s.validate(s.root, inst, "", 0, &problems)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

const maxDepth = 200

func (s *Schema) validate(node, inst any, at string, depth int, problems *[]string) {
	fail := func(format string, args ...any) {
		where := at
		if where == "" {
			where = "(document)"
		}
		*problems = append(*problems, where+": "+fmt.Sprintf(format, args...))
	}
	if depth > maxDepth {
		fail("schema nests too deep (a $ref loop?)")
		return
	}
	if b, ok := node.(bool); ok {
		if !b {
			fail("no value is allowed here")
		}
		return
	}
	m := node.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		target, _ := s.resolve(ref) // checked by ParseSchema
		s.validate(target, inst, at, depth+1, problems)
	}
	if t, ok := m["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, e := range t {
				if s, ok := e.(string); ok {
					types = append(types, s)
				}
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return hasType(inst, t) }) {
			fail("want %s, found %s", strings.Join(types, " or "), typeOf(inst))
			return
		}
	}
	if c, ok := m["const"]; ok && !equal(c, inst) {
		fail("want %s, found %s", show(c), show(inst))
	}
	if e, ok := m["enum"].([]any); ok && !slices.ContainsFunc(e, func(v any) bool { return equal(v, inst) }) {
		var want []string
		for _, v := range e {
			want = append(want, show(v))
		}
		fail("%s is not one of %s", show(inst), strings.Join(want, ", "))
	}
	if min, ok := m["minimum"].(json.Number); ok {
		if n, isNum := inst.(json.Number); isNum {
			a, _ := strconv.ParseFloat(n.String(), 64)
			b, _ := strconv.ParseFloat(min.String(), 64)
			if a < b {
				fail("%s is less than the minimum %s", n, min)
			}
		}
	}
	if str, isStr := inst.(string); isStr {
		if ml, ok := m["minLength"].(json.Number); ok {
			n, _ := strconv.Atoi(ml.String())
			if utf8.RuneCountInString(str) < n {
				fail("%q is shorter than %d characters", str, n)
			}
		}
		if p, ok := m["pattern"].(string); ok && !s.patterns[p].MatchString(str) {
			fail("%q does not match the pattern %s", str, p)
		}
		if m["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				fail("%q is not an RFC 3339 date-time", str)
			}
		}
	}
	if obj, isObj := inst.(map[string]any); isObj {
		if req, ok := m["required"].([]any); ok {
			for _, r := range req {
				name, _ := r.(string)
				if _, present := obj[name]; !present {
					fail("required member %q is missing", name)
				}
			}
		}
		props, _ := m["properties"].(map[string]any)
		addl, hasAddl := m["additionalProperties"]
		for _, k := range sortedKeys(obj) {
			child := at + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			if p, ok := props[k]; ok {
				s.validate(p, obj[k], child, depth+1, problems)
			} else if hasAddl {
				if b, ok := addl.(bool); ok && !b {
					fail("unknown member %q", k)
					continue
				}
				s.validate(addl, obj[k], child, depth+1, problems)
			}
		}
	}
	if arr, isArr := inst.([]any); isArr {
		if items, ok := m["items"]; ok {
			for i, e := range arr {
				s.validate(items, e, at+"/"+strconv.Itoa(i), depth+1, problems)
			}
		}
	}
}

// decode parses JSON keeping numbers exact, and refuses trailing data.
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not JSON: data after the value")
	}
	return v, nil
}

// hasType reports whether a decoded value is of a JSON Schema type.
func hasType(v any, t string) bool {
	switch v := v.(type) {
	case nil:
		return t == "null"
	case bool:
		return t == "boolean"
	case string:
		return t == "string"
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	case json.Number:
		if t == "number" {
			return true
		}
		if t != "integer" {
			return false
		}
		f, err := strconv.ParseFloat(v.String(), 64)
		return err == nil && !math.IsInf(f, 0) && f == math.Trunc(f)
	}
	return false
}

// typeOf names the JSON type of a decoded value.
func typeOf(v any) string {
	for _, t := range []string{"null", "boolean", "string", "array", "object", "integer", "number"} {
		if hasType(v, t) {
			return t
		}
	}
	return fmt.Sprintf("%T", v)
}

// equal compares decoded JSON values, numbers by value.
func equal(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, err1 := strconv.ParseFloat(a.String(), 64)
		y, err2 := strconv.ParseFloat(bn.String(), 64)
		return err1 == nil && err2 == nil && x == y
	case []any:
		bs, ok := b.([]any)
		return ok && slices.EqualFunc(a, bs, equal)
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

// show renders a decoded value briefly, for messages.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
