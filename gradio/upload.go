package gradio

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
)

// Upload sends local files and bytes to the app (POST <api>/upload, one
// multipart request) and returns their FileData, in order, ready to pass as
// inputs. URL inputs are not uploaded: their FileData carries the URL. Calls
// upload their file arguments themselves; Upload is for uploading once and
// reusing the result.
func (c *Client) Upload(ctx context.Context, files ...*FileInput) ([]*FileData, error) {
	out := make([]*FileData, len(files))
	var todo []*FileInput
	var at []int
	for i, f := range files {
		if f == nil {
			return nil, fmt.Errorf("upload: file %d is nil", i)
		}
		if f.url != "" {
			out[i] = &FileData{Path: f.url, URL: f.url, OrigName: f.name, c: c}
			continue
		}
		todo = append(todo, f)
		at = append(at, i)
	}
	if len(todo) == 0 {
		return out, nil
	}
	paths, err := c.upload(ctx, todo)
	if err != nil {
		return nil, err
	}
	for k, i := range at {
		out[i] = &FileData{Path: paths[k], OrigName: todo[k].name, Size: int64(len(todo[k].data)), c: c}
		if todo[k].path != "" {
			out[i].Size = 0
			if n, err := todo[k].size(); err == nil {
				out[i].Size = n
			}
		}
	}
	return out, nil
}

// upload posts the files in one multipart request and returns the server
// paths.
func (c *Client) upload(ctx context.Context, files []*FileInput) ([]string, error) {
	for _, f := range files {
		n, err := f.size()
		if err != nil {
			return nil, fmt.Errorf("upload %s: %w", f, err)
		}
		if max := c.cfg.MaxFileSize; max != nil && n > *max {
			return nil, wrapSentinel(ErrFileTooLarge, nil, "upload %s: %d bytes, over the app's max_file_size of %d bytes", f, n, *max)
		}
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		pw.CloseWithError(writeParts(mw, files))
	}()
	u := c.api + "/upload"
	req, err := c.newRequest(ctx, http.MethodPost, u, pr)
	if err != nil {
		pr.Close()
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.do(c.hc, req, true, c.limits.read)
	pr.Close()
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp, c.limits.maxMessage)
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if err := c.authStatus(resp, body); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if resp.StatusCode == http.StatusRequestEntityTooLarge {
		return nil, wrapSentinel(ErrFileTooLarge, httpError(req, resp, body), "upload")
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upload: %w", httpError(req, resp, body))
	}
	var paths []string
	if err := json.Unmarshal(body, &paths); err != nil {
		return nil, fmt.Errorf("upload: decode response %.200q: %w", body, err)
	}
	if len(paths) != len(files) {
		return nil, fmt.Errorf("upload: sent %d files, the server stored %d", len(files), len(paths))
	}
	return paths, nil
}

// writeParts writes one "files" part per file and closes the multipart body.
func writeParts(mw *multipart.Writer, files []*FileInput) error {
	for _, f := range files {
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename="%s"`, quoteEscaper.Replace(f.name)))
		ct := mime.TypeByExtension(filepath.Ext(f.name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		if f.path == "" {
			if _, err := w.Write(f.data); err != nil {
				return err
			}
			continue
		}
		fh, err := os.Open(f.path)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, fh)
		fh.Close()
		if err != nil {
			return err
		}
	}
	return mw.Close()
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// inputFileData is the FileData object sent for an uploaded or URL input.
func inputFileData(path, url, name string) map[string]any {
	m := map[string]any{"path": path, "orig_name": name, "meta": map[string]any{"_type": fileDataType}}
	if url != "" {
		m["url"] = url
	}
	return m
}

// prepareFiles uploads the FileInputs found in data (at any depth of []any
// and map[string]any values, or in a []*FileInput) and returns data with each
// replaced by its FileData object. data is not modified.
func (c *Client) prepareFiles(ctx context.Context, data []any) ([]any, error) {
	var uploads []*FileInput
	seen := map[*FileInput]int{}
	found := false
	var collect func(v any)
	collect = func(v any) {
		switch t := v.(type) {
		case *FileInput:
			found = true
			if t != nil && t.url == "" {
				if _, ok := seen[t]; !ok {
					seen[t] = len(uploads)
					uploads = append(uploads, t)
				}
			}
		case []*FileInput:
			for _, f := range t {
				collect(f)
			}
		case []any:
			for _, x := range t {
				collect(x)
			}
		case map[string]any:
			for _, x := range t {
				collect(x)
			}
		}
	}
	for _, v := range data {
		collect(v)
	}
	if !found {
		return data, nil
	}
	var paths []string
	if len(uploads) > 0 {
		var err error
		if paths, err = c.upload(ctx, uploads); err != nil {
			return nil, err
		}
	}
	var replace func(v any) (any, error)
	replace = func(v any) (any, error) {
		switch t := v.(type) {
		case *FileInput:
			if t == nil {
				return nil, nil
			}
			if t.url != "" {
				return inputFileData(t.url, t.url, t.name), nil
			}
			return inputFileData(paths[seen[t]], "", t.name), nil
		case []*FileInput:
			out := make([]any, len(t))
			for i, f := range t {
				out[i], _ = replace(f)
			}
			return out, nil
		case []any:
			out := make([]any, len(t))
			for i, x := range t {
				r, err := replace(x)
				if err != nil {
					return nil, err
				}
				out[i] = r
			}
			return out, nil
		case map[string]any:
			out := make(map[string]any, len(t))
			for k, x := range t {
				r, err := replace(x)
				if err != nil {
					return nil, err
				}
				out[k] = r
			}
			return out, nil
		}
		return v, nil
	}
	out := make([]any, len(data))
	for i, v := range data {
		r, err := replace(v)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}
