package relay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/relay/internal/wire"
)

// known are the message types an extension sends after the handshake
// that go to the Handler (docs/extension-protocol.md); "pong" the relay
// takes itself. Others are answered with an "unknown" error.
var known = map[string]bool{
	"start": true, "page": true, "requestSent": true, "responseReceived": true,
	"dataReceived": true, "loadingFinished": true, "loadingFailed": true, "stop": true,
	"status": true, "code": true, "export": true, "replay": true,
}

// errClosed is what Send returns once the connection is closing.
var errClosed = errors.New("the extension's connection is closed (it reconnects by itself, or pair it again)")

// Peer is one authenticated extension connection. Its methods are safe for
// concurrent use.
type Peer struct {
	s       *Server
	conn    *websocket.Conn
	install string
	browser string
	missed  atomic.Int32 // pings sent since the extension last sent anything
	done    chan struct{}

	wmu sync.Mutex // serialises writes

	mu      sync.Mutex
	closing bool  // a close frame was sent or the connection closed
	reason  error // why, for Handler.Closed
	timer   *time.Timer
}

func newPeer(s *Server, c *websocket.Conn, install, browser string) *Peer {
	return &Peer{s: s, conn: c, install: install, browser: browser, done: make(chan struct{})}
}

// Install returns the extension install's id.
func (p *Peer) Install() string { return p.install }

// Browser returns the browser the extension described: printable
// characters only, at most 200 of them.
func (p *Peer) Browser() string { return p.browser }

// desc names the peer in log lines.
func (p *Peer) desc() string { return fmt.Sprintf("browser %q (install %s)", p.browser, p.install) }

// Send JSON-encodes v and sends it as one message, within 10 s; a failed
// write closes the connection. A value that cannot be encoded is an error
// that leaves the connection open.
func (p *Peer) Send(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("send to the extension: %w", err)
	}
	p.wmu.Lock()
	defer p.wmu.Unlock()
	if p.isClosing() {
		return errClosed
	}
	p.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := p.conn.WriteMessage(websocket.TextMessage, data); err != nil {
		err = fmt.Errorf("send to the extension: %w", err)
		p.abort(err)
		return err
	}
	return nil
}

// Reply answers the request numbered req: with result when err is nil,
// else with err's message.
func (p *Peer) Reply(req int64, result any, err error) error {
	if err != nil {
		return p.Send(struct {
			T     string `json:"t"`
			Req   int64  `json:"req"`
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}{"reply", req, false, err.Error()})
	}
	return p.Send(struct {
		T      string `json:"t"`
		Req    int64  `json:"req"`
		OK     bool   `json:"ok"`
		Result any    `json:"result"`
	}{"reply", req, true, result})
}

// Close closes the connection normally; Handler.Closed gets a nil error.
func (p *Peer) Close() {
	p.closeWith(websocket.CloseNormalClosure, "closed by gradiorec", nil)
}

func (p *Peer) isClosing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closing
}

// begin marks the connection as closing for reason and reports whether it
// was open.
func (p *Peer) begin(reason error) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return false
	}
	p.closing, p.reason = true, reason
	return true
}

// closeWith sends a close frame and ends the connection when the
// extension answers it, or after closeWait.
func (p *Peer) closeWith(status int, text string, reason error) {
	if !p.begin(reason) {
		return
	}
	p.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(status, text), time.Now().Add(closeWait))
	t := time.AfterFunc(closeWait, func() { p.conn.NetConn().Close() })
	p.mu.Lock()
	p.timer = t
	p.mu.Unlock()
}

// abort ends the connection at once.
func (p *Peer) abort(reason error) {
	p.begin(reason)
	p.conn.NetConn().Close()
}

// refuse sends an error message and closes the connection with status.
func (p *Peer) refuse(code, msg string, status int, reason error) {
	p.Send(wire.Error{T: "error", Code: code, Message: msg})
	p.closeWith(status, code, reason)
}

// revoke closes the connection of a revoked install.
func (p *Peer) revoke() {
	p.s.opts.Logf("relay: the pairing of %s was revoked: closing its connection", p.desc())
	p.refuse(wire.CodeUnpaired, "this browser's pairing with gradiorec was revoked: pair it again with a new code",
		wire.CloseAuth, errors.New("its pairing was revoked"))
}

// run reads the peer's messages until the connection ends, then calls
// Handler.Closed.
func (p *Peer) run() {
	c := p.conn
	c.SetReadLimit(p.s.opts.MaxFrame)
	c.SetReadDeadline(time.Time{})
	go p.pinger()
	var err error
	for {
		var mt int
		var raw []byte
		if mt, raw, err = c.ReadMessage(); err != nil {
			break
		}
		p.missed.Store(0)
		if p.isClosing() {
			continue // drain until the extension answers the close frame
		}
		t, ferr := frameType(mt, raw)
		switch {
		case ferr != nil:
			p.s.opts.Logf("relay: closing the connection of %s: it sent %v", p.desc(), ferr)
			p.refuse(wire.CodeMalformed, "gradiorec received "+ferr.Error()+": update the extension", wire.CloseMalformed,
				fmt.Errorf("the extension sent %w", ferr))
		case t == "pong":
		case known[t]:
			p.s.opts.Handler.Message(p, t, raw)
		default:
			p.Send(wire.Error{T: "error", Code: wire.CodeUnknown,
				Message: fmt.Sprintf("gradiorec does not know the message type %q and ignored it: update gradiorec", sanitise(t, 40))})
		}
	}
	close(p.done)
	c.NetConn().Close()
	p.mu.Lock()
	if p.timer != nil {
		p.timer.Stop()
	}
	reason, set := p.reason, p.closing
	p.closing = true
	p.mu.Unlock()
	if !set {
		reason = p.readError(err)
	}
	p.s.remove(p)
	if reason != nil {
		p.s.opts.Logf("relay: the connection of %s ended: %v", p.desc(), reason)
	} else {
		p.s.opts.Logf("relay: the connection of %s ended", p.desc())
	}
	p.s.opts.Handler.Closed(p, reason)
}

// readError says why reading from an open connection failed: nil for the
// extension's normal close.
func (p *Peer) readError(err error) error {
	switch {
	case websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway):
		return nil
	case errors.Is(err, websocket.ErrReadLimit):
		return fmt.Errorf("the extension sent a message larger than %d bytes", p.s.opts.MaxFrame)
	}
	return fmt.Errorf("the connection broke: %w", err)
}

// pinger pings the extension every Ping, closes the connection when it
// answered nothing for 2 pings, and when its install's pairing is gone.
func (p *Peer) pinger() {
	t := time.NewTicker(p.s.opts.Ping)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		if n := p.missed.Load(); n >= 2 {
			err := fmt.Errorf("it answered none of %d pings in %s", n, time.Duration(n)*p.s.opts.Ping)
			p.s.opts.Logf("relay: closing the connection of %s: %v", p.desc(), err)
			p.abort(err)
			return
		}
		if _, ok := p.s.opts.Store.Secret(p.install); !ok {
			p.revoke()
			return
		}
		p.missed.Add(1)
		if p.Send(struct {
			T string `json:"t"`
		}{"ping"}) != nil {
			return
		}
	}
}

// frameType checks that a frame is a text frame holding one JSON object
// with a string "t", and returns t; the error describes the frame.
func frameType(mt int, raw []byte) (string, error) {
	if mt != websocket.TextMessage {
		return "", errors.New("a binary frame (the protocol has JSON text frames only)")
	}
	if !utf8.Valid(raw) {
		return "", errors.New("a text frame that is not UTF-8")
	}
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return "", errors.New("a frame that is not a JSON object")
	}
	var m struct {
		T *string `json:"t"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", fmt.Errorf("a frame that is not a JSON object with a string \"t\" (%v)", err)
	}
	if m.T == nil || *m.T == "" {
		return "", errors.New(`a JSON object without a "t"`)
	}
	return *m.T, nil
}
