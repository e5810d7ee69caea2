package gradio

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// downloadURL is where the file is fetched: the url of a stream, a path that
// is itself a URL, else <api>/file=<path> (as gradio_client does).
func (f *FileData) downloadURL() (string, error) {
	if f.c == nil {
		if isHTTPURL(f.URL) {
			return f.URL, nil
		}
		if isHTTPURL(f.Path) {
			return f.Path, nil
		}
		return "", fmt.Errorf("file %s: no client to download it from (not returned by a call)", f.Path)
	}
	if f.IsStream && f.URL != "" {
		if isHTTPURL(f.URL) {
			return f.URL, nil
		}
		return f.c.root + "/" + strings.TrimLeft(f.URL, "/"), nil
	}
	if isHTTPURL(f.Path) {
		return f.Path, nil
	}
	return f.c.api + "/file=" + escapePath(f.Path), nil
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// escapePath percent-encodes each element of a server path, keeping slashes.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// Open starts downloading the file and returns its content. The caller must
// close it. The request carries the client's headers (the token among them)
// only when it goes to the app's origin (scheme, host and port); a file on
// another host, or a redirect there, gets neither headers nor token. The
// client's connect and read timeouts apply.
func (f *FileData) Open(ctx context.Context) (io.ReadCloser, error) {
	u, err := f.downloadURL()
	if err != nil {
		return nil, err
	}
	var req *http.Request
	hc := http.DefaultClient
	if f.c != nil {
		hc = f.c.streamHC
		if sameHost(u, f.c.root) {
			req, err = f.c.newRequest(ctx, http.MethodGet, u, nil)
		}
	}
	if req == nil && err == nil {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if req != nil {
			req.Header.Set("User-Agent", userAgent)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Path, err)
	}
	var resp *http.Response
	if f.c != nil {
		resp, err = f.c.do(hc, req, false, f.c.limits.read)
	} else {
		resp, err = hc.Do(req)
	}
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if f.c != nil {
			if err := f.c.authStatus(resp, body); err != nil {
				return nil, fmt.Errorf("download %s: %w", f.Path, err)
			}
		}
		return nil, fmt.Errorf("download %s: %w", f.Path, httpError(req, resp, body))
	}
	return resp.Body, nil
}

// CopyTo downloads the file into w and returns the number of bytes written.
func (f *FileData) CopyTo(ctx context.Context, w io.Writer) (int64, error) {
	rc, err := f.Open(ctx)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	n, err := io.Copy(w, rc)
	if err != nil {
		return n, fmt.Errorf("download %s: %w", f.Path, err)
	}
	return n, nil
}

// Download saves the file in dir (created if missing) under Name() and
// returns the path written. An existing file of that name is replaced; the
// file appears only once it is complete.
func (f *FileData) Download(ctx context.Context, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("download %s: %w", f.Path, err)
	}
	dest := filepath.Join(dir, f.Name())
	tmp, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		return "", fmt.Errorf("download %s: %w", f.Path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := f.CopyTo(ctx, tmp); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("download %s: %w", f.Path, err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return "", fmt.Errorf("download %s: %w", f.Path, err)
	}
	return dest, nil
}

func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && strings.EqualFold(ua.Host, ub.Host) && ua.Scheme == ub.Scheme
}
