package gradio

import (
	"maps"
	"slices"
	"sort"
	"time"
)

// Result is the outcome of a successful call.
type Result struct {
	// Data holds one value per output, in order, without the slots of
	// State and other skipped components (as the official clients return
	// them). Values are decoded JSON: string, float64 (json.Number with
	// WithJSONNumber), bool, nil, []any, map[string]any, with every
	// FileData object turned into *FileData, at any depth. gr.update(...)
	// outputs stay maps with "__type__": "update".
	Data []any `json:"data"`
	// Duration is how long the function ran, as the server reports it (0
	// when it does not).
	Duration time.Duration `json:"duration"`
	// APIName and FnIndex identify the endpoint that produced it.
	APIName string `json:"api_name,omitempty"`
	FnIndex int    `json:"fn_index"`
	// EventID is the queue's event id ("" for calls outside the queue).
	EventID string `json:"event_id,omitempty"`
}

// Value returns the first output, which is the only one for single-output
// endpoints (what gradio_client's predict returns bare), or nil when there
// are none.
func (r *Result) Value() any {
	if r == nil || len(r.Data) == 0 {
		return nil
	}
	return r.Data[0]
}

// convertOutputs turns the raw data array of an output into what callers
// see: skipped slots dropped, FileData objects turned into *FileData. The
// raw values are not modified; containers are copied only where a file is
// replaced.
func (e *Endpoint) convertOutputs(raw []any) []any {
	out := make([]any, 0, len(raw))
	for i, v := range raw {
		if i < len(e.outSkip) && e.outSkip[i] {
			continue
		}
		out = append(out, e.c.convertValue(v))
	}
	return out
}

// convertValue replaces FileData objects in v by *FileData.
func (c *Client) convertValue(v any) any {
	nv, _ := c.convert(v)
	return nv
}

// convert returns v with FileData objects replaced, and whether anything was
// replaced; unchanged containers are returned as they are.
func (c *Client) convert(v any) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		if f := c.fileFromMap(t); f != nil {
			return f, true
		}
		var out map[string]any
		for k, x := range t {
			if nx, changed := c.convert(x); changed {
				if out == nil {
					out = maps.Clone(t)
				}
				out[k] = nx
			}
		}
		if out != nil {
			return out, true
		}
	case []any:
		var out []any
		for i, x := range t {
			if nx, changed := c.convert(x); changed {
				if out == nil {
					out = slices.Clone(t)
				}
				out[i] = nx
			}
		}
		if out != nil {
			return out, true
		}
	}
	return v, false
}

// sortedKeys returns the keys of m in sorted order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
