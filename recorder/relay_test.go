package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
)

func relayMsg(t *testing.T, fields map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRelayFeedRefuses(t *testing.T) {
	r := NewRelay()
	for name, raw := range map[string]string{
		"not JSON":           `{"t":`,
		"unknown type":       `{"t":"bogus","id":"1"}`,
		"no id":              `{"t":"requestSent","method":"POST","url":"http://a/queue/join"}`,
		"no method":          `{"t":"requestSent","id":"1","url":"http://a/queue/join"}`,
		"id too long":        `{"t":"loadingFailed","id":"` + strings.Repeat("x", maxRelayID+1) + `"}`,
		"body not base64":    `{"t":"loadingFinished","id":"1","body":"%%%"}`,
		"page without cfg":   `{"t":"page","url":"http://a/"}`,
		"page without url":   `{"t":"page","config":{}}`,
		"headers not object": `{"t":"requestSent","id":"1","method":"GET","url":"http://a/","headers":[1]}`,
	} {
		if err := r.Feed([]byte(raw)); err == nil {
			t.Errorf("%s: Feed took %s", name, raw)
		}
	}
}

func TestRelayDeliversInOrder(t *testing.T) {
	r := NewRelay()
	body := []byte("--x\r\nfile bytes\r\n")
	msgs := []map[string]any{
		{"t": "requestSent", "id": ":1", "ts": 1700000000123.5, "method": "POST", "url": "http://a/upload", "headers": map[string]string{"a": "b"}, "body": body},
		{"t": "responseReceived", "id": ":1", "ts": 1700000000124, "status": 200, "mime": "application/json"},
		{"t": "loadingFinished", "id": ":1", "ts": 1700000000125, "body": []byte(`["/tmp/x"]`)},
	}
	if err := r.Feed(relayMsg(t, msgs[0])); err != nil {
		t.Fatal(err)
	}
	var got []netEvent
	if err := r.take(func(ev netEvent) { got = append(got, ev) }); err != nil {
		t.Fatal(err)
	}
	if err := r.take(func(netEvent) {}); err == nil {
		t.Error("a relay fed two recorders")
	}
	for _, m := range msgs[1:] {
		if err := r.Feed(relayMsg(t, m)); err != nil {
			t.Fatal(err)
		}
	}
	r.stop()
	if err := r.Feed(relayMsg(t, map[string]any{"t": "loadingFailed", "id": ":2"})); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d events, want the 3 fed before stop: %#v", len(got), got)
	}
	sent, ok := got[0].(requestSent)
	if !ok || !bytes.Equal(sent.Body, body) || sent.Headers["a"] != "b" || sent.URL != "http://a/upload" {
		t.Errorf("requestSent = %#v", got[0])
	}
	if want := time.UnixMilli(1700000000123).Add(500 * time.Microsecond); !sent.Time.Equal(want) {
		t.Errorf("time = %v, want %v", sent.Time, want)
	}
	if resp, ok := got[1].(responseReceived); !ok || resp.Status != 200 || resp.MIMEType != "application/json" {
		t.Errorf("responseReceived = %#v", got[1])
	}
	if fin, ok := got[2].(loadingFinished); !ok || string(fin.Body) != `["/tmp/x"]` {
		t.Errorf("loadingFinished = %#v", got[2])
	}
}

func TestRelayLimits(t *testing.T) {
	r := NewRelay()
	big := make([]byte, maxRelayPending/2+1)
	msg := relayMsg(t, map[string]any{"t": "dataReceived", "id": "1", "data": big})
	if err := r.Feed(msg); err != nil {
		t.Fatal(err)
	}
	if err := r.Feed(msg); err == nil {
		t.Error("the relay held more than maxRelayPending before a recorder took it")
	}
	r.take(func(netEvent) {})
	r.total = MaxRelayBodies - 10 // as if 1 GiB had been relayed
	if err := r.Feed(msg); !errors.Is(err, ErrRelayTooLarge) {
		t.Errorf("past the cap: %v, want ErrRelayTooLarge", err)
	}
	select {
	case <-r.Ended():
		if r.Reason() != "too-large" {
			t.Errorf("reason %q", r.Reason())
		}
	default:
		t.Error("the relay did not end past the cap")
	}
}

func TestRelayWaitPage(t *testing.T) {
	r := NewRelay()
	login := relayMsg(t, map[string]any{"t": "page", "url": "http://a/", "config": map[string]any{"auth_required": true}})
	app := relayMsg(t, map[string]any{"t": "page", "url": "http://a/?x=1", "config": map[string]any{"auth_required": false},
		"cookies": []map[string]string{{"name": "access-token", "value": "v"}}})
	got := make(chan relayPage, 1)
	go func() {
		p, err := r.waitPage(context.Background(), func(p relayPage) bool {
			c, err := gradio.ParseConfig(p.config)
			return err == nil && !c.AuthRequired
		})
		if err != nil {
			t.Error(err)
		}
		got <- p
	}()
	for _, m := range [][]byte{login, app} {
		if err := r.Feed(m); err != nil {
			t.Fatal(err)
		}
	}
	if p := <-got; p.url != "http://a/?x=1" {
		t.Errorf("page %q, want the one after the login page", p.url)
	}
	if v, _ := r.cookieValues(context.Background()); len(v) != 1 || v[0] != "v" {
		t.Errorf("cookies %q", v)
	}

	ended := NewRelay()
	ended.End("canceled-by-user")
	_, err := ended.waitPage(context.Background(), func(relayPage) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "canceled-by-user") {
		t.Errorf("ended relay: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewRelay().waitPage(ctx, func(relayPage) bool { return true }); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled wait: %v", err)
	}
}

// The app's cookies go to the app only, never to another host an output
// file's URL might name.
func TestRelayFetchCookies(t *testing.T) {
	cookie := make(chan string, 2)
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		cookie <- req.Header.Get("Cookie")
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("png"))
	})
	app, other := httptest.NewServer(handler), httptest.NewServer(handler)
	defer app.Close()
	defer other.Close()
	r := NewRelay()
	r.Feed(relayMsg(t, map[string]any{"t": "page", "url": app.URL, "config": map[string]any{},
		"cookies": []map[string]string{{"name": "session", "value": "s3cr3t-cookie"}}}))
	if _, err := r.waitPage(context.Background(), func(relayPage) bool { return true }); err != nil {
		t.Fatal(err)
	}
	r.setRoot(app.URL)
	var buf bytes.Buffer
	mt, err := r.fetch(context.Background(), app.URL+"/file=x.png", &buf)
	if err != nil || mt != "image/png" || buf.String() != "png" {
		t.Fatalf("fetch = %q, %q, %v", mt, buf.String(), err)
	}
	if c := <-cookie; c != "session=s3cr3t-cookie" {
		t.Errorf("the app got Cookie %q", c)
	}
	if _, err := r.fetch(context.Background(), other.URL+"/x.png", &buf); err != nil {
		t.Fatal(err)
	}
	if c := <-cookie; c != "" {
		t.Errorf("another host got the app's cookies: %q", c)
	}
}
