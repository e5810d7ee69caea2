package relay

import "time"

// SetClock makes the server's pairing codes and log limiter use now as
// the clock.
func SetClock(s *Server, now func() time.Time) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
	s.log.mu.Lock()
	s.log.now = now
	s.log.mu.Unlock()
}

// SetNonce makes the server's challenges use nonce.
func SetNonce(s *Server, nonce string) {
	s.mu.Lock()
	s.nonce = func() (string, error) { return nonce, nil }
	s.mu.Unlock()
}

// SetCode opens a pairing code chosen by the test (normalised).
func SetCode(s *Server, code string) { s.setCode(code) }
