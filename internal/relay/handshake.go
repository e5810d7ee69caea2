package relay

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/relay/internal/wire"
)

// maxBrowser bounds the browser description a Peer keeps, in runes.
const maxBrowser = 200

// shake runs the handshake of docs/extension-protocol.md on a new
// connection and returns the authenticated peer. On failure it has told
// the extension why and closed the WebSocket (the caller closes the
// connection); the error says what happened, for the log.
func (s *Server) shake(c *websocket.Conn, remote string) (*Peer, error) {
	deadline := time.Now().Add(s.opts.HandshakeTimeout)
	c.SetReadLimit(maxHandshakeFrame)
	c.SetReadDeadline(deadline)
	c.SetWriteDeadline(deadline)
	s.mu.Lock()
	nonce, now := s.nonce, s.now
	s.mu.Unlock()
	sn, err := nonce()
	if err != nil {
		return nil, err
	}
	if err := c.WriteJSON(wire.Challenge{T: "challenge", V: wire.Version, Nonce: sn}); err != nil {
		return nil, fmt.Errorf("send the challenge: %w", err)
	}
	mt, raw, err := c.ReadMessage()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(wire.CloseMalformed, "handshake timeout"), time.Now().Add(closeWait))
			return nil, fmt.Errorf("no pair or hello within %s: closed", s.opts.HandshakeTimeout)
		}
		return nil, fmt.Errorf("read pair or hello: %w", err)
	}
	fail := func(code, msg string) (*Peer, error) {
		status := wire.CloseAuth
		if code == wire.CodeMalformed || code == wire.CodeVersion {
			status = wire.CloseMalformed
		}
		refuse(c, code, msg, status)
		return nil, fmt.Errorf("%s: %s", code, msg)
	}
	t, err := frameType(mt, raw)
	if err != nil {
		return fail(wire.CodeMalformed, "the handshake's first message is "+err.Error())
	}
	if t != "pair" && t != "hello" {
		return fail(wire.CodeMalformed, fmt.Sprintf("the first message must be pair or hello, not %q: update the extension", sanitise(t, 40)))
	}
	var a wire.Auth
	if err := json.Unmarshal(raw, &a); err != nil {
		return fail(wire.CodeMalformed, fmt.Sprintf("%s is malformed (%v): update the extension", t, err))
	}
	switch {
	case a.V != wire.Version:
		return fail(wire.CodeVersion, fmt.Sprintf("this gradiorec speaks protocol v%d and the extension v%d: update the older of the two", wire.Version, a.V))
	case !wire.ValidInstall(a.Install):
		return fail(wire.CodeMalformed, "the install id must be 16 to 64 of A-Z, a-z, 0-9, _ and -: reinstall the extension")
	case !wire.ValidNonce(a.Nonce):
		return fail(wire.CodeMalformed, "the nonce must be 32 bytes in unpadded base64url: update the extension")
	case !wire.ValidProof(a.Proof):
		return fail(wire.CodeMalformed, "the proof must be 64 lowercase hex digits: update the extension")
	}
	browser := sanitise(a.Browser, maxBrowser)
	var secret []byte
	if t == "hello" {
		var ok bool
		if secret, ok = s.opts.Store.Secret(a.Install); !ok {
			return fail(wire.CodeUnpaired, "this browser is not paired with this gradiorec (or its pairing was revoked): pair it again with the code gradiorec shows")
		}
		if !wire.Equal(wire.ClientProof(secret, sn, a.Nonce), a.Proof) {
			return fail(wire.CodeBadProof, "this browser's secret does not match this gradiorec's: pair it again with the code gradiorec shows")
		}
	} else {
		code, errCode, msg := s.takeCode(func(code string) bool {
			return wire.Equal(wire.PairProof(code, sn, a.Nonce, a.Install), a.Proof)
		})
		if errCode != "" {
			return fail(errCode, msg)
		}
		secret = wire.Secret(code, sn, a.Nonce, a.Install)
		err := s.opts.Store.Put(Pairing{Install: a.Install, Browser: browser, Secret: secret, Paired: now().UTC()})
		if err != nil {
			s.opts.Logf("relay: could not save the pairing of %s: %v", a.Install, err)
			return fail(wire.CodeUnpaired, "gradiorec could not save the pairing (its log says why): fix that, then ask gradiorec for a new code")
		}
		s.opts.Logf("relay: paired browser %q (install %s)", browser, a.Install)
	}
	welcome := wire.Welcome{T: "welcome", V: wire.Version, Server: "gradiorec " + s.opts.Version, Proof: wire.ServerProof(secret, sn, a.Nonce)}
	if err := c.WriteJSON(welcome); err != nil {
		return nil, fmt.Errorf("send the welcome: %w", err)
	}
	return newPeer(s, c, a.Install, browser), nil
}

// refuse tells the extension why the handshake failed, closes the
// WebSocket with status, and waits a little for the extension's answer so
// that the error reaches it before the connection ends.
func refuse(c *websocket.Conn, code, msg string, status int) {
	deadline := time.Now().Add(closeWait)
	c.SetWriteDeadline(deadline)
	if c.WriteJSON(wire.Error{T: "error", Code: code, Message: msg}) != nil {
		return
	}
	if c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(status, code), deadline) != nil {
		return
	}
	c.SetReadDeadline(deadline)
	for {
		if _, _, err := c.NextReader(); err != nil {
			return
		}
	}
}
