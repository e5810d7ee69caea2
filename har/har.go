// Package har reads and writes HAR 1.2 files (HTTP Archive), the format in
// which browsers' developer tools, Playwright, mitmproxy, Charles and k6
// Studio save the traffic of a page, and writes a recording's API traffic
// as one.
//
// A HAR comes from anyone: Read bounds what it reads, and reports a file
// that is not a HAR, is truncated, or lacks the bodies gradiorec needs,
// with what to do about it.
package har

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// HAR is a HAR document: one log.
type HAR struct {
	Log Log `json:"log"`
}

// Log is the archive: who wrote it, the pages and every request.
type Log struct {
	Version string   `json:"version"`
	Creator Creator  `json:"creator"`
	Browser *Creator `json:"browser,omitempty"`
	Pages   []Page   `json:"pages,omitempty"`
	Entries []Entry  `json:"entries"`
	Comment string   `json:"comment,omitempty"`
}

// Creator names the application (or browser) that wrote the log.
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Comment string `json:"comment,omitempty"`
}

// Page is one page the log's entries belong to.
type Page struct {
	StartedDateTime string      `json:"startedDateTime"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	PageTimings     PageTimings `json:"pageTimings"`
}

// PageTimings are a page's load times in milliseconds (-1: unknown).
type PageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

// Entry is one HTTP request and its response.
type Entry struct {
	Pageref         string   `json:"pageref,omitempty"`
	StartedDateTime string   `json:"startedDateTime"`
	Time            float64  `json:"time"` // total milliseconds
	Request         Request  `json:"request"`
	Response        Response `json:"response"`
	Cache           struct{} `json:"cache"`
	Timings         Timings  `json:"timings"`
	Comment         string   `json:"comment,omitempty"`
}

// Request is what was sent.
type Request struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []Cookie    `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	QueryString []NameValue `json:"queryString"`
	PostData    *PostData   `json:"postData,omitempty"`
	HeadersSize int64       `json:"headersSize"`
	BodySize    int64       `json:"bodySize"`
}

// Response is what came back.
type Response struct {
	Status      int         `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []Cookie    `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	Content     Content     `json:"content"`
	RedirectURL string      `json:"redirectURL"`
	HeadersSize int64       `json:"headersSize"`
	BodySize    int64       `json:"bodySize"`
	Error       string      `json:"_error,omitempty"`       // Chromium: why the request failed
	FailureText string      `json:"_failureText,omitempty"` // Playwright: why the request failed (net::ERR_ABORTED when the page closed it)
}

// NameValue is a header or a query parameter.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Cookie is a cookie sent or set.
type Cookie struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// PostData is a request's body.
type PostData struct {
	MimeType string      `json:"mimeType"`
	Params   []NameValue `json:"params,omitempty"`
	Text     string      `json:"text"`
	Encoding string      `json:"_encoding,omitempty"` // "base64": Text holds the bytes so
	File     string      `json:"_file,omitempty"`     // Playwright "attach": the bytes are in this file of the archive
}

// Content is a response's body.
type Content struct {
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"` // "base64" or empty
	File     string `json:"_file,omitempty"`    // Playwright "attach": the bytes are in this file of the archive
	Comment  string `json:"comment,omitempty"`
}

// Timings split an entry's time, in milliseconds; -1 when not known.
type Timings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
}

// MaxSize is the largest HAR Read takes by default.
const MaxSize = 2 << 30

// Errors Read reports, matched with errors.Is.
var (
	ErrTooBig   = errors.New("the HAR is larger than the limit")
	ErrNotHAR   = errors.New("not a HAR file")
	ErrTruncate = errors.New("the HAR file ends early (it was cut off while it was written or copied)")
)

// Read decodes a HAR from r, reading at most limit bytes (MaxSize when 0).
func Read(r io.Reader, limit int64) (*HAR, error) {
	if limit <= 0 {
		limit = MaxSize
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w of %d bytes", ErrTooBig, limit)
	}
	return Decode(data)
}

// Decode decodes a HAR document.
func Decode(data []byte) (*HAR, error) {
	var h HAR
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&h); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) > 0:
			return nil, ErrTruncate
		case errors.As(err, &syn):
			return nil, fmt.Errorf("%w: invalid JSON at byte %d: %v", ErrNotHAR, syn.Offset, err)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("%w: %s has the wrong type (%s)", ErrNotHAR, typ.Field, typ.Value)
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w: the file is empty", ErrNotHAR)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotHAR, err)
	}
	if h.Log.Entries == nil && h.Log.Version == "" {
		return nil, fmt.Errorf("%w: it has no log with entries", ErrNotHAR)
	}
	return &h, nil
}

// Encode writes h as indented JSON, without escaping HTML characters.
func (h *HAR) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(h)
}

// Started returns when the entry's request started.
func (e *Entry) Started() (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, e.StartedDateTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("entry %s %s: startedDateTime %q is not a time", e.Request.Method, e.Request.URL, e.StartedDateTime)
	}
	return t, nil
}

// Header returns the value of a header, whatever the case of its name.
func Header(hs []NameValue, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Headers returns headers as a map (the last of repeated ones).
func Headers(hs []NameValue) map[string]string {
	m := make(map[string]string, len(hs))
	for _, h := range hs {
		m[h.Name] = h.Value
	}
	return m
}

// Attachments reads the side files of a HAR (Playwright's "attach" mode);
// nil when the HAR has none.
type Attachments func(name string) ([]byte, error)

// Failure returns why a response failed, as Chromium or Playwright say it,
// or "".
func (r *Response) Failure() string {
	if r.Error != "" {
		return r.Error
	}
	return r.FailureText
}

// Body returns a response's body; ok is false when the HAR holds none (it
// was saved without content, or the request was cut before its end).
func (c *Content) Body(files Attachments) (body []byte, ok bool, err error) {
	switch {
	case c.File != "":
		if files == nil {
			return nil, false, fmt.Errorf("the body is in the archive's file %q, which is not here: import the whole .zip Playwright wrote", c.File)
		}
		b, err := files(c.File)
		return b, err == nil, err
	case c.Encoding == "base64":
		b, err := base64.StdEncoding.DecodeString(c.Text)
		if err != nil {
			return nil, false, fmt.Errorf("the base64 body: %w", err)
		}
		return b, true, nil
	case c.Text != "" || c.Size == 0:
		return []byte(c.Text), true, nil
	}
	return nil, false, nil
}

// Body returns a request's body, nil when there is none.
func (p *PostData) Body(files Attachments) ([]byte, error) {
	switch {
	case p == nil:
		return nil, nil
	case p.File != "":
		if files == nil {
			return nil, fmt.Errorf("the request body is in the archive's file %q, which is not here", p.File)
		}
		return files(p.File)
	case p.Encoding == "base64":
		return base64.StdEncoding.DecodeString(p.Text)
	}
	return []byte(p.Text), nil
}

// Open reads a HAR file, or a .zip archive that Playwright wrote (recordHar
// with a .zip path): its .har file and, for content "attach", the side
// files its entries name. limit bounds the HAR and each side file (MaxSize
// when 0).
func Open(path string, limit int64) (*HAR, Attachments, error) {
	if limit <= 0 {
		limit = MaxSize
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var magic [4]byte
	if n, _ := io.ReadFull(f, magic[:]); n < 4 || string(magic[:]) != "PK\x03\x04" {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, nil, err
		}
		h, err := Read(f, limit)
		return h, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, nil, err
	}
	archive, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(archive)) > limit {
		return nil, nil, fmt.Errorf("%s: %w of %d bytes", path, ErrTooBig, limit)
	}
	z, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a HAR, nor a zip archive of one: %w", path, err)
	}
	read := func(name string) ([]byte, error) {
		for _, zf := range z.File {
			if zf.Name != name {
				continue
			}
			r, err := zf.Open()
			if err != nil {
				return nil, err
			}
			defer r.Close()
			data, err := io.ReadAll(io.LimitReader(r, limit+1))
			if err == nil && int64(len(data)) > limit {
				err = fmt.Errorf("%s in %s: %w of %d bytes", name, path, ErrTooBig, limit)
			}
			return data, err
		}
		return nil, fmt.Errorf("the archive %s has no file %q", path, name)
	}
	for _, zf := range z.File {
		if strings.HasSuffix(zf.Name, ".har") {
			data, err := read(zf.Name)
			if err != nil {
				return nil, nil, err
			}
			h, err := Decode(data)
			if err != nil {
				return nil, nil, fmt.Errorf("%s in %s: %w", zf.Name, path, err)
			}
			return h, read, nil
		}
	}
	return nil, nil, fmt.Errorf("the archive %s holds no .har file", path)
}

// WriteFile writes h to a new file beside path and renames it over path:
// a file there is replaced whole, and a link there is replaced, never
// written through.
func (h *HAR) WriteFile(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".har-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o644)
	if err == nil {
		err = h.Encode(tmp)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}
