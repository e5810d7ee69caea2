package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/internal/relay/relaytest"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// freePort returns a loopback port nobody listened on a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// status returns the last extension status the window was sent.
func (s *sink) status() (ExtensionStatus, bool) {
	all := s.all(EventExtension)
	if len(all) == 0 {
		return ExtensionStatus{}, false
	}
	return all[len(all)-1].(ExtensionStatus), true
}

// browserCalls returns the browser-call events of rec so far.
func (s *sink) browserCalls(rec string) []BrowserCall {
	var out []BrowserCall
	for _, d := range s.all(EventBrowserCall) {
		if c := d.(BrowserCall); c.Rec == rec {
			out = append(out, c)
		}
	}
	return out
}

// browserRecording returns the last browser-recording event of rec.
func (s *sink) browserRecording(rec string) (BrowserRecording, bool) {
	all := s.all(EventBrowserRecording)
	for i := len(all) - 1; i >= 0; i-- {
		if r := all[i].(BrowserRecording); r.Rec == rec {
			return r, true
		}
	}
	return BrowserRecording{}, false
}

// extension is the fake browser extension of a test: it relays what it
// sends and receives, as docs/extension-protocol.md says, to the window.
type extension struct {
	t   *testing.T
	c   *relaytest.Client
	rec string
	n   int // request ids given
}

func (x *extension) send(m map[string]any) {
	x.t.Helper()
	m["rec"] = x.rec
	if _, ok := m["ts"]; !ok && m["t"] != "page" && m["t"] != "start" && m["t"] != "stop" {
		m["ts"] = float64(time.Now().UnixMicro()) / 1000
	}
	if err := x.c.Send(m); err != nil {
		x.t.Fatalf("send %s: %v", m["t"], err)
	}
}

// receive returns the next message of type t, skipping calls.
func (x *extension) receive(t string) relaytest.Message {
	x.t.Helper()
	for {
		m, err := x.c.Receive()
		if err != nil {
			x.t.Fatalf("waiting for %q: %v", t, err)
		}
		switch m.T {
		case t:
			return m
		case "call":
		default:
			x.t.Fatalf("waiting for %q, got %s", t, m.Raw)
		}
	}
}

func headers(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = strings.Join(v, ", ")
	}
	return out
}

// do makes a real request to the app and relays it as the extension does:
// requestSent, responseReceived, then the body whole in loadingFinished,
// or, for an event stream, each chunk as it arrives in dataReceived. It
// returns the body.
func (x *extension) do(ctx context.Context, method, u string, body []byte) []byte {
	x.t.Helper()
	x.n++
	id := fmt.Sprintf(":%d", x.n)
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		x.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	x.send(map[string]any{"t": "requestSent", "id": id, "method": method, "url": u, "headers": headers(req.Header), "body": body})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		x.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	mime := strings.TrimSpace(strings.Split(resp.Header.Get("Content-Type"), ";")[0])
	x.send(map[string]any{"t": "responseReceived", "id": id, "status": resp.StatusCode, "headers": headers(resp.Header), "mime": mime})
	if mime != "text/event-stream" {
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			x.t.Fatalf("%s %s: %v", method, u, err)
		}
		x.send(map[string]any{"t": "loadingFinished", "id": id, "body": data})
		return data
	}
	var all []byte
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			all = append(all, buf[:n]...)
			x.send(map[string]any{"t": "dataReceived", "id": id, "data": buf[:n]})
		}
		if errors.Is(err, io.EOF) || bytes.Contains(all, []byte(`"close_stream"`)) {
			break
		}
		if err != nil {
			x.t.Fatalf("read the event stream: %v", err)
		}
	}
	x.send(map[string]any{"t": "loadingFinished", "id": id, "body": nil})
	return all
}

func isNumber(raw json.RawMessage, want float64) bool {
	var f float64
	return json.Unmarshal(raw, &f) == nil && f == want
}

func getJSON(t *testing.T, u string) json.RawMessage {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return v
}

// TestBrowserRecording records a real call of the calculator through the
// window's relay, as the browser extension relays it: the calls reach the
// window live, and Stop saves the recording in the browser folder, which
// the window then opens.
func TestBrowserRecording(t *testing.T) {
	calc := gradiotest.Start(t, "calculator")
	port := freePort(t)
	a, s, _ := testApp(t, Options{ExtensionPort: port})

	st, err := a.Extension.Status()
	browserDir := filepath.Join(a.dataDir(), "browser")
	if err != nil || !st.Listening || st.Port != port || st.Dir != browserDir || len(st.Paired) != 0 || st.Error != "" {
		t.Fatalf("Status() = %+v, %v; want listening on %d, recordings in %s, nothing paired", st, err, port, browserDir)
	}
	code, err := a.Extension.NewCode()
	if err != nil || code.Port != port || len(code.Code) != 31 || !code.Expires.After(time.Now().Add(4*time.Minute)) {
		t.Fatalf("NewCode() = %+v, %v; want a code for port %d valid 5 minutes", code, err, port)
	}
	c := relaytest.Dial(t, fmt.Sprintf("ws://127.0.0.1:%d/v1/ext", port), relaytest.Options{Code: code.Code, Browser: "Chromium 156 (test)"})
	s.wait(t, "the paired browser, connected, in the status", func() bool {
		st, ok := s.status()
		return ok && len(st.Paired) == 1 && st.Paired[0].Install == c.Install && st.Paired[0].Connected && st.Connected == 1
	})
	if st, _ := s.status(); st.Paired[0].Browser != "Chromium 156 (test)" {
		t.Errorf("paired browser = %+v", st.Paired[0])
	}
	if _, err := os.Stat(filepath.Join(a.configDir(), "paired.json")); err != nil {
		t.Errorf("the pairing is not kept in the config folder: %v", err)
	}

	x := &extension{t: t, c: c, rec: "tab-1"}
	x.send(map[string]any{"t": "start", "tab": map[string]any{"url": calc.URL + "/", "title": "Calculator"}})
	var started struct{ Path string }
	x.receive("started").Decode(&started)
	if filepath.Dir(started.Path) != browserDir {
		t.Errorf("the recording goes to %s, want the folder %s", started.Path, browserDir)
	}
	s.wait(t, "the recording in the window", func() bool {
		r, ok := s.browserRecording("tab-1")
		return ok && r.Active && r.URL == calc.URL+"/" && r.Path == started.Path
	})

	cfg := getJSON(t, calc.URL+"/config")
	var app struct {
		APIPrefix    string `json:"api_prefix"`
		Dependencies []struct {
			ID      int     `json:"id"`
			APIName string  `json:"api_name"`
			Targets [][]any `json:"targets"`
		} `json:"dependencies"`
	}
	if err := json.Unmarshal(cfg, &app); err != nil || len(app.Dependencies) == 0 {
		t.Fatalf("the calculator's config: %v", err)
	}
	api := calc.URL + app.APIPrefix
	info := getJSON(t, api+"/info?all_endpoints=true")
	x.send(map[string]any{"t": "page", "url": calc.URL + "/", "config": cfg, "info": info, "cookies": []any{}})

	dep := app.Dependencies[0]
	if dep.APIName != "calculate" {
		t.Fatalf("the calculator's first endpoint is %q, want calculate", dep.APIName)
	}
	join, _ := json.Marshal(map[string]any{"data": []any{3, "add", 4}, "event_data": nil, "fn_index": dep.ID,
		"trigger_id": dep.Targets[0][0], "session_hash": "desktoptest1"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	x.do(ctx, http.MethodPost, api+"/queue/join", join)
	// Live: the call is in the window before its result was even asked for.
	s.wait(t, "the call started in the window", func() bool { return len(s.browserCalls("tab-1")) > 0 })
	if first := s.browserCalls("tab-1")[0]; first.Kind != recorder.CallStarted || first.Call.APIName != "/calculate" || first.URL != calc.URL+"/" {
		t.Fatalf("first browser call = %+v, want /calculate started", first)
	}
	stream := x.do(ctx, http.MethodGet, api+"/queue/data?session_hash=desktoptest1", nil)
	if !bytes.Contains(stream, []byte("process_completed")) {
		t.Fatalf("the queue's stream did not complete the call:\n%s", stream)
	}
	s.wait(t, "the call completed in the window", func() bool {
		calls := s.browserCalls("tab-1")
		return calls[len(calls)-1].Kind == recorder.CallCompleted
	})
	calls := s.browserCalls("tab-1")
	done := calls[len(calls)-1].Call
	if done.APIName != "/calculate" || done.Status != recording.Completed || len(done.Outputs) != 1 || !isNumber(done.Outputs[0], 7) {
		t.Errorf("completed call = %s %s %s, want /calculate completed with [7]", done.APIName, done.Status, done.Outputs)
	}
	if len(s.completed()) != 0 {
		t.Errorf("a call in the browser reached the window's own timeline: %+v", s.completed())
	}

	x.send(map[string]any{"t": "stop", "reason": "user"})
	var stopped struct {
		Path  string
		Calls int
		OK    bool
	}
	x.receive("stopped").Decode(&stopped)
	if !stopped.OK || stopped.Path != started.Path || stopped.Calls != 1 {
		t.Errorf("stopped = %+v, want %s saved with 1 call", stopped, started.Path)
	}
	s.wait(t, "the saved recording in the window", func() bool {
		r, ok := s.browserRecording("tab-1")
		return ok && !r.Active
	})
	if r, _ := s.browserRecording("tab-1"); !r.OK || r.Calls != 1 || r.Path != started.Path || !strings.Contains(r.Message, "saved") {
		t.Errorf("recording event = %+v, want saved at %s with 1 call", r, started.Path)
	}
	s.wait(t, "the saved recording in the status", func() bool {
		st, ok := s.status()
		return ok && len(st.Recordings) == 1 && st.Recordings[0].OK
	})
	saved, err := recording.Load(started.Path)
	if err != nil || len(saved.Calls) != 1 || saved.Calls[0].APIName != "/calculate" {
		t.Fatalf("the saved recording: %v %+v", err, saved)
	}

	state, err := a.Files.Load(started.Path)
	if err != nil || state.Mode != Loaded || state.Calls != 1 || !state.Saved {
		t.Errorf("Files.Load(%s) = %+v, %v", started.Path, state, err)
	}
	if _, err := a.Code.Generate("python", "script", false); err != nil {
		t.Errorf("code of the recording made in the browser: %v", err)
	}
}

// TestBrowserPairing pairs, lists and revokes a browser; a revoked browser
// is cut off at once and cannot connect again.
func TestBrowserPairing(t *testing.T) {
	port := freePort(t)
	a, s, _ := testApp(t, Options{ExtensionPort: port})
	code, err := a.Extension.NewCode()
	if err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("ws://127.0.0.1:%d/v1/ext", port)
	c := relaytest.Dial(t, url, relaytest.Options{Code: code.Code, Browser: "Firefox\x1b[31m"})
	st, _ := a.Extension.Status()
	if len(st.Paired) != 1 || st.Paired[0].Install != c.Install || st.Paired[0].Browser != "Firefox[31m" {
		t.Fatalf("paired = %+v, want the browser just paired, its name without control characters", st.Paired)
	}
	if _, err := relaytest.Handshake(context.Background(), url, relaytest.Options{Code: code.Code}); err == nil {
		t.Error("a pairing code paired twice")
	}

	if err := a.Extension.Revoke(c.Install); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	m, err := c.Receive()
	var refused struct{ Code string }
	m.Decode(&refused)
	if err != nil || m.T != "error" || refused.Code != "unpaired" {
		t.Errorf("after Revoke the browser got %s, %v; want an unpaired error", m.Raw, err)
	}
	if _, err := c.Receive(); !websocket.IsCloseError(err, 4401) {
		t.Errorf("after Revoke the connection ended with %v, want 4401", err)
	}
	s.wait(t, "no paired browser in the status", func() bool {
		st, ok := s.status()
		return ok && len(st.Paired) == 0 && st.Connected == 0
	})
	if _, err := relaytest.Handshake(context.Background(), url, relaytest.Options{Install: c.Install, Secret: c.Secret}); err == nil {
		t.Error("a revoked browser connected again")
	}
	if err := a.Extension.Revoke(c.Install); err == nil || !strings.Contains(err.Error(), "refresh") {
		t.Errorf("Revoke of an unknown browser: %v", err)
	}
}

// TestExtensionPortBusy: a busy port is told in the status, the window
// works on, and Retry listens once the port is free.
func TestExtensionPortBusy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	a, s, _ := testApp(t, Options{ExtensionPort: port})

	s.wait(t, "the status", func() bool { _, ok := s.status(); return ok })
	st, _ := s.status()
	if st.Listening || !st.Busy || st.Port != port || !strings.Contains(st.Error, fmt.Sprint(port)) || !strings.Contains(st.Hint, "Retry") {
		t.Errorf("status with the port taken = %+v, want busy on %d with a hint to retry", st, port)
	}
	if _, err := a.Extension.NewCode(); err == nil || !strings.Contains(err.Error(), "Retry") {
		t.Errorf("NewCode while the port is busy: %v", err)
	}
	if _, err := a.Extension.Listen(); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("Listen while the port is busy: %v", err)
	}
	if got := a.Session.State(); got.Mode != Empty || got.Fault != nil {
		t.Errorf("the window's state = %+v, want empty and well", got)
	}

	ln.Close()
	st, err = a.Extension.Listen()
	if err != nil || !st.Listening || st.Busy || st.Error != "" {
		t.Fatalf("Listen once the port is free = %+v, %v", st, err)
	}
	if _, err := a.Extension.NewCode(); err != nil {
		t.Errorf("NewCode after Retry: %v", err)
	}
}

// TestExtensionOff: -extension-port -1 hosts nothing and says so.
func TestExtensionOff(t *testing.T) {
	a, _, _ := testApp(t, Options{ExtensionPort: -1})
	st, err := a.Extension.Status()
	if err != nil || st.Listening || !st.Off || st.Error == "" {
		t.Errorf("Status() = %+v, %v; want off, saying so", st, err)
	}
	if _, err := a.Extension.Listen(); err == nil {
		t.Error("Listen() listened with -extension-port -1")
	}
	opts, err := ParseArgs([]string{"-extension-port", "-1", "r.json"}, io.Discard)
	if err != nil || opts.ExtensionPort != -1 || opts.Open != "r.json" {
		t.Errorf("ParseArgs = %+v, %v", opts, err)
	}
	if _, err := ParseArgs([]string{"-extension-port", "70000"}, io.Discard); err == nil {
		t.Error("ParseArgs took port 70000")
	}
}

func TestClipText(t *testing.T) {
	for in, want := range map[string]string{
		"a/":                   "a/",
		"héééé":                "hé…", // not cut inside a rune
		"ab\xffcd":             "ab…",
		strings.Repeat("x", 4): "xxxx",
	} {
		if got := clipText(in, 4); got != want {
			t.Errorf("clipText(%q, 4) = %q, want %q", in, got, want)
		}
	}
}
