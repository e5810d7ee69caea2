package recorder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"path"
	"strings"
)

// uploadPart is one file of an upload request.
type uploadPart struct {
	name string // the file name the page sent
	mime string // the part's Content-Type
	data []byte
}

// parseUpload reads the files of a multipart upload body (the parts named
// "files", in order).
func parseUpload(contentType string, body []byte) ([]uploadPart, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, fmt.Errorf("upload content type %q: %w", contentType, err)
	}
	if !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return nil, fmt.Errorf("upload content type %q is not multipart", contentType)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []uploadPart
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			return parts, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read upload body: %w", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("read upload part: %w", err)
		}
		if p.FormName() != "files" {
			continue
		}
		parts = append(parts, uploadPart{name: p.FileName(), mime: p.Header.Get("Content-Type"), data: data})
	}
}

// header returns a header's value whatever the case of its name.
func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// isFileData reports whether a decoded JSON value is a Gradio FileData
// object, and returns it.
func isFileData(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	if _, ok := m["path"].(string); !ok {
		return nil, false
	}
	if meta, ok := m["meta"].(map[string]any); ok && meta["_type"] == "gradio.FileData" {
		return m, true
	}
	// Before sse_v2.1 FileData had no meta; it always had these keys.
	_, hasURL := m["url"]
	_, hasName := m["orig_name"]
	return m, hasURL && hasName
}

// walkFiles calls fn for every FileData object inside v (v itself
// included); fn may change the object in place.
func walkFiles(v any, fn func(fd map[string]any)) {
	if fd, ok := isFileData(v); ok {
		fn(fd)
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkFiles(e, fn)
		}
	case map[string]any:
		for _, e := range t {
			walkFiles(e, fn)
		}
	}
}

// filePaths returns the server paths of the FileData objects in raw.
func filePaths(raw json.RawMessage) []string {
	if !bytes.Contains(raw, []byte(`"path"`)) {
		return nil
	}
	v, err := decodeValue(raw)
	if err != nil {
		return nil
	}
	var paths []string
	walkFiles(v, func(fd map[string]any) { paths = append(paths, fd["path"].(string)) })
	return paths
}

// annotate adds a "fixture" key naming the fixture to every FileData in raw
// whose path has one in byPath; it returns raw unchanged when none does.
func annotate(raw json.RawMessage, byPath map[string]string) json.RawMessage {
	if len(byPath) == 0 || !bytes.Contains(raw, []byte(`"path"`)) {
		return raw
	}
	v, err := decodeValue(raw)
	if err != nil {
		return raw
	}
	changed := false
	walkFiles(v, func(fd map[string]any) {
		name, ok := byPath[fd["path"].(string)]
		if ok && fd["fixture"] != name {
			fd["fixture"] = name
			changed = true
		}
	})
	if !changed {
		return raw
	}
	return encodeValue(v)
}

// fileSource tells where to fetch a FileData's bytes from: its url when it
// is absolute, else <api>/file=<path>.
func fileSource(fd map[string]any, apiBase string) string {
	if u, ok := fd["url"].(string); ok && (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) {
		return u
	}
	p := fd["path"].(string)
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	return apiBase + "/file=" + p
}

// fileName returns the name a FileData's file had for the user.
func fileName(fd map[string]any) string {
	if n, ok := fd["orig_name"].(string); ok && n != "" {
		return n
	}
	return path.Base(fd["path"].(string))
}
