package gradio

import (
	"net/http"
	"strings"
	"time"
)

// Option configures Connect.
type Option func(*settings)

// settings collects what the options set.
type settings struct {
	token       string
	tokenHFOnly bool // WithAmbientToken: send it to Hugging Face hosts only
	limits      limits
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
	s := &settings{header: http.Header{}, hubURL: defaultHubURL, limits: limits{
		connect: DefaultConnectTimeout, read: DefaultReadTimeout, maxMessage: DefaultMaxMessageSize,
	}}
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
// Space id is resolved. The token goes to the app whatever its host, but
// never along a redirect to another host, nor with a download from another
// host (an output file's URL may point anywhere). For a token the user did
// not pick for this app, such as $HF_TOKEN, use WithAmbientToken. Default: no
// token.
func WithToken(token string) Option {
	return func(s *settings) { s.token, s.tokenHFOnly = token, false }
}

// WithAmbientToken sends a Hugging Face token found in the environment, such
// as $HF_TOKEN, like WithToken but only to an app served by Hugging Face
// over https: huggingface.co, *.huggingface.co or *.hf.space (a Space id
// resolves to one). Any other app does not get it, so that a URL from an
// untrusted source cannot collect it; when such an app answers 401 or 403,
// the error wraps ErrTokenWithheld. It replaces an earlier WithToken.
// Default: no token.
func WithAmbientToken(token string) Option {
	return func(s *settings) { s.token, s.tokenHFOnly = token, true }
}

// WithConnectTimeout bounds, for every request to the app or the Hub,
// connecting (DNS, TCP, TLS), sending the request (renewed while an upload
// makes progress) and waiting for the response headers; d <= 0 means no
// limit. A request that runs out fails with a *TimeoutError. Default:
// DefaultConnectTimeout (10s).
func WithConnectTimeout(d time.Duration) Option {
	return func(s *settings) { s.limits.connect = d }
}

// WithReadTimeout bounds how long a response may send nothing: the event
// stream (Gradio sends a heartbeat on it every 15 seconds, so keep this
// above that), a download, a body being read. It also bounds the wait for
// the answer of an endpoint outside the queue (queue=False) and of an
// upload, which come only once the server has done the work. The heartbeat
// stream is not bounded. d <= 0 means no limit. A response that runs out
// fails with a *TimeoutError; a call waiting on the event stream fails with
// ErrConnectionLost wrapping it. Default: DefaultReadTimeout (60s).
func WithReadTimeout(d time.Duration) Option {
	return func(s *settings) { s.limits.read = d }
}

// WithMaxMessageSize bounds the size of one server-sent event and of a
// response the client reads whole (config, API info, the answer of an
// endpoint outside the queue), so that a hostile or broken app cannot make
// the client hold an endless line in memory; n <= 0 means no limit. A larger
// message fails with ErrTooLarge, and the calls waiting on that event stream
// fail with it. Downloads are streamed and not bounded. Default:
// DefaultMaxMessageSize (64 MiB).
func WithMaxMessageSize(n int64) Option {
	return func(s *settings) { s.limits.maxMessage = n }
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
// uses a copy of hc: it adds a cookie jar when hc has none, wraps hc's
// redirect policy so that the token and WithHeader headers never follow a
// redirect to another origin, and for the long-lived event and heartbeat
// streams it ignores hc.Timeout (bound calls with their context instead;
// the connect and read timeouts still apply). Default: a client of its own whose transport
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
