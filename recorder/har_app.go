package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/har"
)

// harApp finds the app in the HAR: its config (the first Gradio page's
// inline window.gradio_config, or /config answer, that is an app's and not
// a login page's) and its /info answer, else both from opts.URL.
func harApp(ctx context.Context, h *har.HAR, entries []*harEntry, opts HAROptions) (*appModel, error) {
	var cfg *gradio.Config
	var cfgURL string
	var info []byte
	for _, e := range entries {
		if e.Request.Method != "GET" || e.Response.Status != 200 {
			continue
		}
		html := strings.HasPrefix(e.Response.Content.MimeType, "text/html")
		if !html && !pathEnds(e.Request.URL, "/config") {
			continue
		}
		body, ok, _ := e.response(opts.Files)
		if !ok {
			continue
		}
		if html {
			// Gradio 4.x-6.x pages carry their config inline.
			if body = inlineConfig(body); body == nil {
				continue
			}
		}
		if c, err := gradio.ParseConfig(body); err == nil && !c.AuthRequired {
			cfg, cfgURL = c, e.Request.URL
			if html {
				cfgURL = strings.TrimRight(strings.SplitN(e.Request.URL, "?", 2)[0], "/") + "/config"
			}
			break
		}
	}
	if cfg == nil && opts.URL != "" {
		body, err := get(ctx, strings.TrimRight(opts.URL, "/")+"/config")
		if err != nil {
			return nil, fmt.Errorf("%w, and the app at %s did not give one: %v", ErrNoConfig, opts.URL, err)
		}
		if cfg, err = gradio.ParseConfig(body); err != nil {
			return nil, fmt.Errorf("%w, and %s/config is not one: %v", ErrNoConfig, opts.URL, err)
		}
		cfgURL = strings.TrimRight(opts.URL, "/") + "/config"
	}
	if cfg == nil {
		return nil, fmt.Errorf("%w (its /config answer, which the page fetches as it loads): record from before the page loads, or give --url APP to read it from the app", ErrNoConfig)
	}
	page := strings.TrimSuffix(strings.SplitN(cfgURL, "?", 2)[0], "/config") + "/"
	if t := firstPage(h).Title; sameRoot(t, page) {
		page = t
	}
	root := appRoot(page, cfg.Root)
	for _, e := range entries {
		if e.Request.Method == "GET" && e.Response.Status == 200 && strings.HasPrefix(e.Request.URL, root+"/") && pathEnds(e.Request.URL, "/info") {
			if body, ok, _ := e.response(opts.Files); ok {
				info = body
				if strings.Contains(e.Request.URL, "all_endpoints=true") {
					break
				}
			}
		}
	}
	if info == nil && opts.URL != "" {
		info, _ = get(ctx, strings.TrimRight(opts.URL, "/")+cfg.APIPrefix+"/info?all_endpoints=true")
	}
	m, err := newAppModel(page, cfg, info)
	if err != nil {
		// Inputs are then named by position, as the recorder does.
		return newAppModel(page, cfg, nil)
	}
	return m, nil
}

// inlineConfig returns the config a Gradio page's HTML sets in
// window.gradio_config, or nil.
func inlineConfig(page []byte) []byte {
	_, after, ok := bytes.Cut(page, []byte("window.gradio_config ="))
	if !ok {
		return nil
	}
	var raw json.RawMessage
	if json.NewDecoder(bytes.NewReader(after)).Decode(&raw) != nil {
		return nil
	}
	return raw
}

// sameRoot reports whether a page title is an http(s) URL of the same
// origin as page, as Chromium titles its HAR pages.
func sameRoot(title, page string) bool {
	t, err1 := url.Parse(title)
	p, err2 := url.Parse(page)
	return err1 == nil && err2 == nil && (t.Scheme == "http" || t.Scheme == "https") && t.Host == p.Host && t.Scheme == p.Scheme
}

func pathEnds(raw, suffix string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), suffix)
}

// maxFetched bounds what get reads from the app.
const maxFetched = 64 << 20

func get(ctx context.Context, rawURL string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", rawURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: HTTP %d", rawURL, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetched+1))
	if err == nil && len(body) > maxFetched {
		err = fmt.Errorf("GET %s: more than %d bytes", rawURL, maxFetched)
	}
	return body, err
}
