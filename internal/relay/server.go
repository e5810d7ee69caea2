package relay

import (
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/relay/internal/wire"
)

// DefaultPort is the loopback port the backend listens on (gradiorec serve,
// the desktop window) unless told otherwise; the extension's panel suggests
// it.
const DefaultPort = 17860

// ExtensionID is the id of gradiorec's browser extension, pinned by the
// "key" of its manifest; its Origin is "chrome-extension://" + ExtensionID.
const ExtensionID = "iekbpiafblefmobnkkbnbedfmfjkadph"

// path is the only thing the relay serves.
const path = "/v1/ext"

// Handler receives the messages of authenticated extensions.
type Handler interface {
	// Message is called for each message of a known type ("start",
	// "requestSent", "status", …; see docs/extension-protocol.md) that an
	// authenticated extension sends, in order, from the connection's read
	// goroutine: the connection reads nothing more until it returns, so it
	// may block briefly to apply back-pressure. t is the message's "t" and
	// raw the whole frame, a JSON object, which Message may keep; every
	// other field is unchecked, hostile input.
	Message(p *Peer, t string, raw []byte)
	// Closed is called once when an authenticated connection ends, after
	// its last Message: err is nil for a clean close (by the extension,
	// Peer.Close or Server.Close) and else says why.
	Closed(p *Peer, err error)
}

// Options configure a Server. Zero fields take the defaults given.
type Options struct {
	// Addr is where to listen: a loopback IP literal and a port; default
	// "127.0.0.1:0" (a free port). Anything else is an error.
	Addr string
	// Origins are the Origin headers accepted, exactly; default
	// []string{"chrome-extension://" + ExtensionID}.
	Origins []string
	// Store keeps paired installs' secrets; default MemoryStore().
	Store Store
	// Handler receives authenticated extensions' messages; required.
	Handler Handler
	// Version is gradiorec's version, sent as "gradiorec <Version>" in
	// the welcome; default "devel".
	Version string
	// Logf logs refusals, pairings and closed connections, from many
	// goroutines at once; default none. It never gets a secret or a code.
	Logf func(format string, args ...any)
	// MaxFrame bounds a frame after the handshake; default 64 MiB.
	MaxFrame int64
	// HandshakeTimeout bounds reading the HTTP request, and then the
	// handshake from the upgrade to the welcome; default 10 s.
	HandshakeTimeout time.Duration
	// MaxPending bounds the connections in the handshake at once; others
	// are refused with 503. Default 8.
	MaxPending int
	// Ping is how often the relay pings an extension; one that answers
	// nothing for 2 pings is closed. Default 20 s.
	Ping time.Duration
}

// maxHandshakeFrame bounds the frame of "pair" or "hello", which hold a
// few hundred bytes, so that unauthenticated peers cannot make the relay
// buffer much.
const maxHandshakeFrame = 8 << 10

// writeTimeout bounds every write to a connection.
const writeTimeout = 10 * time.Second

// closeWait is how long a closing connection waits for the extension to
// answer the close frame.
const closeWait = time.Second

func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if len(o.Origins) == 0 {
		o.Origins = []string{"chrome-extension://" + ExtensionID}
	}
	if o.Store == nil {
		o.Store = MemoryStore()
	}
	if o.Version == "" {
		o.Version = "devel"
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.MaxFrame <= 0 {
		o.MaxFrame = 64 << 20
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = 10 * time.Second
	}
	if o.MaxPending <= 0 {
		o.MaxPending = 8
	}
	if o.Ping <= 0 {
		o.Ping = 20 * time.Second
	}
	return o
}

// Server is the relay: a WebSocket endpoint on loopback that pairs and
// authenticates the extension and hands its messages to a Handler.
type Server struct {
	opts     Options
	ln       net.Listener
	http     *http.Server
	ip       netip.Addr
	port     int
	hosts    []string      // the Host headers accepted
	pending  chan struct{} // a slot per connection in the handshake
	upgrader websocket.Upgrader
	unwatch  func()
	log      limiter

	now   func() time.Time       // the clock of pairing codes
	nonce func() (string, error) // the challenge's nonce

	mu        sync.Mutex
	closed    bool
	handshake map[*websocket.Conn]struct{} // connections in the handshake
	peers     []*Peer                      // authenticated connections, oldest first
	pair      pairing
	wg        sync.WaitGroup // connection goroutines
}

// Listen starts a relay: it listens at once and serves in the background
// until Close.
func Listen(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	if opts.Handler == nil {
		return nil, errors.New("start the relay: Options.Handler is nil (give the Handler that receives the extension's messages)")
	}
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("start the relay: address %q: %w (give a loopback address such as 127.0.0.1:0)", opts.Addr, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.Zone() != "" || !ip.Unmap().IsLoopback() {
		return nil, fmt.Errorf("start the relay on %q: it listens on a loopback IP address only (such as 127.0.0.1:0), so that other machines and names cannot reach it", opts.Addr)
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("start the relay on %s: %w (choose another port, or 127.0.0.1:0 for a free one)", opts.Addr, err)
	}
	s := &Server{
		opts:      opts,
		ln:        ln,
		ip:        ip.Unmap(),
		port:      ln.Addr().(*net.TCPAddr).Port,
		pending:   make(chan struct{}, opts.MaxPending),
		now:       time.Now,
		nonce:     wire.NewNonce,
		handshake: map[*websocket.Conn]struct{}{},
		unwatch:   func() {},
		log:       limiter{logf: opts.Logf, now: time.Now},
	}
	port := strconv.Itoa(s.port)
	s.hosts = []string{net.JoinHostPort(s.ip.String(), port), "localhost:" + port}
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout: opts.HandshakeTimeout,
		CheckOrigin:      func(*http.Request) bool { return true }, // checked before
	}
	s.http = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: opts.HandshakeTimeout,
		IdleTimeout:       opts.HandshakeTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(logWriter{&s.log}, "relay: ", 0),
	}
	if w, ok := opts.Store.(watcher); ok {
		s.unwatch = w.watch(s.revoked)
	}
	go s.http.Serve(ln)
	return s, nil
}

// Port returns the port the relay listens on.
func (s *Server) Port() int { return s.port }

// URL returns the relay's WebSocket URL, e.g. "ws://127.0.0.1:PORT/v1/ext".
func (s *Server) URL() string {
	return "ws://" + net.JoinHostPort(s.ip.String(), strconv.Itoa(s.port)) + path
}

// Peers returns the connected, authenticated extensions, oldest first.
func (s *Server) Peers() []*Peer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.peers)
}

// Close stops listening and closes every connection. It returns once
// Handler.Closed has run for each authenticated one, so it must not be
// called from a Handler method.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	peers := slices.Clone(s.peers)
	var shaking []*websocket.Conn
	for c := range s.handshake {
		shaking = append(shaking, c)
	}
	s.mu.Unlock()
	s.unwatch()
	err := s.http.Close()
	for _, c := range shaking {
		c.NetConn().Close()
	}
	for _, p := range peers {
		p.closeWith(websocket.CloseGoingAway, "gradiorec is closing", nil)
	}
	s.wg.Wait()
	if err != nil {
		return fmt.Errorf("close the relay: %w", err)
	}
	return nil
}

// serveHTTP refuses everything but the extension's WebSocket upgrade and
// runs that connection.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != path {
		http.Error(w, "not found: gradiorec's relay serves only its browser extension, at "+path, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed: the extension connects with a WebSocket (GET)", http.StatusMethodNotAllowed)
		return
	}
	if !slices.ContainsFunc(s.hosts, func(h string) bool { return equalHost(h, r.Host) }) {
		s.log.printf("relay: refused a connection for Host %q: only %s are accepted (a web page may be trying to reach the relay through another name)",
			clip(r.Host), s.hosts)
		http.Error(w, "forbidden: wrong Host", http.StatusForbidden)
		return
	}
	if o := r.Header.Values("Origin"); len(o) != 1 || !slices.Contains(s.opts.Origins, o[0]) {
		s.log.printf("relay: refused a connection from Origin %q: only gradiorec's extension (%s) may connect; a web page or another program tried to",
			clip(r.Header.Get("Origin")), s.opts.Origins)
		http.Error(w, "forbidden: only gradiorec's browser extension may connect", http.StatusForbidden)
		return
	}
	if !websocket.IsWebSocketUpgrade(r) {
		http.Error(w, "bad request: the extension connects with a WebSocket upgrade", http.StatusBadRequest)
		return
	}
	select {
	case s.pending <- struct{}{}:
	default:
		s.log.printf("relay: refused a connection: %d are in the handshake already (a flood?)", s.opts.MaxPending)
		http.Error(w, "too many connections in the handshake: try again in a few seconds", http.StatusServiceUnavailable)
		return
	}
	release := sync.OnceFunc(func() { <-s.pending })
	defer release()
	if !s.enter() {
		http.Error(w, "gradiorec is closing", http.StatusServiceUnavailable)
		return
	}
	defer s.wg.Done()
	c, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade answered the request
	}
	s.serveConn(c, r.RemoteAddr, release)
}

// enter counts a connection goroutine, unless the server is closed.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// serveConn runs a connection: the handshake, then release of its pending
// slot, then, when authenticated, the peer's read loop.
func (s *Server) serveConn(c *websocket.Conn, remote string, release func()) {
	defer c.Close()
	if !s.track(c) {
		return
	}
	p, err := s.shake(c, remote)
	s.untrack(c)
	release()
	if err != nil {
		s.log.printf("relay: handshake with %s failed: %v", remote, err)
		return
	}
	if !s.add(p) {
		// Welcomed as the server closed: tell the extension why.
		c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "gradiorec is closing"), time.Now().Add(time.Second))
		return
	}
	s.opts.Logf("relay: %s connected (%s)", p.desc(), remote)
	p.run()
}

// track records a connection in the handshake, unless the server is
// closed.
func (s *Server) track(c *websocket.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.handshake[c] = struct{}{}
	return true
}

func (s *Server) untrack(c *websocket.Conn) {
	s.mu.Lock()
	delete(s.handshake, c)
	s.mu.Unlock()
}

// add records an authenticated peer, unless the server is closed.
func (s *Server) add(p *Peer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.peers = append(s.peers, p)
	return true
}

func (s *Server) remove(p *Peer) {
	s.mu.Lock()
	s.peers = slices.DeleteFunc(s.peers, func(q *Peer) bool { return q == p })
	s.mu.Unlock()
}

// revoked closes the connections of an install whose pairing was revoked.
func (s *Server) revoked(install string) {
	for _, p := range s.Peers() {
		if p.install == install {
			p.revoke()
		}
	}
}

// equalHost compares Host headers, the name case-insensitively.
func equalHost(want, got string) bool {
	return len(want) == len(got) && (want == got || asciiLower(want) == asciiLower(got))
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// clip makes a hostile string fit for a log line (quote it with %q).
func clip(s string) string {
	const max = 100
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// limiter logs at most 20 lines per 10 s, so that a flood of refused
// connections cannot flood the log; it tells how many lines it left out.
type limiter struct {
	logf    func(string, ...any)
	now     func() time.Time
	mu      sync.Mutex
	start   time.Time
	n       int
	dropped int
}

func (l *limiter) printf(format string, args ...any) {
	l.mu.Lock()
	now := l.now()
	if now.Sub(l.start) > 10*time.Second {
		if l.dropped > 0 {
			l.logf("relay: (%d more lines about refused connections were left out)", l.dropped)
		}
		l.start, l.n, l.dropped = now, 0, 0
	}
	if l.n == 20 {
		l.dropped++
		l.mu.Unlock()
		return
	}
	l.n++
	l.mu.Unlock()
	l.logf(format, args...)
}

// logWriter sends the HTTP server's own log lines through the limiter.
type logWriter struct{ l *limiter }

func (w logWriter) Write(p []byte) (int, error) {
	w.l.printf("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
