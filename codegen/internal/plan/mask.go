package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// Path locates a part of a value: object keys (string) and array indexes
// (int), from the outside in. Checks set the part at a masked path to null
// in the value they get and in the expected one (where it is there).
type Path []any

// masked reports whether a mask of the recording that applies to c has the
// path p.
func (b *builder) masked(c *Call, p string) bool {
	for _, m := range b.p.Rec.Masks {
		if b.applies(m, c) && m.Path == p {
			return true
		}
	}
	return false
}

// applies reports whether mask m applies to call c.
func (b *builder) applies(m recording.Mask, c *Call) bool {
	return (m.Endpoint == "" || m.Endpoint == c.APIName) && (m.Call == 0 || m.Call == c.Rec.ID)
}

// masks returns the masks of the recording that apply to output i of c: the
// path of one that covers all of it, or else the JSON Pointers, relative to
// the output, of those that cover parts of it.
func (b *builder) masks(c *Call, i int) (whole string, parts []string) {
	prefix := fmt.Sprintf("/%d", i)
	for _, m := range b.p.Rec.Masks {
		if !b.applies(m, c) {
			continue
		}
		switch {
		case m.Path == "" || m.Path == "/" || m.Path == prefix:
			return m.Path, nil
		case strings.HasPrefix(m.Path, prefix+"/"):
			parts = append(parts, strings.TrimPrefix(m.Path, prefix))
		}
	}
	return "", parts
}

// resolve follows a JSON Pointer ("/a/0", with ~1 for / and ~0 for ~ in
// keys) into v and returns it as a Path, and whether v has that part.
func resolve(v value.Value, ptr string) (Path, bool) {
	if ptr == "" {
		return Path{}, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	var p Path
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v.Kind {
		case value.Object:
			f, ok := v.Get(tok)
			if !ok {
				return nil, false
			}
			p, v = append(p, tok), f
		case value.Array:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(v.Items) || tok != strconv.Itoa(n) {
				return nil, false
			}
			p, v = append(p, n), v.Items[n]
		default:
			return nil, false
		}
	}
	return p, true
}

// setNull returns v with null at path p, which v has; v itself is not
// changed.
func setNull(v value.Value, p Path) value.Value {
	if len(p) == 0 {
		return value.Value{Kind: value.Null}
	}
	switch k := p[0].(type) {
	case string:
		fields := slices.Clone(v.Fields)
		for i := range fields {
			if fields[i].Key == k {
				fields[i].Value = setNull(fields[i].Value, p[1:])
			}
		}
		v.Fields = fields
	case int:
		items := slices.Clone(v.Items)
		items[k] = setNull(items[k], p[1:])
		v.Items = items
	}
	return v
}
