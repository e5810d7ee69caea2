package backend_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
	"github.com/gradiorec/gradiorec/recording"
)

// alive checks that a paired client is still served: a status request is
// answered.
func alive(t *testing.T, c *relaytest.Client, req int) {
	t.Helper()
	if err := c.Send(map[string]any{"t": "status", "req": req}); err != nil {
		t.Fatalf("the paired extension cannot send: %v", err)
	}
	var reply struct {
		Req int  `json:"req"`
		OK  bool `json:"ok"`
	}
	if err := c.Expect(t, "reply").Decode(&reply); err != nil || reply.Req != req || !reply.OK {
		t.Fatalf("the paired extension's status request: %+v, %v", reply, err)
	}
}

// refusedUpgrade checks that an upgrade was refused with the HTTP status.
func refusedUpgrade(t *testing.T, err error, status int) {
	t.Helper()
	var re *relaytest.Error
	if !errors.As(err, &re) || re.Status != status {
		t.Fatalf("got %v, want the upgrade refused with HTTP %d", err, status)
	}
}

// refusedHandshake checks that a handshake was refused with the error
// code and the close status.
func refusedHandshake(t *testing.T, err error, code string, status int) {
	t.Helper()
	var re *relaytest.Error
	if !errors.As(err, &re) || re.Code != code || re.CloseCode != status {
		t.Fatalf("got %v, want the handshake refused with %s and close status %d", err, code, status)
	}
}

// closedWith checks that the relay closes c with the status.
func closedWith(t *testing.T, c *relaytest.Client, status int) {
	t.Helper()
	for {
		_, err := c.Receive()
		if err == nil {
			continue // the error message before the close
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != status {
			t.Fatalf("the connection ended with %v, want close status %d", err, status)
		}
		return
	}
}

// TestHostile: what does not come from the paired extension is refused by
// the real relay and backend, nothing of it is recorded, and the paired
// extension is served throughout and records.
func TestHostile(t *testing.T) {
	s := serve(t)
	app := gradiotest.Start(t, "state")
	code, _ := s.srv.NewCode()
	good := relaytest.Dial(t, s.srv.URL(), relaytest.Options{Code: code, Browser: "the paired extension"})
	req := 0
	check := func(t *testing.T) {
		t.Helper()
		req++
		alive(t, good, req)
		if got := s.recordings(t); len(got) != 0 {
			t.Fatalf("the recordings folder holds %s", joined(got))
		}
	}
	ctx := context.Background()
	port := strconv.Itoa(s.srv.Port())

	t.Run("origin", func(t *testing.T) {
		for _, origin := range []string{"http://127.0.0.1:7860", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "-"} {
			_, err := relaytest.Open(ctx, s.srv.URL(), relaytest.Options{Origin: origin})
			refusedUpgrade(t, err, http.StatusForbidden)
		}
		s.log.WaitFor(t, `refused a connection from Origin "http://127.0.0.1:7860"`)
		check(t)
	})

	t.Run("host", func(t *testing.T) {
		for _, host := range []string{"rebound.example:" + port, "127.0.0.1.rebound.example:" + port, "localhost:1"} {
			_, err := relaytest.Open(ctx, s.srv.URL(), relaytest.Options{Host: host})
			refusedUpgrade(t, err, http.StatusForbidden)
		}
		s.log.WaitFor(t, `refused a connection for Host "rebound.example:`+port+`"`)
		check(t)
	})

	t.Run("secret", func(t *testing.T) {
		// No pairing: a secret gradiorec never derived.
		_, err := relaytest.Handshake(ctx, s.srv.URL(), relaytest.Options{Secret: bytes.Repeat([]byte{1}, 32)})
		refusedHandshake(t, err, "unpaired", 4401)
		// The paired install's id with a wrong secret.
		_, err = relaytest.Handshake(ctx, s.srv.URL(), relaytest.Options{Install: good.Install, Secret: bytes.Repeat([]byte{2}, 32)})
		refusedHandshake(t, err, "bad-proof", 4401)
		// The code the extension paired with, used already; then a wrong
		// code while another is open.
		_, err = relaytest.Handshake(ctx, s.srv.URL(), relaytest.Options{Code: code})
		refusedHandshake(t, err, "bad-code", 4401)
		s.srv.NewCode()
		_, err = relaytest.Handshake(ctx, s.srv.URL(), relaytest.Options{Code: "7KQ2M-4XVZP-0HJWR-9C3AB-TN6YE-D"})
		refusedHandshake(t, err, "bad-code", 4401)
		// No handshake at all: a recording straight away.
		c, err := relaytest.Open(ctx, s.srv.URL(), relaytest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c.Send(map[string]any{"t": "start", "rec": "r", "tab": map[string]any{"url": app.URL}})
		closedWith(t, c, 4400)
		s.log.WaitFor(t, "handshake with", "failed: bad-proof")
		s.log.WaitFor(t, "handshake with", "failed: malformed: the first message must be pair or hello")
		check(t)
	})

	t.Run("loopback page", func(t *testing.T) {
		// A page served from loopback, as a local Gradio app is, in the
		// browser that has the extension.
		page, cancel := context.WithTimeout(tab(t, "about:blank", 800, 600), wait)
		defer cancel()
		web := relaytest.LoopbackPage(t, page, s.srv.URL())
		s.log.WaitFor(t, `refused a connection from Origin "`+web+`"`)
		check(t)
	})

	// pairHostile pairs another install: a program that got a code.
	pairHostile := func(t *testing.T) *relaytest.Client {
		t.Helper()
		code, _ := s.srv.NewCode()
		return relaytest.Dial(t, s.srv.URL(), relaytest.Options{Code: code, Browser: "hostile"})
	}

	t.Run("oversized", func(t *testing.T) {
		// Before the welcome, 8 KiB at most.
		c, err := relaytest.Open(ctx, s.srv.URL(), relaytest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c.WriteRaw(websocket.TextMessage, []byte(`{"t":"pair","pad":"`+strings.Repeat("a", 9<<10)+`"}`))
		closedWith(t, c, websocket.CloseMessageTooBig)
		// After it, 64 MiB: a start that big is not a recording.
		h := pairHostile(t)
		big := append([]byte(`{"t":"start","rec":"big","tab":{"url":"`+app.URL+`"},"pad":"`), bytes.Repeat([]byte("a"), 64<<20)...)
		h.WriteRaw(websocket.TextMessage, append(big, `"}`...))
		closedWith(t, h, websocket.CloseMessageTooBig)
		s.log.WaitFor(t, `"hostile"`, "ended: the extension sent a message larger than 67108864 bytes")
		check(t)
	})

	t.Run("malformed", func(t *testing.T) {
		for _, frame := range []struct {
			kind int
			data string
		}{
			{websocket.BinaryMessage, `{"t":"start","rec":"bin"}`},
			{websocket.TextMessage, "{\"t\":\"start\",\"rec\":\"\xff\xfe\"}"},
			{websocket.TextMessage, `["start"]`},
			{websocket.TextMessage, `{"t":5}`},
			{websocket.TextMessage, `{"t":"start"`},
		} {
			h := pairHostile(t)
			h.WriteRaw(frame.kind, []byte(frame.data))
			var e struct{ Code string }
			h.Expect(t, "error").Decode(&e)
			if e.Code != "malformed" {
				t.Errorf("%q: error %q, want malformed", frame.data, e.Code)
			}
			closedWith(t, h, 4400)
		}
		// Messages the backend refuses, on a connection that stays.
		h := pairHostile(t)
		for _, m := range []struct {
			raw, code string
		}{
			{`{"t":"start","rec":"../../etc/passwd","tab":{"url":"http://127.0.0.1/"}}`, "malformed"},
			{`{"t":"start","rec":["r"],"tab":{"url":"http://127.0.0.1/"}}`, "malformed"},
			{`{"t":"start","rec":"` + strings.Repeat("r", 65) + `"}`, "malformed"},
			{`{"t":"requestSent","rec":"nope","id":":1","method":"POST","url":"http://127.0.0.1/gradio_api/queue/join"}`, "unknown-recording"},
			{`{"t":"page","rec":"nope","url":"http://127.0.0.1/","config":{}}`, "unknown-recording"},
			{`{"t":"frobnicate","rec":"x"}`, "unknown"},
		} {
			h.WriteRaw(websocket.TextMessage, []byte(m.raw))
			var e struct{ Code, Message string }
			h.Expect(t, "error").Decode(&e)
			if e.Code != m.code {
				t.Errorf("%s: error %s (%s), want %s", m.raw, e.Code, e.Message, m.code)
			}
		}
		h.Send(map[string]any{"t": "code", "req": 1, "rec": "nope", "lang": "python"})
		var reply struct {
			OK    bool
			Error string
		}
		h.Expect(t, "reply").Decode(&reply)
		if reply.OK || reply.Error == "" {
			t.Errorf("code of no recording: %+v, want a refusal", reply)
		}
		check(t)
	})

	t.Run("flood", func(t *testing.T) {
		// Many connections that never finish the handshake: 8 are let in
		// at once, the rest refused, and the paired extension is served.
		var (
			mu      sync.Mutex
			in      []*relaytest.Client
			refused int
			wg      sync.WaitGroup
		)
		for range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := relaytest.Open(ctx, s.srv.URL(), relaytest.Options{})
				mu.Lock()
				defer mu.Unlock()
				var re *relaytest.Error
				switch {
				case err == nil:
					in = append(in, c)
				case errors.As(err, &re) && re.Status == http.StatusServiceUnavailable:
					refused++
				default:
					t.Errorf("a flood connection: %v", err)
				}
			}()
		}
		wg.Wait()
		t.Logf("%d in the handshake, %d refused", len(in), refused)
		if len(in) > 8 || refused < 32 {
			t.Errorf("%d connections were let into the handshake and %d refused, want at most 8 and the rest refused", len(in), refused)
		}
		s.log.WaitFor(t, "relay: refused a connection: 8 are in the handshake already (a flood?)")
		check(t)
		for _, c := range in {
			c.Conn().Close()
		}
	})

	if t.Failed() {
		return
	}
	// The paired extension records, and only it: another install cannot
	// stop or take over its recording.
	good.Send(map[string]any{"t": "start", "rec": "good", "tab": map[string]any{"url": app.URL + "/", "title": "Word counter"}})
	var started struct{ Path string }
	good.Expect(t, "started").Decode(&started)
	good.Send(relaytest.Page(t, "good", app.URL))
	h := pairHostile(t)
	h.Send(map[string]any{"t": "stop", "rec": "good", "reason": "user"})
	h.Send(map[string]any{"t": "stop", "rec": "good", "reason": "worker-restarted"})
	s.log.WaitFor(t, "its worker restarted and lost recording good, which this gradiorec did not make")
	good.Send(map[string]any{"t": "status", "req": 1000})
	var status struct {
		Result struct {
			Recordings []struct {
				Rec    string
				Active bool
			}
		}
	}
	good.Expect(t, "reply").Decode(&status)
	if len(status.Result.Recordings) != 1 || !status.Result.Recordings[0].Active {
		t.Fatalf("the paired extension's recordings: %+v, want good, active", status.Result.Recordings)
	}
	good.Send(map[string]any{"t": "stop", "rec": "good", "reason": "user"})
	var stopped struct {
		Path string
		OK   bool
	}
	good.Expect(t, "stopped").Decode(&stopped)
	if !stopped.OK || stopped.Path != started.Path {
		t.Fatalf("stopped %+v, want saved at %s", stopped, started.Path)
	}
	doc, err := recording.Load(stopped.Path)
	if err != nil {
		t.Fatal(err)
	}
	if doc.App.Root != app.URL {
		t.Errorf("the recording's app is %s, want %s", doc.App.Root, app.URL)
	}
	if got := s.recordings(t); len(got) != 1 {
		t.Errorf("the recordings folder holds %s, want the paired extension's recording alone", joined(got))
	}
}
