package recording

import (
	"bytes"
	"encoding/json"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// FileData is a Gradio FileData value found inside a JSON value: an object
// whose "meta" is {"_type": "gradio.FileData"}, or that carries a "fixture"
// key. Components wrap them (Image, Gallery items, Chatbot messages,
// MultimodalTextbox files); FileDatas finds them at any depth.
type FileData struct {
	Pointer  string // JSON Pointer to the object, from the value searched ("" for the value itself)
	Path     string // "path": the server path or URL
	URL      string // "url", when present
	OrigName string // "orig_name", when present
	MIMEType string // "mime_type", when present
	Fixture  string // "fixture": the File.Name holding its bytes, or "" when none was recorded
}

// FileDatas yields every FileData value inside v, in document order (object
// members by key). A FileData is not searched further. Invalid JSON yields
// nothing.
func FileDatas(v json.RawMessage) iter.Seq[FileData] {
	return func(yield func(FileData) bool) {
		walkFileDatas(v, "", yield)
	}
}

// FileDatas yields every FileData value in the call's inputs, data array,
// event data, outputs and updates; each Pointer is rooted at the call's JSON
// object, e.g. "/inputs/0/value", "/data/2", "/outputs/1/image",
// "/updates/3/0".
func (c *Call) FileDatas() iter.Seq[FileData] {
	return func(yield func(FileData) bool) {
		for i, a := range c.Inputs {
			if !walkFileDatas(a.Value, "/inputs/"+strconv.Itoa(i)+"/value", yield) {
				return
			}
		}
		for i, d := range c.Data {
			if !walkFileDatas(d, "/data/"+strconv.Itoa(i), yield) {
				return
			}
		}
		if !walkFileDatas(c.EventData, "/event_data", yield) {
			return
		}
		for i, o := range c.Outputs {
			if !walkFileDatas(o, "/outputs/"+strconv.Itoa(i), yield) {
				return
			}
		}
		for i, u := range c.Updates {
			for j, o := range u {
				if !walkFileDatas(o, "/updates/"+strconv.Itoa(i)+"/"+strconv.Itoa(j), yield) {
					return
				}
			}
		}
	}
}

// walkFileDatas parses raw and yields its FileData values with pointers
// under prefix. It returns false when yield asked to stop. Text that cannot
// hold one is not parsed: a FileData has a "fixture" key or the type
// "gradio.FileData", which JSON can only disguise with \u escapes.
func walkFileDatas(raw json.RawMessage, prefix string, yield func(FileData) bool) bool {
	if len(raw) == 0 || !bytes.ContainsAny(raw, "{") {
		return true
	}
	if !bytes.Contains(raw, []byte(`"fixture"`)) && !bytes.Contains(raw, []byte("gradio.FileData")) && !bytes.Contains(raw, []byte(`\u`)) {
		return true
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return true
	}
	return walkValue(v, prefix, yield)
}

func walkValue(v any, ptr string, yield func(FileData) bool) bool {
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			if !walkValue(e, ptr+"/"+strconv.Itoa(i), yield) {
				return false
			}
		}
	case map[string]any:
		if fd, ok := asFileData(v); ok {
			fd.Pointer = ptr
			return yield(fd)
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !walkValue(v[k], ptr+"/"+escapePointer(k), yield) {
				return false
			}
		}
	}
	return true
}

// IsFileData reports whether a decoded JSON object is a Gradio FileData
// (its "meta" is {"_type": "gradio.FileData"}) or a recorded one, which
// carries a "fixture" key.
func IsFileData(m map[string]any) bool {
	if _, ok := m["fixture"].(string); ok {
		return true
	}
	meta, _ := m["meta"].(map[string]any)
	return meta != nil && meta["_type"] == "gradio.FileData"
}

// asFileData recognises a FileData object.
func asFileData(m map[string]any) (FileData, bool) {
	str := func(k string) string { s, _ := m[k].(string); return s }
	if !IsFileData(m) {
		return FileData{}, false
	}
	return FileData{
		Path:     str("path"),
		URL:      str("url"),
		OrigName: str("orig_name"),
		MIMEType: str("mime_type"),
		Fixture:  str("fixture"),
	}, true
}

// escapePointer escapes a JSON Pointer reference token (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
