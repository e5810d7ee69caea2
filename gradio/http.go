package gradio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// userAgent identifies the client to the app.
const userAgent = "gradiorec-gradio-go/1"

// newRequest builds a request to the app carrying the client's headers.
func (c *Client) newRequest(ctx context.Context, method, u string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	return req, nil
}

// postJSON posts v as JSON and returns the response with its whole body.
// slow says that the server answers only once it has done the work (see
// do).
func (c *Client) postJSON(ctx context.Context, u string, v any, extra http.Header, slow bool) ([]byte, *http.Response, error) {
	buf, err := json.Marshal(v)
	if err != nil {
		return nil, nil, fmt.Errorf("encode request: %w", err)
	}
	req, err := c.newRequest(ctx, http.MethodPost, u, bytes.NewReader(buf))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range extra {
		req.Header[k] = v
	}
	resp, err := c.do(c.hc, req, slow, c.limits.read)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, c.limits.maxMessage)
	if errors.Is(err, ErrTooLarge) {
		return nil, resp, err
	}
	if err != nil {
		return nil, resp, fmt.Errorf("POST %s: %w", u, err)
	}
	return body, resp, nil
}

// httpError builds an *HTTPError from a response and its body.
func httpError(req *http.Request, resp *http.Response, body []byte) *HTTPError {
	return &HTTPError{Method: req.Method, URL: req.URL.String(), StatusCode: resp.StatusCode, Detail: detail(body)}
}

// detail extracts a readable explanation from an error body: FastAPI's
// "detail" (a string, or an object with "error"), Gradio's "error", or the
// start of the raw body.
func detail(body []byte) string {
	var v struct {
		Detail json.RawMessage `json:"detail"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &v) == nil {
		for _, raw := range []json.RawMessage{v.Detail, v.Error} {
			if len(raw) == 0 || string(raw) == "null" {
				continue
			}
			var s string
			if json.Unmarshal(raw, &s) == nil {
				return s
			}
			var obj struct {
				Error string `json:"error"`
			}
			if json.Unmarshal(raw, &obj) == nil && obj.Error != "" {
				return obj.Error
			}
			return clip(string(raw), 300)
		}
		if v.Detail != nil || v.Error != nil {
			return "" // present but null
		}
	}
	s := strings.TrimSpace(string(body))
	if strings.HasPrefix(s, "<") {
		return "" // an HTML page says nothing useful in one line
	}
	return clip(s, 300)
}

// clip shortens s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// authStatus turns 401 and 403 responses into ErrUnauthorized errors that say
// whether credentials were missing or refused.
func (c *Client) authStatus(resp *http.Response, body []byte) error {
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
		return nil
	}
	cause := httpError(resp.Request, resp, body)
	var v struct {
		Detail struct {
			AuthMessage string `json:"auth_message"`
		} `json:"detail"`
	}
	_ = json.Unmarshal(body, &v)
	if c.loggedIn {
		return wrapSentinel(ErrUnauthorized, cause, "the app refused the session of user %q", c.user)
	}
	if json.Valid(body) && strings.Contains(string(body), "Not authenticated") {
		return c.loginNeeded(v.Detail.AuthMessage)
	}
	if c.withheld != "" {
		return wrapSentinel(ErrTokenWithheld, cause, "the Hugging Face token from the environment was not sent to %s, "+
			"which is not a Hugging Face host (https://huggingface.co, *.hf.space); if you trust this app, send it with "+
			"--token-to-any-host (gradiorec) or WithToken (Go)", c.withheld)
	}
	if c.token == "" {
		return wrapSentinel(ErrUnauthorized, cause, "credentials missing: a private Space needs a Hugging Face token (WithToken)")
	}
	return wrapSentinel(ErrUnauthorized, cause, "the token was refused")
}

// loginNeeded is the error for an app that requires a login nobody gave.
func (c *Client) loginNeeded(authMessage string) error {
	msg := "credentials missing: the app requires a login (WithAuth)"
	if authMessage != "" {
		msg += "; the app says: " + authMessage
	}
	return wrapSentinel(ErrUnauthorized, nil, "%s", msg)
}
