package relaytest_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

type nop struct{}

func (nop) Message(*relay.Peer, string, []byte) {}
func (nop) Closed(*relay.Peer, error)           {}

func TestDial(t *testing.T) {
	store := relay.MemoryStore()
	srv, err := relay.Listen(relay.Options{Store: store, Handler: nop{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	code, _ := srv.NewCode()
	c := relaytest.Dial(t, srv.URL(), relaytest.Options{Code: code})
	if secret, ok := store.Secret(c.Install); !ok || !bytes.Equal(secret, c.Secret) || len(c.Secret) != 32 {
		t.Errorf("the client derived %x, the relay stored %x", c.Secret, secret)
	}
	_, err = relaytest.Handshake(context.Background(), srv.URL(), relaytest.Options{Install: c.Install, Secret: []byte("wrong")})
	var re *relaytest.Error
	if !errors.As(err, &re) || re.Code != "bad-proof" || re.CloseCode != 4401 || re.Message == "" {
		t.Errorf("a wrong secret: %v", err)
	}
	_, err = relaytest.Open(context.Background(), srv.URL(), relaytest.Options{Origin: "null"})
	if !errors.As(err, &re) || re.Status != http.StatusForbidden || !strings.Contains(re.Body, "extension") {
		t.Errorf("a wrong Origin: %v", err)
	}
}

// A process squatting on the port cannot produce the welcome's proof.
func TestSquatter(t *testing.T) {
	squatter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.WriteJSON(map[string]any{"t": "challenge", "v": 1, "nonce": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"})
		c.ReadMessage()
		c.WriteJSON(map[string]any{"t": "welcome", "v": 1, "server": "gradiorec", "proof": strings.Repeat("0", 64)})
		c.ReadMessage()
	}))
	defer squatter.Close()
	url := "ws" + strings.TrimPrefix(squatter.URL, "http") + "/v1/ext"
	_, err := relaytest.Handshake(context.Background(), url, relaytest.Options{Secret: bytes.Repeat([]byte{1}, 32)})
	if err == nil || !strings.Contains(err.Error(), "proof is wrong") {
		t.Errorf("a squatter's welcome: %v", err)
	}
}
