package gradio

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
)

// ApplyDiff applies a generator diff (sse_v2+), a list of [action, path,
// value] edits, to the previous full value of an output slot and returns the
// new value. Actions: "replace" (set), "append" (string or list suffix),
// "add" (insert into a list at an index, or set a map key) and "delete"
// (remove a list index or a map key). path is a list of list indices and map
// keys; an empty path means the whole value.
//
// prev is not modified: every container on an edit's path is copied first,
// so values handed out earlier stay valid (copy on write).
func ApplyDiff(prev any, diff any) (any, error) {
	edits, ok := diff.([]any)
	if !ok {
		return nil, fmt.Errorf("diff is %T, want a list of edits", diff)
	}
	v := prev
	for i, e := range edits {
		edit, ok := e.([]any)
		if !ok || len(edit) != 3 {
			return nil, fmt.Errorf("edit %d: want [action, path, value], got %v", i, e)
		}
		action, ok := edit[0].(string)
		if !ok {
			return nil, fmt.Errorf("edit %d: action is %T, want a string", i, edit[0])
		}
		path, ok := edit[1].([]any)
		if !ok && edit[1] != nil {
			return nil, fmt.Errorf("edit %d: path is %T, want a list", i, edit[1])
		}
		var err error
		if v, err = applyEdit(v, path, action, edit[2]); err != nil {
			return nil, fmt.Errorf("edit %d (%s %v): %w", i, action, path, err)
		}
	}
	return v, nil
}

// applyEdit returns target with one edit applied, copying the containers on
// the path.
func applyEdit(target any, path []any, action string, value any) (any, error) {
	if len(path) == 0 {
		switch action {
		case "replace":
			return value, nil
		case "append":
			return concat(target, value)
		}
		return nil, fmt.Errorf("action %q needs a path", action)
	}
	key, rest := path[0], path[1:]
	switch t := target.(type) {
	case []any:
		idx, err := index(key)
		if err != nil {
			return nil, err
		}
		if len(rest) > 0 {
			if idx < 0 || idx >= len(t) {
				return nil, fmt.Errorf("index %d out of range [0,%d)", idx, len(t))
			}
			inner, err := applyEdit(t[idx], rest, action, value)
			if err != nil {
				return nil, err
			}
			out := slices.Clone(t)
			out[idx] = inner
			return out, nil
		}
		switch action {
		case "add":
			if idx < 0 || idx > len(t) {
				return nil, fmt.Errorf("insert index %d out of range [0,%d]", idx, len(t))
			}
			out := make([]any, 0, len(t)+1)
			out = append(out, t[:idx]...)
			out = append(out, value)
			return append(out, t[idx:]...), nil
		case "delete":
			if idx < 0 || idx >= len(t) {
				return nil, fmt.Errorf("delete index %d out of range [0,%d)", idx, len(t))
			}
			return slices.Concat(t[:idx], t[idx+1:]), nil
		case "replace", "append":
			if idx < 0 || idx >= len(t) {
				return nil, fmt.Errorf("index %d out of range [0,%d)", idx, len(t))
			}
			nv := value
			if action == "append" {
				if nv, err = concat(t[idx], value); err != nil {
					return nil, err
				}
			}
			out := slices.Clone(t)
			out[idx] = nv
			return out, nil
		}
		return nil, fmt.Errorf("unknown action %q", action)
	case map[string]any:
		k, ok := key.(string)
		if !ok {
			return nil, fmt.Errorf("key %v of a map is %T, want a string", key, key)
		}
		if len(rest) > 0 {
			cur, ok := t[k]
			if !ok {
				return nil, fmt.Errorf("no key %q", k)
			}
			inner, err := applyEdit(cur, rest, action, value)
			if err != nil {
				return nil, err
			}
			out := maps.Clone(t)
			out[k] = inner
			return out, nil
		}
		out := maps.Clone(t)
		switch action {
		case "replace", "add":
			out[k] = value
		case "append":
			nv, err := concat(t[k], value)
			if err != nil {
				return nil, err
			}
			out[k] = nv
		case "delete":
			delete(out, k)
		default:
			return nil, fmt.Errorf("unknown action %q", action)
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot index %T with %v", target, key)
}

// concat implements "append": string + string, list + list. A null target
// counts as empty.
func concat(a, b any) (any, error) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return x + y, nil
		}
	case []any:
		if y, ok := b.([]any); ok {
			return slices.Concat(x, y), nil
		}
	case nil:
		return b, nil
	}
	return nil, fmt.Errorf("cannot append %T to %T", b, a)
}

// index converts a path element to a list index.
func index(key any) (int, error) {
	switch k := key.(type) {
	case float64:
		if k != math.Trunc(k) {
			return 0, fmt.Errorf("list index %v is not an integer", k)
		}
		return int(k), nil
	case json.Number:
		n, err := k.Int64()
		if err != nil {
			return 0, fmt.Errorf("list index %v: %w", k, err)
		}
		return int(n), nil
	case int:
		return k, nil
	}
	return 0, fmt.Errorf("list index %v is %T, want a number", key, key)
}
