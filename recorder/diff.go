package recorder

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// The gradio package has a diff function of its own, but it is not exported;
// this is the recorder's, written after apply_diff in @gradio/client
// (client/js/src/utils/stream.ts) and gradio_client.utils.apply_diff.

// applyDiff applies a generator diff (protocol sse_v2 and later) to the
// previous full value of one output slot and returns the new full value. A
// diff is a list of [action, path, value] edits: "replace" sets the value at
// path, "append" concatenates a string (or list) suffix, "add" inserts into
// a list at an index or sets a map key, and "delete" removes a list element
// or a map key. path lists list indices and map keys; an empty path is the
// whole value. prev is not modified: the containers on an edit's path are
// copied, so values handed out earlier stay valid.
func applyDiff(prev, diff any) (any, error) {
	edits, ok := diff.([]any)
	if !ok {
		return nil, fmt.Errorf("diff is %T, want a list of edits", diff)
	}
	v := prev
	for i, e := range edits {
		edit, ok := e.([]any)
		if !ok || len(edit) != 3 {
			return nil, fmt.Errorf("edit %d is %v, want [action, path, value]", i, e)
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
			return nil, fmt.Errorf("edit %d (%s at %v): %w", i, action, path, err)
		}
	}
	return v, nil
}

// applyEdit returns target with one edit applied at path.
func applyEdit(target any, path []any, action string, value any) (any, error) {
	if len(path) == 0 {
		switch action {
		case "replace":
			return value, nil
		case "append":
			return appendValue(target, value)
		}
		return nil, fmt.Errorf("action %q needs a path", action)
	}
	key, rest := path[0], path[1:]
	switch t := target.(type) {
	case []any:
		i, err := listIndex(key)
		if err != nil {
			return nil, err
		}
		if len(rest) > 0 || action == "replace" || action == "append" {
			if i < 0 || i >= len(t) {
				return nil, fmt.Errorf("index %d out of range [0,%d)", i, len(t))
			}
			inner, err := applyEdit(t[i], rest, action, value)
			if err != nil {
				return nil, err
			}
			out := slices.Clone(t)
			out[i] = inner
			return out, nil
		}
		switch action {
		case "add":
			if i < 0 || i > len(t) {
				return nil, fmt.Errorf("insert index %d out of range [0,%d]", i, len(t))
			}
			return slices.Insert(slices.Clone(t), i, value), nil
		case "delete":
			if i < 0 || i >= len(t) {
				return nil, fmt.Errorf("delete index %d out of range [0,%d)", i, len(t))
			}
			return slices.Delete(slices.Clone(t), i, i+1), nil
		}
		return nil, fmt.Errorf("unknown action %q", action)
	case map[string]any:
		k, ok := key.(string)
		if !ok {
			return nil, fmt.Errorf("map key %v is %T, want a string", key, key)
		}
		out := maps.Clone(t)
		if len(rest) > 0 || action == "replace" || action == "append" {
			cur, ok := t[k]
			if !ok && len(rest) > 0 {
				return nil, fmt.Errorf("no key %q", k)
			}
			inner, err := applyEdit(cur, rest, action, value)
			if err != nil {
				return nil, err
			}
			out[k] = inner
			return out, nil
		}
		switch action {
		case "add":
			out[k] = value
		case "delete":
			delete(out, k)
		default:
			return nil, fmt.Errorf("unknown action %q", action)
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot index %T with %v", target, key)
}

// appendValue implements "append": string + string, list + list; a null
// target counts as empty.
func appendValue(a, b any) (any, error) {
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

// listIndex converts a path element to a list index.
func listIndex(key any) (int, error) {
	switch k := key.(type) {
	case json.Number:
		n, err := strconv.Atoi(k.String())
		if err != nil {
			return 0, fmt.Errorf("list index %v is not an integer", k)
		}
		return n, nil
	case float64:
		if k != float64(int(k)) {
			return 0, fmt.Errorf("list index %v is not an integer", k)
		}
		return int(k), nil
	case string: // the JS client accepts numeric strings
		n, err := strconv.Atoi(k)
		if err != nil {
			return 0, fmt.Errorf("list index %q is not an integer", k)
		}
		return n, nil
	}
	return 0, fmt.Errorf("list index %v is %T, want a number", key, key)
}
