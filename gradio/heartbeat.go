package gradio

import (
	"io"
	"net/http"
	"net/url"
	"time"
)

// startHeartbeat starts holding the heartbeat open, once, when the app asks
// for it. s.mu is held.
func (s *session) startHeartbeat() {
	if !s.heartbeat && !s.ended && s.c.cfg.heartbeat() {
		s.heartbeat = s.c.goBackground(s.holdHeartbeat)
	}
}

// holdHeartbeat keeps GET <api>/heartbeat/<session_hash> open while the
// session lives, reconnecting with backoff; the server ties the session's
// State (and unload events) to this connection. It stops on a client error
// status other than 429 (servers before 4.25 have no heartbeat route).
func (s *session) holdHeartbeat() {
	const minDelay, maxDelay = 250 * time.Millisecond, 10 * time.Second
	delay := minDelay
	for {
		start := time.Now()
		status := s.heartbeatOnce()
		if s.ctx.Err() != nil {
			return
		}
		if status >= 400 && status < 500 && status != http.StatusTooManyRequests {
			return
		}
		if time.Since(start) > 30*time.Second {
			delay = minDelay
		}
		t := time.NewTimer(delay)
		select {
		case <-s.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		delay = min(delay*2, maxDelay)
	}
}

// heartbeatOnce holds one heartbeat response open until it ends and returns
// its status (0 when the request failed).
func (s *session) heartbeatOnce() int {
	c := s.c
	req, err := c.newRequest(s.ctx, http.MethodGet, c.api+"/heartbeat/"+url.PathEscape(s.hash), nil)
	if err != nil {
		return 0
	}
	// No read limit: the server runs the app's unload events when this
	// stream drops.
	resp, err := c.do(c.streamHC, req, false, 0)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}
