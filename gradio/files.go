package gradio

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// fileDataType marks file objects in Gradio's JSON: meta._type.
const fileDataType = "gradio.FileData"

// FileInput is a file to pass as an input value (an argument, or inside a list
// or map argument). Make one with File, FileURL or FileBytes. Local files and
// bytes are uploaded with POST <api>/upload before the call (all files of a
// call in one request) and sent as FileData with the server path; URLs are
// passed through for the server to download, as the official clients do.
type FileInput struct {
	path string // local file to upload
	url  string // remote file passed through
	name string // original name sent to the app
	data []byte // bytes to upload, when path and url are empty
}

// File returns an input for the local file at path.
func File(path string) *FileInput {
	return &FileInput{path: path, name: filepath.Base(path)}
}

// FileURL returns an input for a file the app downloads from u itself.
// Gradio refuses URLs of private and loopback addresses (except the Hugging
// Face hosts); upload such files with File or FileBytes instead.
func FileURL(u string) *FileInput {
	name := u
	if pu, err := url.Parse(u); err == nil {
		name = path.Base(pu.Path)
	}
	return &FileInput{url: u, name: name}
}

// FileBytes returns an input that uploads data as a file called name.
func FileBytes(name string, data []byte) *FileInput {
	return &FileInput{name: filepath.Base(name), data: data}
}

// Name returns the file's original name, as sent to the app.
func (f *FileInput) Name() string { return f.name }

// String describes the input for error messages.
func (f *FileInput) String() string {
	switch {
	case f.path != "":
		return f.path
	case f.url != "":
		return f.url
	}
	return f.name + " (bytes)"
}

// size returns the number of bytes to upload.
func (f *FileInput) size() (int64, error) {
	if f.path == "" {
		return int64(len(f.data)), nil
	}
	st, err := os.Stat(f.path)
	if err != nil {
		return 0, err
	}
	if st.IsDir() {
		return 0, fmt.Errorf("%s is a directory", f.path)
	}
	return st.Size(), nil
}

// FileData is a file the app refers to: an output file, or an input that was
// uploaded. It marshals to Gradio's FileData JSON (with meta._type), so it can
// be passed back as an input unchanged: the server accepts paths in its own
// cache. Its methods download it with the client's headers and cookies.
type FileData struct {
	// Path is the file's path on the server (or a URL).
	Path string `json:"path"`
	// URL is where the server says the file can be fetched, or "".
	URL string `json:"url,omitempty"`
	// Size is the size in bytes, or 0 when the server does not say.
	Size int64 `json:"size,omitempty"`
	// OrigName is the file's original name, or "".
	OrigName string `json:"orig_name,omitempty"`
	// MimeType is the MIME type the server reports, or "".
	MimeType string `json:"mime_type,omitempty"`
	// IsStream is true for streamed media (HLS playlists and segments).
	IsStream bool `json:"is_stream,omitempty"`

	c *Client // for downloads; nil for FileData made by the caller
}

// MarshalJSON encodes the file as Gradio's FileData object.
func (f *FileData) MarshalJSON() ([]byte, error) {
	v := struct {
		Path     string            `json:"path"`
		URL      *string           `json:"url"`
		Size     *int64            `json:"size"`
		OrigName *string           `json:"orig_name"`
		MimeType *string           `json:"mime_type"`
		IsStream bool              `json:"is_stream"`
		Meta     map[string]string `json:"meta"`
	}{Path: f.Path, IsStream: f.IsStream, Meta: map[string]string{"_type": fileDataType}}
	if f.URL != "" {
		v.URL = &f.URL
	}
	if f.Size != 0 {
		v.Size = &f.Size
	}
	if f.OrigName != "" {
		v.OrigName = &f.OrigName
	}
	if f.MimeType != "" {
		v.MimeType = &f.MimeType
	}
	return json.Marshal(v)
}

// Name returns the name to save the file under: the original name, else the
// last element of its path.
func (f *FileData) Name() string {
	name := f.OrigName
	if name == "" {
		p := f.Path
		if isHTTPURL(p) {
			if u, err := url.Parse(p); err == nil {
				p = u.Path
			}
		}
		name = path.Base(strings.ReplaceAll(p, `\`, "/"))
	}
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == ".." || name == "" {
		name = "file"
	}
	return name
}

// fileFromMap turns a decoded FileData object into a *FileData, or returns
// nil when m is not one. With meta, detection follows sse_v2.1+; legacy
// servers (meta-less) are recognised by a string path plus url or orig_name.
func (c *Client) fileFromMap(m map[string]any) *FileData {
	p, ok := m["path"].(string)
	if !ok {
		return nil
	}
	meta, hasMeta := m["meta"].(map[string]any)
	if hasMeta {
		if meta["_type"] != fileDataType {
			return nil
		}
	} else if !c.legacyFiles {
		return nil
	} else if _, ok := m["url"]; !ok {
		if _, ok := m["orig_name"]; !ok {
			return nil
		}
	}
	f := &FileData{Path: p, c: c}
	f.URL, _ = m["url"].(string)
	f.OrigName, _ = m["orig_name"].(string)
	f.MimeType, _ = m["mime_type"].(string)
	f.IsStream, _ = m["is_stream"].(bool)
	switch s := m["size"].(type) {
	case float64:
		f.Size = int64(s)
	case json.Number:
		f.Size, _ = s.Int64()
	}
	return f
}
