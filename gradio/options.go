package gradio

import (
	"net/http"
	"strings"
)

// Option configures Connect.
type Option func(*settings)

// settings collects what the options set.
type settings struct {
	token       string
	user, pass  string
	auth        bool
	header      http.Header
	httpClient  *http.Client
	sessionHash string
	useNumber   bool
	hubURL      string // Hugging Face Hub base URL, without trailing slash
}

const defaultHubURL = "https://huggingface.co"

func newSettings(opts []Option) *settings {
	s := &settings{header: http.Header{}, hubURL: defaultHubURL}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	return s
}

// WithToken sends a Hugging Face token, for private or gated Spaces. The app
// receives it as "x-hf-authorization: Bearer <token>", the header the Python
// client sends since 1.11.1 (it leaves Authorization free for an app's own
// auth); the Hub API receives it as "Authorization: Bearer <token>" when a
// Space id is resolved. Default: no token.
func WithToken(token string) Option {
	return func(s *settings) { s.token = token }
}

// WithAuth logs in to an app launched with auth=...: Connect posts the user
// name and password to <root>/login and keeps the session cookie it returns
// for every later request. A refused login makes Connect fail with
// ErrUnauthorized. Default: no login.
func WithAuth(user, password string) Option {
	return func(s *settings) { s.user, s.pass, s.auth = user, password, true }
}

// WithHeader adds a header to every request to the app (not to the Hub API).
// It replaces a header of the same name set by the client, for example
// User-Agent. Default: none.
func WithHeader(key, value string) Option {
	return func(s *settings) { s.header.Set(key, value) }
}

// WithHTTPClient makes the client send its requests through hc. The client
// uses a copy of hc: it adds a cookie jar when hc has none, and for the
// long-lived event and heartbeat streams it ignores hc.Timeout (bound calls
// with their context instead). Default: a client of its own whose transport
// keeps up to 64 idle connections per host alive.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.httpClient = hc }
}

// WithSessionHash sets the first session hash instead of a random one, for
// tests and for joining a session the caller already knows. ResetSession
// still picks a random one. Default: 32 random hex digits.
func WithSessionHash(hash string) Option {
	return func(s *settings) { s.sessionHash = hash }
}

// WithJSONNumber decodes numbers in outputs as json.Number (their exact text,
// for example "3.0" or a 64-bit seed) instead of float64. Default: float64.
func WithJSONNumber() Option {
	return func(s *settings) { s.useNumber = true }
}

// withHubURL points Space id resolution at another Hub, for tests.
func withHubURL(u string) Option {
	return func(s *settings) { s.hubURL = strings.TrimRight(u, "/") }
}
