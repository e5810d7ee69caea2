package gradio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// source is what Connect's src resolves to.
type source struct {
	root    string // app root URL without trailing slash, mount path included
	spaceID string // "owner/name" when src named a Space
}

// parseSource classifies src without network access. It returns either a
// root URL or a Space id to resolve.
func parseSource(src string) (source, error) {
	s := strings.TrimSpace(src)
	if s == "" {
		return source{}, errors.New("empty app source")
	}
	if i := strings.Index(s, "://"); i < 0 {
		if isSpaceID(s) {
			return source{spaceID: strings.TrimSuffix(s, "/")}, nil
		}
		scheme := "https://"
		host := s
		if j := strings.IndexAny(host, "/?#"); j >= 0 {
			host = host[:j]
		}
		if isLoopback(host) {
			scheme = "http://"
		}
		s = scheme + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return source{}, fmt.Errorf("parse app url %q: %w", src, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return source{}, fmt.Errorf("app url %q: scheme must be http or https", src)
	}
	if u.Host == "" {
		return source{}, fmt.Errorf("app url %q has no host", src)
	}
	// https://huggingface.co/spaces/owner/name names a Space too.
	if host := strings.ToLower(u.Hostname()); host == "huggingface.co" || host == "hf.co" {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) >= 3 && parts[0] == "spaces" {
			return source{spaceID: parts[1] + "/" + parts[2]}, nil
		}
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	u.User = nil
	return source{root: strings.TrimRight(u.String(), "/")}, nil
}

// isSpaceID reports whether s looks like a Hugging Face Space id
// ("owner/name"), the rule of the JS client: one slash between two names made
// of letters, digits, '_', '-' and '.'.
func isSpaceID(s string) bool {
	s = strings.TrimSuffix(s, "/")
	owner, name, ok := strings.Cut(s, "/")
	return ok && validSpacePart(owner) && validSpacePart(name)
}

func validSpacePart(p string) bool {
	if p == "" {
		return false
	}
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
		default:
			return false
		}
	}
	return true
}

// isLoopback reports whether host (with an optional port) is a loopback
// address or localhost, which get http:// when src has no scheme.
func isLoopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// resolveSpace asks the Hub for the host serving a Space:
// GET <hub>/api/spaces/<id>/host → {"subdomain": ..., "host": "https://..."}.
func (c *Client) resolveSpace(ctx context.Context, hub, id, token string) (string, error) {
	u := hub + "/api/spaces/" + id + "/host"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("User-Agent", userAgent)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.do(c.hc, req, false, c.limits.read)
	if err != nil {
		return "", fmt.Errorf("resolve space %s: %w", id, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("resolve space %s: %w", id, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusNotFound:
		hint := "it does not exist, or it is private and no valid token was given (WithToken)"
		if token != "" {
			hint = "it does not exist, or the token cannot read it"
		}
		return "", fmt.Errorf("resolve space %s: space not found (HTTP %d): %s", id, resp.StatusCode, hint)
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("resolve space %s: %w", id, httpError(req, resp, body))
	}
	var v struct {
		Host string `json:"host"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.Host == "" {
		return "", fmt.Errorf("resolve space %s: the hub answered without a host: %.200q", id, body)
	}
	return strings.TrimRight(v.Host, "/"), nil
}
