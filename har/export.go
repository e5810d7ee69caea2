package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// FromRecording writes the API traffic of a recording as a HAR 1.2: the
// app's /config and /info answers (made from the recorded schema, so that
// importing the HAR rebuilds the same app), and for each call the page's
// requests in order: the uploads of its input files, its queue/join (or
// run/<name>) request, the queue/data event stream with its messages (one
// stream per call, from the call's start to its end, so that the times
// survive), the cancel the page sent, and the downloads of its output
// files with their bytes. A recording is already redacted, so the HAR is.
func FromRecording(rec *recording.Recording, creator Creator) (*HAR, error) {
	x := &exporter{rec: rec, api: rec.App.Root + rec.App.APIPrefix, uploaded: map[string]bool{}, served: map[string]bool{}}
	page := Page{StartedDateTime: stamp(rec.Created), ID: "page_1", Title: rec.App.URL, PageTimings: PageTimings{OnContentLoad: -1, OnLoad: -1}}
	h := &HAR{Log: Log{Version: "1.2", Creator: creator, Pages: []Page{page}}}
	config, err := configOf(&rec.App)
	if err != nil {
		return nil, err
	}
	x.add(rec.Created, 0, "GET", rec.App.Root+"/config", nil, 200, "application/json", config)
	info, err := infoOf(&rec.App)
	if err != nil {
		return nil, err
	}
	x.add(rec.Created, 0, "GET", x.api+"/info?all_endpoints=true", nil, 200, "application/json", info)
	hashes := map[string]string{}
	for _, s := range rec.Sessions {
		hashes[s.ID] = s.Hash
	}
	for i := range rec.Calls {
		if err := x.call(&rec.Calls[i], hashes[rec.Calls[i].Session]); err != nil {
			return nil, fmt.Errorf("call %d %s: %w", rec.Calls[i].ID, rec.Calls[i].APIName, err)
		}
	}
	h.Log.Entries = x.entries
	for i := range h.Log.Entries {
		h.Log.Entries[i].Pageref = page.ID
		if rec.App.Auth {
			// The app needs a login: the page's requests carry Gradio's
			// login cookie (its value is not recorded).
			h.Log.Entries[i].Request.Cookies = []Cookie{{Name: "access-token", Value: "-"}}
		}
	}
	return h, nil
}

type exporter struct {
	rec      *recording.Recording
	api      string // the root of the API routes
	entries  []Entry
	uploaded map[string]bool // server paths of input files uploaded so far
	served   map[string]bool // URLs of output files served so far
}

// add appends one entry: a request with its body and the response.
func (x *exporter) add(start time.Time, ms float64, method, rawURL string, req *PostData, status int, mimeType string, body []byte) {
	e := Entry{
		StartedDateTime: stamp(start),
		Time:            ms,
		Request: Request{
			Method: method, URL: rawURL, HTTPVersion: "HTTP/1.1",
			Cookies: []Cookie{}, Headers: []NameValue{}, QueryString: query(rawURL),
			PostData: req, HeadersSize: -1, BodySize: 0,
		},
		Response: Response{
			Status: status, StatusText: statusText(status), HTTPVersion: "HTTP/1.1",
			Cookies: []Cookie{}, Headers: []NameValue{{Name: "Content-Type", Value: mimeType}},
			Content:     Content{Size: int64(len(body)), MimeType: mimeType},
			RedirectURL: "", HeadersSize: -1, BodySize: int64(len(body)),
		},
		Timings: Timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Send: 0, Wait: ms, Receive: 0},
	}
	if req != nil {
		e.Request.BodySize = int64(len(req.Text))
		e.Request.Headers = []NameValue{{Name: "Content-Type", Value: req.MimeType}}
	}
	if isText(mimeType) {
		e.Response.Content.Text = string(body)
	} else {
		e.Response.Content.Text = base64.StdEncoding.EncodeToString(body)
		e.Response.Content.Encoding = "base64"
	}
	x.entries = append(x.entries, e)
}

// call writes the requests of one call.
func (x *exporter) call(c *recording.Call, hash string) error {
	ep := x.rec.Endpoint(c.FnIndex)
	if ep == nil {
		return fmt.Errorf("fn_index %d is not an endpoint of the app", c.FnIndex)
	}
	if err := x.uploads(c); err != nil {
		return err
	}
	data := make([]json.RawMessage, len(c.Data))
	for i, d := range c.Data {
		data[i] = plain(d)
	}
	// A nil event_data (json.RawMessage) is written as null, as the page sends it.
	body := map[string]any{"data": data, "fn_index": c.FnIndex, "session_hash": hash, "event_data": c.EventData, "trigger_id": c.TriggerID}
	sent, err := json.Marshal(body)
	if err != nil {
		return err
	}
	post := &PostData{MimeType: "application/json", Text: string(sent)}
	ms := c.Duration * 1000
	if c.Via == recording.ViaRun {
		name := strings.TrimPrefix(c.APIName, "/")
		if name == "" {
			name = "predict"
		}
		status, answer := 200, map[string]any{"data": x.fullOutputs(ep, c.Outputs)}
		if c.ServerTime != 0 {
			answer["duration"] = c.ServerTime
		}
		if c.Status == recording.Failed {
			status, answer = 500, map[string]any{"error": errorMessage(c)}
			if c.Error != nil && c.Error.HTTP != 0 {
				status, answer = c.Error.HTTP, map[string]any{"detail": c.Error.Message}
			}
		}
		raw, _ := json.Marshal(answer)
		x.add(c.Started, ms, "POST", x.api+"/run/"+url.PathEscape(name), post, status, "application/json", raw)
		return x.downloads(c)
	}
	eventID := c.EventID
	if eventID == "" {
		eventID = fmt.Sprintf("gradiorec-%d", c.ID)
	}
	if c.Status == recording.Failed && c.Error != nil && c.Error.HTTP != 0 {
		raw, _ := json.Marshal(map[string]any{"detail": c.Error.Message})
		x.add(c.Started, ms, "POST", x.api+"/queue/join?", post, c.Error.HTTP, "application/json", raw)
		return nil
	}
	joined, _ := json.Marshal(map[string]string{"event_id": eventID})
	x.add(c.Started, 0, "POST", x.api+"/queue/join?", post, 200, "application/json", joined)
	stream, err := x.stream(ep, c, eventID)
	if err != nil {
		return err
	}
	x.add(c.Started, ms, "GET", x.api+"/queue/data?session_hash="+url.QueryEscape(hash), nil, 200, "text/event-stream", stream)
	if c.Status == recording.Cancelled {
		raw, _ := json.Marshal(map[string]any{"event_id": eventID, "session_hash": hash, "fn_index": c.FnIndex})
		end := c.Started.Add(time.Duration(c.Duration * float64(time.Second)))
		x.add(end, 0, "POST", x.api+"/cancel", &PostData{MimeType: "application/json", Text: string(raw)}, 200, "application/json", []byte("true"))
	}
	return x.downloads(c)
}

// stream writes the event stream of a queued call: its progress, logs,
// updates and how it ended.
func (x *exporter) stream(ep *recording.Endpoint, c *recording.Call, eventID string) ([]byte, error) {
	var b bytes.Buffer
	msg := func(m map[string]any) {
		m["event_id"] = eventID
		raw, _ := json.Marshal(m)
		b.WriteString("data: ")
		b.Write(raw)
		b.WriteString("\n\n")
	}
	msg(map[string]any{"msg": "process_starts"})
	for _, l := range c.Log {
		m := map[string]any{"msg": "log", "log": l.Message, "level": l.Level}
		if l.Title != "" {
			m["title"] = l.Title
		}
		msg(m)
	}
	for _, p := range c.Progress {
		units := make([]map[string]any, len(p.Bars))
		for i, bar := range p.Bars {
			units[i] = map[string]any{"index": bar.Index, "length": bar.Length, "unit": nilIfEmpty(bar.Unit), "progress": bar.Progress, "desc": nilIfEmpty(bar.Desc)}
		}
		msg(map[string]any{"msg": "progress", "progress_data": units})
	}
	diffs := recording.DiffUpdates(x.rec.App.Protocol)
	for i, u := range c.Updates {
		full := x.fullOutputs(ep, u)
		if diffs && i > 0 {
			for k, v := range full {
				full[k] = mustJSON([]any{[]any{"replace", []any{}, json.RawMessage(v)}})
			}
		}
		msg(map[string]any{"msg": "process_generating", "output": map[string]any{"data": full, "is_generating": true}, "success": true})
	}
	switch c.Status {
	case recording.Completed, recording.Cancelled:
		if c.Outputs == nil && c.Status == recording.Cancelled {
			break
		}
		out := map[string]any{"data": x.fullOutputs(ep, c.Outputs), "is_generating": false}
		if c.ServerTime != 0 {
			out["duration"] = c.ServerTime
		}
		msg(map[string]any{"msg": "process_completed", "output": out, "success": true})
	case recording.Failed:
		out := map[string]any{"error": errorMessage(c)}
		m := map[string]any{"msg": "process_completed", "output": out, "success": false}
		if c.Error != nil && c.Error.Title != "" {
			out["title"] = c.Error.Title
		}
		msg(m)
	case recording.Incomplete:
		// The stream ended without an answer.
		return b.Bytes(), nil
	}
	b.WriteString("data: {\"msg\": \"close_stream\"}\n\n")
	return b.Bytes(), nil
}

// fullOutputs puts a call's API outputs back in the slots of all of the
// endpoint's outputs, null in the State and other skipped slots.
func (x *exporter) fullOutputs(ep *recording.Endpoint, api []json.RawMessage) []json.RawMessage {
	if api == nil {
		return []json.RawMessage{}
	}
	out := make([]json.RawMessage, 0, len(ep.Outputs))
	k := 0
	for _, o := range ep.Outputs {
		if o.Skip {
			out = append(out, json.RawMessage("null"))
			continue
		}
		if k < len(api) {
			out = append(out, plain(api[k]))
			k++
		}
	}
	for ; k < len(api); k++ {
		out = append(out, plain(api[k]))
	}
	return out
}

// uploads writes an upload request for each input file of the call the page
// had not uploaded yet, with its bytes when the recording kept them.
func (x *exporter) uploads(c *recording.Call) error {
	for _, d := range c.Data {
		for fd := range recording.FileDatas(d) {
			if x.uploaded[fd.Path] || fd.Fixture == "" || strings.HasPrefix(fd.Path, "http") {
				continue
			}
			f := x.rec.File(fd.Fixture)
			if f == nil || f.Role != recording.RoleInput {
				continue
			}
			x.uploaded[fd.Path] = true
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, f.OrigName))
			if f.MIMEType != "" {
				hdr.Set("Content-Type", f.MIMEType)
			}
			part, err := w.CreatePart(hdr)
			if err != nil {
				return err
			}
			bytesOf, err := x.rec.FileBytes(f.Name)
			if err != nil {
				return fmt.Errorf("input file %s: %w", f.OrigName, err)
			}
			part.Write(bytesOf)
			w.Close()
			post := &PostData{MimeType: w.FormDataContentType(), Text: base64.StdEncoding.EncodeToString(body.Bytes()), Encoding: "base64"}
			paths, _ := json.Marshal([]string{fd.Path})
			x.add(c.Started.Add(-time.Millisecond), 0, "POST", x.api+"/upload", post, 200, "application/json", paths)
		}
	}
	return nil
}

// downloads serves the bytes of the call's output files where the page
// would fetch them.
func (x *exporter) downloads(c *recording.Call) error {
	end := c.Started.Add(time.Duration(c.Duration * float64(time.Second)))
	for _, o := range c.Outputs {
		for fd := range recording.FileDatas(o) {
			if fd.Fixture == "" {
				continue
			}
			f := x.rec.File(fd.Fixture)
			if f == nil || !f.Stored {
				continue
			}
			src := source(fd, x.api)
			if x.served[src] {
				continue
			}
			x.served[src] = true
			data, err := x.rec.FileBytes(f.Name)
			if err != nil {
				return fmt.Errorf("output file %s: %w", f.OrigName, err)
			}
			mt := f.MIMEType
			if mt == "" {
				mt = "application/octet-stream"
			}
			x.add(end, 0, "GET", src, nil, 200, mt, data)
		}
	}
	return nil
}

// source is where the page fetches a file: its url when absolute, else
// <api>/file=<path>.
func source(fd recording.FileData, api string) string {
	for _, u := range []string{fd.URL, fd.Path} {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			return u
		}
	}
	return api + "/file=" + fd.Path
}

// plain removes the "fixture" keys gradiorec adds to FileData values: the
// page never sent them.
func plain(raw json.RawMessage) json.RawMessage {
	if !bytes.Contains(raw, []byte(`"fixture"`)) {
		return raw
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	strip(v)
	return mustJSON(v)
}

func strip(v any) {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := t["path"].(string); ok {
			delete(t, "fixture")
		}
		for _, x := range t {
			strip(x)
		}
	case []any:
		for _, x := range t {
			strip(x)
		}
	}
}

func mustJSON(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // values decoded from JSON always encode
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func errorMessage(c *recording.Call) any {
	if c.Error == nil {
		return nil
	}
	return c.Error.Message
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func query(rawURL string) []NameValue {
	out := []NameValue{}
	u, err := url.Parse(rawURL)
	if err != nil {
		return out
	}
	for k, vs := range u.Query() {
		for _, v := range vs {
			out = append(out, NameValue{Name: k, Value: v})
		}
	}
	slices.SortFunc(out, func(a, b NameValue) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func isText(mimeType string) bool {
	return strings.HasPrefix(mimeType, "text/") || mimeType == "application/json"
}

func statusText(status int) string {
	switch status {
	case 200:
		return "OK"
	case 401:
		return "Unauthorized"
	case 404:
		return "Not Found"
	case 422:
		return "Unprocessable Entity"
	case 500:
		return "Internal Server Error"
	}
	return ""
}
