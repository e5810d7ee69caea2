package relay_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
)

// Rule 1: the relay listens on a loopback IP literal only.
func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":0", "192.168.1.10:0", "10.0.0.1:0", "localhost:0", "example.com:0", "[fe80::1%lo]:0", "127.0.0.1"} {
		srv, err := relay.Listen(relay.Options{Addr: addr, Handler: newHandler()})
		if err == nil {
			srv.Close()
			t.Errorf("Listen(%q) succeeded", addr)
			continue
		}
		if !strings.Contains(err.Error(), "127.0.0.1:0") {
			t.Errorf("Listen(%q): %v; want an error that names 127.0.0.1:0", addr, err)
		}
	}
	if _, err := relay.Listen(relay.Options{}); err == nil || !strings.Contains(err.Error(), "Handler") {
		t.Errorf("Listen without a Handler: %v", err)
	}
	f := start(t, relay.Options{})
	if want := "ws://127.0.0.1:" + strconv.Itoa(f.srv.Port()) + "/v1/ext"; f.srv.URL() != want {
		t.Errorf("URL() = %s, want %s", f.srv.URL(), want)
	}
}

// httpDo sends a request to the relay with the extension's Origin unless
// the request has one, and returns the response with its body read.
func httpDo(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	if _, ok := req.Header["Origin"]; !ok {
		req.Header.Set("Origin", "chrome-extension://"+relay.ExtensionID)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body []byte
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ = io.ReadAll(resp.Body)
	}
	for name := range resp.Header {
		if strings.HasPrefix(strings.ToLower(name), "access-control-") {
			t.Errorf("%s %s: a CORS header %s", req.Method, req.URL, name)
		}
	}
	return resp, string(body)
}

// upgrade returns a WebSocket upgrade request for path.
func upgrade(t *testing.T, f *fixture, path string) *http.Request {
	req, err := http.NewRequest("GET", "http://127.0.0.1:"+strconv.Itoa(f.srv.Port())+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	return req
}

// Rule 2: only GET /v1/ext with a WebSocket upgrade, and no CORS headers.
func TestOnlyTheUpgrade(t *testing.T) {
	f := start(t, relay.Options{})
	base := "http://127.0.0.1:" + strconv.Itoa(f.srv.Port())
	cases := []struct {
		method, path string
		upgrade      bool
		status       int
	}{
		{"GET", "/", true, 404},
		{"GET", "/v1/ext/", true, 404},
		{"GET", "/v1/extra", true, 404},
		{"GET", "/v1/EXT", true, 404},
		{"GET", "/config", false, 404},
		{"POST", "/v1/ext", true, 405},
		{"OPTIONS", "/v1/ext", false, 405},
		{"PUT", "/v1/ext", false, 405},
		{"HEAD", "/v1/ext", false, 405},
		{"GET", "/v1/ext", false, 400},
		{"GET", "/v1/ext", true, 101},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, base+c.path, nil)
		if c.upgrade {
			req = upgrade(t, f, c.path)
			req.Method = c.method
		}
		if c.method == "OPTIONS" {
			req.Header.Set("Access-Control-Request-Method", "GET")
		}
		resp, body := httpDo(t, req)
		if resp.StatusCode != c.status {
			t.Errorf("%s %s (upgrade %v): %d %s, want %d", c.method, c.path, c.upgrade, resp.StatusCode, body, c.status)
		}
	}
	// A real extension is still welcome.
	f.pair(t, relaytest.Options{})
	f.h.none(t)
}

// Rule 3: the Host must be 127.0.0.1:PORT or localhost:PORT (DNS rebinding).
func TestHost(t *testing.T) {
	f := start(t, relay.Options{})
	port := strconv.Itoa(f.srv.Port())
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1", "127.0.0.1:1", "localhost", "localhost.evil.example:" + port, "[::1]:" + port, "0.0.0.0:" + port, "127.0.0.2:" + port, "127.0.0.1:" + port + ".evil"} {
		_, err := relaytest.Open(context.Background(), f.srv.URL(), relaytest.Options{Host: host})
		var re *relaytest.Error
		if !errors.As(err, &re) || re.Status != http.StatusForbidden {
			t.Errorf("Host %q: %v, want 403", host, err)
		}
	}
	f.log.WaitFor(t, "refused", `Host "evil.example:`+port+`"`)
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port} {
		code, _ := f.srv.NewCode()
		c, err := relaytest.Handshake(context.Background(), f.srv.URL(), relaytest.Options{Host: host, Code: code})
		if err != nil {
			t.Errorf("Host %q: %v", host, err)
			continue
		}
		c.Close()
	}
	f.h.none(t)
}

// Rule 4: the Origin must be one of Options.Origins, exactly.
func TestOrigin(t *testing.T) {
	f := start(t, relay.Options{})
	for _, origin := range []string{"-", "", "null", "http://127.0.0.1:7860", "http://localhost:" + strconv.Itoa(f.srv.Port()),
		"chrome-extension://abcdefghijklmnopabcdefghijklmnop", "chrome-extension://" + relay.ExtensionID + "/",
		"CHROME-EXTENSION://" + strings.ToUpper(relay.ExtensionID), "moz-extension://" + relay.ExtensionID} {
		req := upgrade(t, f, "/v1/ext")
		if origin != "-" {
			req.Header.Set("Origin", origin)
		} else {
			req.Header["Origin"] = nil
		}
		resp, _ := httpDo(t, req)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("Origin %q: %d, want 403", origin, resp.StatusCode)
		}
	}
	// Two Origin headers, one of them right.
	req := upgrade(t, f, "/v1/ext")
	req.Header["Origin"] = []string{"http://127.0.0.1:7860", "chrome-extension://" + relay.ExtensionID}
	if resp, _ := httpDo(t, req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("two Origins: %d, want 403", resp.StatusCode)
	}
	f.log.WaitFor(t, "refused", `Origin "http://127.0.0.1:7860"`)
	f.h.none(t)

	// Options.Origins replaces the default.
	g := start(t, relay.Options{Origins: []string{"chrome-extension://testid"}})
	if _, err := relaytest.Open(context.Background(), g.srv.URL(), relaytest.Options{}); err == nil {
		t.Error("the pinned extension connected to a relay that allows another id only")
	}
	code, _ := g.srv.NewCode()
	relaytest.Dial(t, g.srv.URL(), relaytest.Options{Origin: "chrome-extension://testid", Code: code})
}

// A TCP connection that sends no request is cut at HandshakeTimeout.
func TestSilentTCP(t *testing.T) {
	f := start(t, relay.Options{HandshakeTimeout: 300 * time.Millisecond})
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(f.srv.Port()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(wait))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("read from a silent connection: %v, want EOF", err)
	}
}

// Refusals are logged at most 20 per 10 s, then counted.
func TestLogLimit(t *testing.T) {
	f := start(t, relay.Options{})
	now := time.Now()
	var mu sync.Mutex
	relay.SetClock(f.srv, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	refuse := func() {
		t.Helper()
		if _, err := relaytest.Open(context.Background(), f.srv.URL(), relaytest.Options{Origin: "null"}); err == nil {
			t.Fatal("Origin null connected")
		}
	}
	for range 25 {
		refuse()
	}
	f.log.WaitN(t, 20, "refused a connection")
	mu.Lock()
	now = now.Add(11 * time.Second)
	mu.Unlock()
	refuse()
	f.log.WaitFor(t, "5 more lines about refused connections were left out")
	if line, _ := f.log.Find(22, "refused a connection"); line != "" {
		t.Errorf("more than 21 refusals were logged")
	}
}
