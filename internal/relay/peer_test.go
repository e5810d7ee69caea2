package relay_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

// Rule 6: a frame that is too large, binary, not a JSON object or without
// "t" closes that connection (logged), not the server; an unknown type is
// answered with an error and the connection goes on.
func TestFrames(t *testing.T) {
	f := start(t, relay.Options{MaxFrame: 1024})
	c := f.pair(t, relaytest.Options{})
	c.Send(map[string]any{"t": "frobnicate", "rec": "r"})
	m, err := c.Receive()
	var e struct{ T, Code, Message string }
	m.Decode(&e)
	if err != nil || e.T != "error" || e.Code != "unknown" || !strings.Contains(e.Message, `"frobnicate"`) {
		t.Fatalf("answer to an unknown type: %s, %v", m.Raw, err)
	}
	c.Send(map[string]any{"t": "stop", "rec": "r", "reason": "user"})
	if got := f.h.next(t); got.t != "stop" {
		t.Fatalf("after an unknown type the handler got %s", got.t)
	}
	c.Send(map[string]any{"t": "pong"})
	c.Send(map[string]any{"t": "start", "rec": "r", "pad": strings.Repeat("x", 900)}) // under MaxFrame
	if got := f.h.next(t); got.t != "start" {
		t.Fatalf("the handler got %s, want start (pong is the relay's)", got.t)
	}
	c.Close()
	f.h.nextClosed(t)

	bad := []struct {
		name   string
		binary bool
		frame  string
		log    string
		status int
	}{
		{"too large", false, `{"t":"dataReceived","data":"` + strings.Repeat("A", 2000) + `"}`, "larger than 1024 bytes", websocket.CloseMessageTooBig},
		{"binary", true, `{"t":"stop"}`, "binary frame", 4400},
		{"array", false, `[{"t":"stop"}]`, "not a JSON object", 4400},
		{"string", false, `"stop"`, "not a JSON object", 4400},
		{"null", false, `null`, "not a JSON object", 4400},
		{"broken", false, `{"t":"stop"`, "not a JSON object", 4400},
		{"trailing", false, `{"t":"stop"} {}`, "not a JSON object", 4400},
		{"no t", false, `{"rec":"r"}`, `without a "t"`, 4400},
		{"empty t", false, `{"t":""}`, `without a "t"`, 4400},
		{"number t", false, `{"t":7}`, "string \"t\"", 4400},
		{"not UTF-8", false, "{\"t\":\"stop\",\"x\":\"\xff\"}", "not UTF-8", 4400},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			c := f.pair(t, relaytest.Options{})
			mt := websocket.TextMessage
			if b.binary {
				mt = websocket.BinaryMessage
			}
			if err := c.WriteRaw(mt, []byte(b.frame)); err != nil {
				t.Fatal(err)
			}
			var err error
			for err == nil {
				var m relaytest.Message
				if m, err = c.Receive(); err == nil && m.T != "error" {
					t.Errorf("got %s before the close", m.Raw)
				}
			}
			if !websocket.IsCloseError(err, b.status) {
				t.Errorf("the connection ended with %v, want close status %d", err, b.status)
			}
			got := f.h.nextClosed(t)
			if got.err == nil || !strings.Contains(got.err.Error(), b.log) {
				t.Errorf("Closed(%v), want an error about %q", got.err, b.log)
			}
			f.log.WaitFor(t, c.Install, b.log)
			f.h.none(t)
		})
	}
	// The server still works.
	d := f.pair(t, relaytest.Options{})
	d.Send(map[string]any{"t": "status", "req": 1})
	if m, err := d.Receive(); err != nil || m.T != "reply" {
		t.Fatalf("after the bad frames: %s, %v", m.Raw, err)
	}
}

// Rule 9: the relay pings every Ping and closes a peer that answers
// nothing for 2 pings; one that answers stays.
func TestPing(t *testing.T) {
	const ping = 100 * time.Millisecond
	f := start(t, relay.Options{Ping: ping})

	alive := f.pair(t, relaytest.Options{}) // Receive answers pings
	aliveEnded := make(chan error, 1)
	go func() {
		m, err := alive.Receive()
		if err == nil {
			t.Errorf("the answering peer got %s", m.Raw)
		}
		aliveEnded <- err
	}()

	c := f.pair(t, relaytest.Options{NoPong: true})
	for range 3 {
		m, err := c.Receive()
		if err != nil || string(m.Raw) != `{"t":"ping"}` {
			t.Fatalf("got %s, %v; want a ping", m.Raw, err)
		}
		c.Send(map[string]string{"t": "pong"})
	}
	// Now c goes silent.
	began := time.Now()
	pings := 0
	var err error
	for err == nil {
		var m relaytest.Message
		if m, err = c.Receive(); err == nil {
			if m.T != "ping" {
				t.Fatalf("got %s, want pings", m.Raw)
			}
			pings++
		}
	}
	if pings != 2 {
		t.Errorf("the silent peer got %d pings before it was closed, want 2", pings)
	}
	if d := time.Since(began); d < 2*ping {
		t.Errorf("the silent peer was closed after %s, before 2 pings", d)
	}
	got := f.h.nextClosed(t)
	if got.peer.Install() != c.Install || got.err == nil || !strings.Contains(got.err.Error(), "answered none of 2 pings") {
		t.Errorf("Closed(%s, %v), want the silent peer %s and an error about pings", got.peer.Install(), got.err, c.Install)
	}
	f.log.WaitFor(t, c.Install, "answered none of 2 pings")
	f.h.none(t)

	select {
	case err := <-aliveEnded:
		t.Errorf("the answering peer was closed too: %v", err)
	default:
	}
	if ps := f.srv.Peers(); len(ps) != 1 || ps[0].Install() != alive.Install {
		t.Errorf("Peers() = %v, want the answering peer only", ps)
	}
	f.srv.Close()
	<-aliveEnded
}

// Revoke closes the install's connections, and it cannot say hello again.
func TestRevoke(t *testing.T) {
	store := relay.MemoryStore()
	f := start(t, relay.Options{Store: store})
	c := f.running(t, relaytest.Options{})
	other := f.running(t, relaytest.Options{})
	if list, _ := store.List(); len(list) != 2 || list[0].Install != c.Install || list[0].Secret != nil || list[0].Paired.IsZero() {
		t.Fatalf("List() = %+v", list)
	}
	if err := store.Revoke(c.Install); err != nil {
		t.Fatal(err)
	}
	m, err := c.Receive()
	var e struct{ T, Code, Message string }
	m.Decode(&e)
	if err != nil || e.Code != "unpaired" || !strings.Contains(e.Message, "pair it again") {
		t.Errorf("after Revoke: %s, %v", m.Raw, err)
	}
	if _, err := c.Receive(); !websocket.IsCloseError(err, 4401) {
		t.Errorf("after Revoke: %v, want close 4401", err)
	}
	if got := f.h.nextClosed(t); got.peer.Install() != c.Install || got.err == nil {
		t.Errorf("Closed(%s, %v)", got.peer.Install(), got.err)
	}
	_, err = relaytest.Handshake(t.Context(), f.srv.URL(), relaytest.Options{Install: c.Install, Secret: c.Secret})
	refused(t, err, "unpaired", 4401)
	other.Send(map[string]any{"t": "stop", "rec": "r"})
	if got := f.h.next(t); got.peer.Install() != other.Install {
		t.Errorf("the other install: %s", got.peer.Install())
	}
}

// A pairing revoked behind the server's back (another process, another
// Store value) closes the connection at the next ping.
func TestRevokeElsewhere(t *testing.T) {
	path := t.TempDir() + "/paired.json"
	store, err := relay.FileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	f := start(t, relay.Options{Store: store, Ping: 20 * time.Millisecond})
	c := f.pair(t, relaytest.Options{})
	elsewhere, err := relay.FileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := elsewhere.Revoke(c.Install); err != nil {
		t.Fatal(err)
	}
	for {
		m, err := c.Receive()
		if err != nil {
			if !websocket.IsCloseError(err, 4401) {
				t.Errorf("after Revoke elsewhere: %v, want close 4401", err)
			}
			break
		}
		if m.T == "error" && !strings.Contains(string(m.Raw), "revoked") {
			t.Errorf("after Revoke elsewhere: %s", m.Raw)
		}
	}
}

// Server.Close closes every connection and returns after Handler.Closed
// ran for each.
func TestServerClose(t *testing.T) {
	f := start(t, relay.Options{})
	var clients []*relaytest.Client
	for range 3 {
		clients = append(clients, f.running(t, relaytest.Options{}))
	}
	pending, err := relaytest.Open(t.Context(), f.srv.URL(), relaytest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- f.srv.Close() }()
	for _, c := range clients {
		if _, err := c.Receive(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Errorf("at Close the extension read %v, want going away", err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(f.h.closed) != 3 {
		t.Errorf("Close returned after %d Closed calls, want 3", len(f.h.closed))
	}
	for range 3 {
		if got := f.h.nextClosed(t); got.err != nil {
			t.Errorf("Closed(%v) at Server.Close, want nil", got.err)
		}
	}
	if _, err := pending.Receive(); err == nil {
		t.Error("a connection in the handshake survived Close")
	}
	if _, err := relaytest.Open(t.Context(), f.srv.URL(), relaytest.Options{}); err == nil {
		t.Error("connected after Close")
	}
	if err := f.srv.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}
