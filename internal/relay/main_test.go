package relay_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := closeBrowser(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// wait bounds every wait of these tests for an event.
const wait = 10 * time.Second

// message is what the Handler received.
type message struct {
	peer *relay.Peer
	t    string
	raw  []byte
}

// closed is a call of Handler.Closed.
type closed struct {
	peer *relay.Peer
	err  error
}

// handler records what the relay hands it and answers "status" requests.
type handler struct {
	messages chan message
	closed   chan closed
}

func newHandler() *handler {
	return &handler{messages: make(chan message, 1000), closed: make(chan closed, 1000)}
}

func (h *handler) Message(p *relay.Peer, t string, raw []byte) {
	if t == "status" {
		var req struct {
			Req int64 `json:"req"`
		}
		json.Unmarshal(raw, &req)
		if req.Req < 0 {
			p.Reply(req.Req, nil, errors.New("negative request"))
		} else {
			p.Reply(req.Req, map[string]any{"server": "test"}, nil)
		}
	}
	h.messages <- message{p, t, raw}
}

func (h *handler) Closed(p *relay.Peer, err error) { h.closed <- closed{p, err} }

// next returns the next message the handler received.
func (h *handler) next(t *testing.T) message {
	t.Helper()
	select {
	case m := <-h.messages:
		return m
	case <-time.After(wait):
		t.Fatal("the handler received no message")
	}
	return message{}
}

// nextClosed returns the next call of Closed.
func (h *handler) nextClosed(t *testing.T) closed {
	t.Helper()
	select {
	case c := <-h.closed:
		return c
	case <-time.After(wait):
		t.Fatal("Handler.Closed was not called")
	}
	return closed{}
}

// none fails when the handler received a message.
func (h *handler) none(t *testing.T) {
	t.Helper()
	select {
	case m := <-h.messages:
		t.Errorf("the handler received %s: %s", m.t, m.raw)
	default:
	}
}

// fixture is a running relay with its handler and log.
type fixture struct {
	srv *relay.Server
	h   *handler
	log *relaytest.Log
}

// start starts a relay; opts' Handler and Logf are the fixture's.
func start(t *testing.T, opts relay.Options) *fixture {
	t.Helper()
	f := &fixture{h: newHandler(), log: &relaytest.Log{Wait: wait}}
	opts.Handler, opts.Logf = f.h, f.log.Logf
	srv, err := relay.Listen(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	t.Cleanup(func() { srv.Close() })
	return f
}

// pair pairs a new fake extension.
func (f *fixture) pair(t *testing.T, opts relaytest.Options) *relaytest.Client {
	t.Helper()
	opts.Code, _ = f.srv.NewCode()
	return relaytest.Dial(t, f.srv.URL(), opts)
}

// running pairs a new fake extension and returns it once the relay runs
// it: a handled message means so, as the welcome comes before the relay
// lists the peer.
func (f *fixture) running(t *testing.T, opts relaytest.Options) *relaytest.Client {
	t.Helper()
	c := f.pair(t, opts)
	if err := c.Send(map[string]any{"t": "status", "req": 1}); err != nil {
		t.Fatal(err)
	}
	f.h.next(t)
	c.Expect(t, "reply")
	return c
}

// refused asserts that err is a refused handshake with code and status.
func refused(t *testing.T, err error, code string, status int) *relaytest.Error {
	t.Helper()
	var re *relaytest.Error
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a refusal %s", err, code)
	}
	if re.Code != code || re.CloseCode != status {
		t.Fatalf("got %v, want %s with close status %d", re, code, status)
	}
	return re
}
