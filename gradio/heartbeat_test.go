package gradio

import (
	"net/http"
	"testing"
)

func TestHeartbeatHeldWhenConfigAsks(t *testing.T) {
	a := newFakeApp(t)
	a.config["connect_heartbeat"] = true
	c := a.connect()
	a.mu.Lock()
	n := a.heartbeats
	a.mu.Unlock()
	if n != 0 {
		t.Errorf("heartbeat opened before the first call")
	}
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "heartbeat", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return a.heartbeats == 1 })
	c.Close() // must not hang on the open heartbeat
}

func TestHeartbeatReconnects(t *testing.T) {
	a := newFakeApp(t)
	a.config["connect_heartbeat"] = true
	n := 0
	a.handle("/gradio_api/heartbeat/", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.heartbeats++
		n = a.heartbeats
		a.mu.Unlock()
		writeFrames(w, "data: ALIVE\n\n") // and end at once
	})
	c := a.connect()
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a reconnected heartbeat", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return n >= 2 })
}

func TestNoHeartbeatWhenConfigSaysNo(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil {
		t.Fatal(err)
	}
	// A heartbeat is started, or not, before the call is made: the session
	// says which, and Close waits for every goroutine the client started.
	s, err := c.session()
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	started := s.heartbeat
	s.mu.Unlock()
	c.Close()
	a.mu.Lock()
	defer a.mu.Unlock()
	if started || a.heartbeats != 0 {
		t.Errorf("heartbeat started %v, %d heartbeats, with connect_heartbeat false", started, a.heartbeats)
	}
}
