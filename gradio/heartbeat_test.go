package gradio

import (
	"net/http"
	"testing"
	"time"
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
	time.Sleep(20 * time.Millisecond)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.heartbeats != 0 {
		t.Errorf("%d heartbeats with connect_heartbeat false", a.heartbeats)
	}
}
