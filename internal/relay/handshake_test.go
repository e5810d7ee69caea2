package relay_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

// vectors is testdata/handshake.json.
type vectors struct {
	ServerNonce string `json:"server_nonce"`
	ClientNonce string `json:"client_nonce"`
	CodeShown   string `json:"code_shown"`
	Code        string `json:"code"`
	Install     string `json:"install"`
	PairProof   string `json:"pair_proof"`
	SecretHex   string `json:"secret_hex"`
	ClientProof string `json:"client_proof"`
	ServerProof string `json:"server_proof"`
}

// The relay's handshake on the wire reproduces testdata/handshake.json.
func TestHandshakeVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/handshake.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	store := relay.MemoryStore()
	f := start(t, relay.Options{Store: store})
	relay.SetNonce(f.srv, v.ServerNonce)
	relay.SetCode(f.srv, v.Code)

	send := func(first map[string]any) map[string]any {
		t.Helper()
		c, err := relaytest.Open(context.Background(), f.srv.URL(), relaytest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if c.Nonce != v.ServerNonce {
			t.Fatalf("challenge nonce %s, want %s", c.Nonce, v.ServerNonce)
		}
		if err := c.Send(first); err != nil {
			t.Fatal(err)
		}
		m, err := c.Receive()
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		m.Decode(&got)
		return got
	}
	welcome := send(map[string]any{"t": "pair", "v": 1, "install": v.Install, "browser": "Chromium 156", "nonce": v.ClientNonce, "proof": v.PairProof})
	if welcome["t"] != "welcome" || welcome["proof"] != v.ServerProof || welcome["server"] != "gradiorec devel" || welcome["v"] != 1.0 {
		t.Fatalf("answer to the vectors' pair: %v, want a welcome with proof %s", welcome, v.ServerProof)
	}
	secret, ok := store.Secret(v.Install)
	if !ok || hex.EncodeToString(secret) != v.SecretHex {
		t.Fatalf("stored secret %x, want %s", secret, v.SecretHex)
	}
	welcome = send(map[string]any{"t": "hello", "v": 1, "install": v.Install, "browser": "Chromium 156", "nonce": v.ClientNonce, "proof": v.ClientProof})
	if welcome["t"] != "welcome" || welcome["proof"] != v.ServerProof {
		t.Fatalf("answer to the vectors' hello: %v, want a welcome with proof %s", welcome, v.ServerProof)
	}
	// The code as shown pairs too: relaytest normalises it.
	relay.SetCode(f.srv, v.Code)
	relaytest.Dial(t, f.srv.URL(), relaytest.Options{Code: v.CodeShown})
}

// A paired extension says hello later; its messages reach the handler in
// order, and replies have the protocol's shape.
func TestPairThenHello(t *testing.T) {
	f := start(t, relay.Options{Version: "1.2.3"})
	code, expires := f.srv.NewCode()
	if len(code) != 31 || strings.Count(code, "-") != 5 || strings.Trim(code, "0123456789ABCDEFGHJKMNPQRSTVWXYZ-") != "" {
		t.Errorf("NewCode() = %q, want 26 Crockford base32 characters in groups of five", code)
	}
	if d := time.Until(expires); d < 4*time.Minute || d > 5*time.Minute {
		t.Errorf("the code expires in %s, want 5 minutes", d)
	}
	if other, _ := f.srv.NewCode(); other == code {
		t.Error("NewCode returned the same code twice")
	}
	code, _ = f.srv.NewCode()
	browser := "Chromium\x00 156\u202e\x1b[31m on Linux " + strings.Repeat("é", 300)
	c := relaytest.Dial(t, f.srv.URL(), relaytest.Options{Code: strings.ToLower(code), Browser: browser, Install: "install-0123456789abcdef"})
	if c.Server != "gradiorec 1.2.3" {
		t.Errorf("welcome server %q", c.Server)
	}
	peers := f.srv.Peers()
	if len(peers) != 1 || peers[0].Install() != "install-0123456789abcdef" {
		t.Fatalf("Peers() = %v", peers)
	}
	b := peers[0].Browser()
	if !strings.HasPrefix(b, "Chromium 156[31m on Linux éé") || len([]rune(b)) > 200 || strings.ContainsAny(b, "\x00\x1b\u202e") {
		t.Errorf("Browser() = %q, want it printable and at most 200 runes", b)
	}
	list, err := relay.MemoryStore().List()
	if err != nil || len(list) != 0 {
		t.Errorf("a new MemoryStore lists %v, %v", list, err)
	}
	c.Close()
	if got := f.h.nextClosed(t); got.err != nil || got.peer != peers[0] {
		t.Errorf("Closed(%v, %v), want the peer and nil", got.peer, got.err)
	}

	// Hello with the derived secret.
	d := relaytest.Dial(t, f.srv.URL(), relaytest.Options{Install: c.Install, Secret: c.Secret})
	for i := range 50 {
		d.Send(map[string]any{"t": "dataReceived", "rec": "r", "id": ":1", "ts": 1, "data": "", "n": i})
	}
	for i := range 50 {
		m := f.h.next(t)
		var got struct{ N int }
		json.Unmarshal(m.raw, &got)
		if m.t != "dataReceived" || got.N != i || m.peer.Install() != c.Install {
			t.Fatalf("message %d: %s %s", i, m.t, m.raw)
		}
	}
	d.Send(map[string]any{"t": "status", "req": 7})
	d.Send(map[string]any{"t": "status", "req": -1})
	for _, want := range []string{`{"t":"reply","req":7,"ok":true,"result":{"server":"test"}}`, `{"t":"reply","req":-1,"ok":false,"error":"negative request"}`} {
		m, err := d.Receive()
		if err != nil || string(m.Raw) != want {
			t.Errorf("reply %s, %v; want %s", m.Raw, err, want)
		}
	}
	// Send is safe for concurrent use.
	p := f.srv.Peers()[0]
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() { p.Send(map[string]any{"t": "call", "i": i}) })
	}
	wg.Wait()
	for range 20 {
		if m, err := d.Receive(); err != nil || m.T != "call" {
			t.Fatalf("after concurrent sends: %s, %v", m.Raw, err)
		}
	}
	p.Close()
	if _, err := d.Receive(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
		t.Errorf("after Peer.Close the extension read %v, want a normal close", err)
	}
	for {
		got := f.h.nextClosed(t)
		if got.peer == p {
			if got.err != nil {
				t.Errorf("Closed after Peer.Close: %v, want nil", got.err)
			}
			break
		}
	}
	if err := p.Send(map[string]any{"t": "call"}); err == nil {
		t.Error("Send on a closed peer succeeded")
	}
}

// Rule 5: unpaired, bad proofs, bad codes and malformed first messages
// are refused, and nothing reaches the handler before the welcome.
func TestHandshakeRefusals(t *testing.T) {
	f := start(t, relay.Options{})
	url := f.srv.URL()
	ctx := context.Background()

	_, err := relaytest.Handshake(ctx, url, relaytest.Options{Code: "7KQ2M-4XVZP-0HJWR-9C3AB-TN6YE-D"})
	re := refused(t, err, "unpaired", 4401)
	if !strings.Contains(re.Message, "ask gradiorec") {
		t.Errorf("no code open: %q does not say what to do", re.Message)
	}
	_, err = relaytest.Handshake(ctx, url, relaytest.Options{Secret: make([]byte, 32)})
	refused(t, err, "unpaired", 4401)

	paired := f.pair(t, relaytest.Options{})
	paired.Close()
	f.h.nextClosed(t)
	wrong := append([]byte{}, paired.Secret...)
	wrong[0] ^= 1
	_, err = relaytest.Handshake(ctx, url, relaytest.Options{Install: paired.Install, Secret: wrong})
	refused(t, err, "bad-proof", 4401)

	code, _ := f.srv.NewCode()
	_, err = relaytest.Handshake(ctx, url, relaytest.Options{Code: "0000000000000000000000000A"})
	refused(t, err, "bad-code", 4401)
	used := relaytest.Dial(t, url, relaytest.Options{Code: code})
	_, err = relaytest.Handshake(ctx, url, relaytest.Options{Code: code})
	refused(t, err, "bad-code", 4401)
	used.Close()
	f.h.nextClosed(t)

	// Malformed first messages.
	firsts := []struct {
		frame  string
		code   string
		binary bool
	}{
		{`{"t":"start","rec":"r","tab":{"url":"http://x"}}`, "malformed", false},
		{`{"t":"status","req":1}`, "malformed", false},
		{`not json`, "malformed", false},
		{`[{"t":"hello"}]`, "malformed", false},
		{`{"v":1}`, "malformed", false},
		{`{"t":"hello","v":1,"install":"short","browser":"b","nonce":"","proof":""}`, "malformed", false},
		{`{"t":"hello","v":"1"}`, "malformed", false},
		{`{"t":"hello","v":2,"install":"install-0123456789abcdef"}`, "version", false},
		{`{"t":"hello","v":1,"install":"install-0123456789abcdef","browser":"b","nonce":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8","proof":"00"}`, "malformed", false},
		{`{"t":"hello"}`, "malformed", true},
		{`{"t":"hello","browser":"` + strings.Repeat("x", 9000) + `"}`, "", false},
	}
	for _, c := range firsts {
		cl, err := relaytest.Open(ctx, url, relaytest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		mt := websocket.TextMessage
		if c.binary {
			mt = websocket.BinaryMessage
		}
		cl.WriteRaw(mt, []byte(c.frame))
		m, err := cl.Receive()
		if c.code == "" { // too large for a handshake: closed as such
			if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
				t.Errorf("a 9 KB hello: %s %v, want close 1009", m.Raw, err)
			}
			continue
		}
		var e struct{ T, Code, Message string }
		m.Decode(&e)
		if err != nil || e.T != "error" || e.Code != c.code || e.Message == "" {
			t.Errorf("first frame %.60s: %s, %v; want error %s", c.frame, m.Raw, err, c.code)
			continue
		}
		if _, err := cl.Receive(); !websocket.IsCloseError(err, 4400) {
			t.Errorf("first frame %.60s: then %v, want close 4400", c.frame, err)
		}
	}
	f.h.none(t)
	select {
	case c := <-f.h.closed:
		t.Errorf("Closed was called for %v", c.peer)
	default:
	}
	if ps := f.srv.Peers(); len(ps) != 0 {
		t.Errorf("Peers() = %v after refusals", ps)
	}
}

// After 5 wrong codes the code is void, and the log and the error say to
// ask for a new one.
func TestWrongCodesVoid(t *testing.T) {
	f := start(t, relay.Options{})
	code, _ := f.srv.NewCode()
	var last *relaytest.Error
	for range 5 {
		_, err := relaytest.Handshake(context.Background(), f.srv.URL(), relaytest.Options{Code: "ZZZZZZZZZZZZZZZZZZZZZZZZZZ"})
		last = refused(t, err, "bad-code", 4401)
	}
	if !strings.Contains(last.Message, "ask gradiorec for a new code") {
		t.Errorf("the 5th wrong code: %q", last.Message)
	}
	f.log.WaitFor(t, "5 wrong pairing codes", "ask gradiorec for a new code")
	_, err := relaytest.Handshake(context.Background(), f.srv.URL(), relaytest.Options{Code: code})
	refused(t, err, "bad-code", 4401)
	code, _ = f.srv.NewCode()
	relaytest.Dial(t, f.srv.URL(), relaytest.Options{Code: code})
}

// A code expires after 5 minutes.
func TestCodeExpires(t *testing.T) {
	f := start(t, relay.Options{})
	var mu sync.Mutex
	now := time.Now()
	relay.SetClock(f.srv, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	code, expires := f.srv.NewCode()
	mu.Lock()
	now = expires
	mu.Unlock()
	_, err := relaytest.Handshake(context.Background(), f.srv.URL(), relaytest.Options{Code: code})
	re := refused(t, err, "bad-code", 4401)
	if !strings.Contains(re.Message, "expired") {
		t.Errorf("expired code: %q", re.Message)
	}
	mu.Lock()
	now = now.Add(-time.Second)
	mu.Unlock()
	_, err = relaytest.Handshake(context.Background(), f.srv.URL(), relaytest.Options{Code: code})
	refused(t, err, "bad-code", 4401) // an expired code stays void
}
