// Package relaytest plays gradiorec's browser extension in Go tests: it
// connects to a relay.Server, performs the extension's side of the
// handshake (pairing with a code, or hello with a secret) and returns a
// Client that sends and receives the protocol's messages.
//
//	code, _ := srv.NewCode()
//	c := relaytest.Dial(t, srv.URL(), relaytest.Options{Code: code})
//	c.Send(map[string]any{"t": "start", "rec": "r1", "tab": map[string]any{"url": u}})
package relaytest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/internal/wire"
)

// Options say how the fake extension connects. Zero fields take the
// defaults given.
type Options struct {
	// Origin is the Origin header; default "chrome-extension://" +
	// relay.ExtensionID. "-" sends none.
	Origin string
	// Host is the Host header; default the URL's.
	Host string
	// Install is the install id; default a random one.
	Install string
	// Browser is the browser description; default "relaytest".
	Browser string
	// Nonce is the client nonce; default a random one.
	Nonce string
	// Code pairs with this code, as shown or normalised (Handshake, Dial).
	Code string
	// Secret says hello with this secret when Code is empty.
	Secret []byte
	// V is the protocol version sent; default 1.
	V int
	// NoPong makes Receive return pings instead of answering them.
	NoPong bool
	// Timeout bounds the connection, the handshake and each Receive;
	// default 10 s.
	Timeout time.Duration
}

// Client is a connected fake extension.
type Client struct {
	Install string // its install id
	Secret  []byte // its secret, given or derived by pairing
	Server  string // the welcome's "server", e.g. "gradiorec devel"
	Nonce   string // the server's challenge nonce

	opts Options
	conn *websocket.Conn
	wmu  sync.Mutex
}

// Message is a message received from the relay.
type Message struct {
	T   string          // its "t"
	Raw json.RawMessage // the whole frame
}

// Decode decodes the whole message into v.
func (m Message) Decode(v any) error { return json.Unmarshal(m.Raw, v) }

// Error is a refused connection or handshake.
type Error struct {
	Status    int    // the HTTP status of a refused upgrade; 0 when upgraded
	Body      string // the refused upgrade's body
	Code      string // the "error" message's code, e.g. "unpaired"
	Message   string // its message
	CloseCode int    // the WebSocket close status, e.g. 4401; 0 when none
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("relay refused the upgrade: HTTP %d: %s", e.Status, e.Body)
	}
	return fmt.Sprintf("relay refused the handshake: %s (%s), close status %d", e.Code, e.Message, e.CloseCode)
}

func (o Options) withDefaults() Options {
	if o.Origin == "" {
		o.Origin = "chrome-extension://" + relay.ExtensionID
	}
	if o.Install == "" {
		b := make([]byte, 16)
		rand.Read(b)
		o.Install = base64.RawURLEncoding.EncodeToString(b)
	}
	if o.Browser == "" {
		o.Browser = "relaytest"
	}
	if o.V == 0 {
		o.V = wire.Version
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	return o
}

// Open connects to the relay at url and reads its challenge; the handshake
// is the caller's next message (Pair, Hello, or anything through Send).
// A refused upgrade is an *Error with its HTTP status.
func Open(ctx context.Context, url string, opts Options) (*Client, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	h := http.Header{}
	if opts.Origin != "-" {
		h.Set("Origin", opts.Origin)
	}
	if opts.Host != "" {
		h.Set("Host", opts.Host)
	}
	d := websocket.Dialer{HandshakeTimeout: opts.Timeout}
	conn, resp, err := d.DialContext(ctx, url, h)
	if err != nil {
		if resp != nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			return nil, &Error{Status: resp.StatusCode, Body: string(body)}
		}
		return nil, fmt.Errorf("connect to the relay: %w", err)
	}
	c := &Client{Install: opts.Install, opts: opts, conn: conn}
	m, err := c.Receive()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("read the challenge: %w", err)
	}
	var ch wire.Challenge
	if err := m.Decode(&ch); err != nil || ch.T != "challenge" || !wire.ValidNonce(ch.Nonce) {
		conn.Close()
		return nil, fmt.Errorf("the relay's first message is not a challenge: %s", m.Raw)
	}
	c.Nonce = ch.Nonce
	return c, nil
}

// Handshake opens a connection and pairs with opts.Code, or says hello
// with opts.Secret. A refusal is an *Error.
func Handshake(ctx context.Context, url string, opts Options) (*Client, error) {
	c, err := Open(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	if opts.Code != "" {
		err = c.Pair(opts.Code)
	} else {
		err = c.Hello(opts.Secret)
	}
	if err != nil {
		c.conn.Close()
		return nil, err
	}
	return c, nil
}

// Dial is Handshake for a test: it fails the test when the handshake
// fails, and closes the client when the test ends.
func Dial(t testing.TB, url string, opts Options) *Client {
	t.Helper()
	c, err := Handshake(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("relaytest.Dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Pair sends "pair" with code and waits for the welcome, whose proof it
// checks; c.Secret is the derived secret.
func (c *Client) Pair(code string) error {
	code = wire.NormaliseCode(code)
	cn := c.clientNonce()
	err := c.Send(wire.Auth{T: "pair", V: c.opts.V, Install: c.Install, Browser: c.opts.Browser, Nonce: cn,
		Proof: wire.PairProof(code, c.Nonce, cn, c.Install)})
	if err != nil {
		return err
	}
	return c.welcome(wire.Secret(code, c.Nonce, cn, c.Install), cn)
}

// Hello sends "hello" with secret and waits for the welcome, whose proof
// it checks.
func (c *Client) Hello(secret []byte) error {
	cn := c.clientNonce()
	err := c.Send(wire.Auth{T: "hello", V: c.opts.V, Install: c.Install, Browser: c.opts.Browser, Nonce: cn,
		Proof: wire.ClientProof(secret, c.Nonce, cn)})
	if err != nil {
		return err
	}
	return c.welcome(secret, cn)
}

func (c *Client) clientNonce() string {
	if c.opts.Nonce != "" {
		return c.opts.Nonce
	}
	n, _ := wire.NewNonce()
	return n
}

// welcome reads the answer to pair or hello.
func (c *Client) welcome(secret []byte, cn string) error {
	m, err := c.Receive()
	if err != nil {
		return fmt.Errorf("read the welcome: %w", err)
	}
	switch m.T {
	case "welcome":
		var w wire.Welcome
		if err := m.Decode(&w); err != nil {
			return fmt.Errorf("decode the welcome: %w", err)
		}
		if !wire.Equal(w.Proof, wire.ServerProof(secret, c.Nonce, cn)) {
			return errors.New("the welcome's proof is wrong: this is not the gradiorec the extension paired with")
		}
		c.Secret, c.Server = secret, w.Server
		return nil
	case "error":
		var e wire.Error
		m.Decode(&e)
		refused := &Error{Code: e.Code, Message: e.Message}
		if _, err := c.Receive(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				refused.CloseCode = ce.Code
			}
		}
		return refused
	}
	return fmt.Errorf("expected welcome or error, got %s", m.Raw)
}

// Send JSON-encodes v and sends it.
func (c *Client) Send(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.WriteRaw(websocket.TextMessage, data)
}

// WriteRaw sends one frame as it is (websocket.TextMessage or
// websocket.BinaryMessage), for tests of malformed frames.
func (c *Client) WriteRaw(messageType int, data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(c.opts.Timeout))
	return c.conn.WriteMessage(messageType, data)
}

// Receive returns the next message, waiting at most Options.Timeout. It
// answers pings with pongs and skips them, unless Options.NoPong. When the
// relay closes the connection the error is a *websocket.CloseError.
func (c *Client) Receive() (Message, error) {
	for {
		c.conn.SetReadDeadline(time.Now().Add(c.opts.Timeout))
		mt, raw, err := c.conn.ReadMessage()
		if err != nil {
			return Message{}, err
		}
		if mt != websocket.TextMessage {
			return Message{}, fmt.Errorf("the relay sent a binary frame: %x", raw)
		}
		var m struct {
			T string `json:"t"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return Message{}, fmt.Errorf("the relay sent a frame that is not a JSON object: %s", raw)
		}
		if m.T == "ping" && !c.opts.NoPong {
			if err := c.Send(map[string]string{"t": "pong"}); err != nil {
				return Message{}, err
			}
			continue
		}
		return Message{T: m.T, Raw: raw}, nil
	}
}

// Conn returns the underlying WebSocket.
func (c *Client) Conn() *websocket.Conn { return c.conn }

// Close closes the connection normally: it sends a close frame, waits up
// to a second for the relay's answer, and ends the connection. It must not
// run while another goroutine is in Receive.
func (c *Client) Close() error {
	c.wmu.Lock()
	err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	if err == nil {
		c.conn.SetReadDeadline(time.Now().Add(time.Second))
		for {
			if _, _, err := c.conn.NextReader(); err != nil {
				break
			}
		}
	}
	return c.conn.Close()
}
