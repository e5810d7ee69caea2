package gradio

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// tokenHeader carries the Hugging Face token to the app.
const tokenHeader = "X-Hf-Authorization"

// isHFHost reports whether u is served by Hugging Face over https:
// huggingface.co, a subdomain of it, or a Space's *.hf.space host, on the
// default port.
func isHFHost(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" || p.User != nil {
		return false
	}
	if port := p.Port(); port != "" && port != "443" {
		return false
	}
	h := strings.ToLower(p.Hostname())
	return h == "huggingface.co" || strings.HasSuffix(h, ".huggingface.co") || strings.HasSuffix(h, ".hf.space")
}

// sendsTokenTo reports whether the token may go to the host of u.
func (s *settings) sendsTokenTo(u string) bool {
	return s.token != "" && (!s.tokenHFOnly || isHFHost(u))
}

// setToken decides, once the app's root is known, whether its requests carry
// the token.
func (c *Client) setToken(set *settings) {
	switch {
	case set.token == "":
	case set.sendsTokenTo(c.root):
		c.token = set.token
		c.header.Set(tokenHeader, "Bearer "+set.token)
	default:
		c.withheld = c.root
	}
}

// sameOrigin reports whether a and b have the same scheme and host (with
// port).
func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && strings.EqualFold(a.Host, b.Host)
}

// keepHeadersOnRedirect wraps a client's redirect policy: a redirect to
// another origin (scheme, host or port) loses the token and the WithHeader
// headers, which Go's client would otherwise copy to any host (it drops only
// Authorization and cookies). The policy of check, or Go's default of at most
// 10 redirects, applies after.
func keepHeadersOnRedirect(check func(*http.Request, []*http.Request) error, custom http.Header) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, via[0].URL) {
			req.Header.Del(tokenHeader)
			for k := range custom {
				req.Header.Del(k)
			}
		}
		if check != nil {
			return check(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}
