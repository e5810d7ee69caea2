package gradio

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"time"
)

// Client is a connection to one Gradio app and one session of it. Connect
// reads the app's config and endpoint schema once; calls reuse them and one
// pool of keep-alive connections. All the client's queued calls share the
// session's event stream. A Client is safe for concurrent use; Close it when
// done.
type Client struct {
	hc       *http.Client // requests with a bounded lifetime
	streamHC *http.Client // event and heartbeat streams: no client timeout
	ownTr    *http.Transport
	header   http.Header // sent with every request to the app

	limits   limits
	root     string // app root URL, no trailing slash
	api      string // root + api_prefix
	spaceID  string
	token    string // sent to the app; "" when none or withheld
	withheld string // the root a WithAmbientToken token was not sent to
	user     string
	pass     string
	loggedIn bool

	useNumber   bool
	diffs       bool // generator outputs come as diffs (sse_v2+)
	legacyFiles bool // files have no meta (before sse_v2.1)
	eofCloses   bool // the server ends the stream without close_stream (before sse_v3)

	cfg     *Config
	apiInfo *API
	byIndex map[int]*Endpoint    // callable dependencies by fn_index
	named   map[string]*Endpoint // public and undocumented ones by "/name"

	bg   context.Context // background work; ends with Close
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu       sync.Mutex
	sess     *session
	sessions map[*session]bool // live sessions, the current one and retired ones with jobs
	closed   bool
}

// supportedProtocols are the queue protocols this client speaks: a POST join
// plus one shared event stream per session (Gradio 4.9 and later).
var supportedProtocols = map[string]bool{"sse_v1": true, "sse_v2": true, "sse_v2.1": true, "sse_v3": true}

// Connect connects to the Gradio app at src and reads its config and
// endpoint schema.
//
// src is the app's URL, with or without a mount path and trailing slash
// ("http://127.0.0.1:7860", "https://example.com/app/"); a URL without
// scheme gets http:// for loopback hosts and https:// otherwise. A Hugging
// Face Space id ("owner/name") or Space page URL is resolved to the Space's
// host with GET https://huggingface.co/api/spaces/<id>/host.
//
// Connect logs in first when WithAuth is given, then reads GET <root>/config
// (or, when that does not answer JSON, the config inlined in the page) and
// GET <api>/info?all_endpoints=true, where <api> is the root plus the
// config's api_prefix ("/gradio_api" since Gradio 5, none in 4.x). ctx
// bounds these requests only. Errors wrap ErrNotGradio, ErrUnauthorized or
// the network error, and name the URL.
func Connect(ctx context.Context, src string, opts ...Option) (*Client, error) {
	set := newSettings(opts)
	c, err := newClient(set)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", src, err)
	}
	if err := c.connect(ctx, src, set); err != nil {
		c.Close()
		return nil, fmt.Errorf("connect %s: %w", src, err)
	}
	return c, nil
}

func newClient(set *settings) (*Client, error) {
	c := &Client{limits: set.limits, user: set.user, pass: set.pass, useNumber: set.useNumber, sessions: map[*session]bool{}}
	if set.httpClient != nil {
		hc := *set.httpClient
		c.hc = &hc
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		tr.IdleConnTimeout = 90 * time.Second
		c.ownTr = tr
		c.hc = &http.Client{Transport: tr}
	}
	if c.hc.Jar == nil {
		jar, err := cookiejar.New(nil)
		if err != nil {
			return nil, err
		}
		c.hc.Jar = jar
	}
	c.hc.CheckRedirect = keepHeadersOnRedirect(c.hc.CheckRedirect, set.header)
	shc := *c.hc
	shc.Timeout = 0
	c.streamHC = &shc

	c.header = http.Header{"User-Agent": {userAgent}}
	for k, v := range set.header {
		c.header[k] = v
	}
	c.bg, c.stop = context.WithCancel(context.Background())
	hash := set.sessionHash
	if hash == "" {
		hash = newSessionHash()
	}
	c.sess = newSession(c, hash)
	c.sessions[c.sess] = true
	return c, nil
}

func (c *Client) connect(ctx context.Context, src string, set *settings) error {
	s, err := parseSource(src)
	if err != nil {
		return err
	}
	if s.spaceID != "" {
		c.spaceID = s.spaceID
		token := ""
		if set.sendsTokenTo(set.hubURL) {
			token = set.token
		}
		if s.root, err = c.resolveSpace(ctx, set.hubURL, s.spaceID, token); err != nil {
			return err
		}
	}
	c.root = s.root
	c.setToken(set)
	if set.auth {
		if err := c.login(ctx); err != nil {
			return err
		}
	}
	cfg, err := c.fetchConfig(ctx)
	if err != nil {
		return err
	}
	proto := cfg.Protocol
	if proto == "" {
		proto = "ws"
	}
	if !supportedProtocols[proto] {
		return fmt.Errorf("gradio %s speaks queue protocol %q; this client needs sse_v1 or later (gradio 4.9+)", cfg.Version, proto)
	}
	c.diffs = proto != "sse_v1"
	c.legacyFiles = proto == "sse_v1" || proto == "sse_v2"
	c.eofCloses = proto != "sse_v3"
	c.cfg = cfg
	prefix := strings.TrimRight(cfg.APIPrefix, "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	c.api = c.root + prefix

	info, err := c.fetchInfo(ctx)
	if err != nil {
		return err
	}
	api, infos, err := buildAPI(cfg, info)
	if err != nil {
		return err
	}
	c.apiInfo = api
	comps := componentIndex(cfg)
	c.byIndex = make(map[int]*Endpoint, len(cfg.Dependencies))
	c.named = make(map[string]*Endpoint)
	for i := range cfg.Dependencies {
		d := &cfg.Dependencies[i]
		if !d.BackendFn || d.Types.Cancel {
			continue
		}
		e := newEndpoint(c, d, infos[d.ID], comps)
		c.byIndex[d.ID] = e
		if e.info.APIName != "" && d.Visibility != VisibilityPrivate {
			if _, dup := c.named[e.info.APIName]; !dup {
				c.named[e.info.APIName] = e
			}
		}
	}
	return nil
}

// fetchInfo reads GET <api>/info?all_endpoints=true. An app without the
// route (404) yields no info: parameters then come from the config.
func (c *Client) fetchInfo(ctx context.Context) ([]byte, error) {
	body, resp, err := c.get(ctx, c.api+"/info?all_endpoints=true")
	if err != nil {
		return nil, err
	}
	if err := c.authStatus(resp, body); err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return body, nil
	case http.StatusNotFound:
		return nil, nil
	}
	return nil, fmt.Errorf("read api info: %w", httpError(resp.Request, resp, body))
}

// newSessionHash returns 32 random hex digits.
func newSessionHash() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// session returns the current session, or ErrClosed.
func (c *Client) session() (*session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	return c.sess, nil
}

// goBackground runs f on a goroutine that Close waits for, unless the client
// is closed; it reports whether f was started.
func (c *Client) goBackground(f func()) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// forget drops an ended session from the live set.
func (c *Client) forget(s *session) {
	c.mu.Lock()
	delete(c.sessions, s)
	c.mu.Unlock()
}

// URL returns the app's root URL (mount path included, no trailing slash).
func (c *Client) URL() string { return c.root }

// SpaceID returns the Hugging Face Space id when Connect was given one, else
// "".
func (c *Client) SpaceID() string { return c.spaceID }

// Config returns the app's config as read by Connect. Treat it as read-only.
func (c *Client) Config() *Config { return c.cfg }

// ViewAPI returns the app's endpoints: public and undocumented ones, with
// parameter names, types and defaults. Its String method prints them like
// gradio_client's view_api(). Treat it as read-only.
func (c *Client) ViewAPI() *API { return c.apiInfo }

// SessionHash returns the current session hash. Calls in one session share
// the app's gr.State values.
func (c *Client) SessionHash() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess.hash
}

// ResetSession starts a new session with a random hash, so later calls see
// fresh gr.State values. Jobs already running finish in the old session,
// which ends after them.
func (c *Client) ResetSession() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	old := c.sess
	c.sess = newSession(c, newSessionHash())
	c.sessions[c.sess] = true
	c.mu.Unlock()
	old.retire()
}

// Close ends the client: running jobs fail with ErrClosed, the event and
// heartbeat streams close (the server then drops the session), and idle
// connections are closed. It waits for the client's goroutines to exit and
// always returns nil. Calls after Close fail with ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	live := make([]*session, 0, len(c.sessions))
	for s := range c.sessions {
		live = append(live, s)
	}
	c.mu.Unlock()
	for _, s := range live {
		s.close()
	}
	c.stop()
	c.wg.Wait()
	if c.ownTr != nil {
		c.ownTr.CloseIdleConnections()
	}
	return nil
}
