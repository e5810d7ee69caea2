package relay

import (
	"crypto/rand"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/internal/relay/internal/wire"
)

// codeAlphabet is Crockford's base32: no I, L, O or U.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const (
	codeLen       = 26 // 130 bits
	codeTTL       = 5 * time.Minute
	maxWrongCodes = 5
)

// pairing is the state of the pairing code.
type pairing struct {
	issued  bool      // a code was ever issued
	code    string    // the open code, normalised; "" when used or void
	expires time.Time // when code expires
	wrong   int       // wrong codes tried against it
}

// NewCode opens a new one-time pairing code, replacing any earlier unused
// one, and returns it as shown to the user (groups of five joined by
// dashes, e.g. "7KQ2M-4XVZP-0HJWR-9C3AB-TN6YE-D") and when it expires: 5
// minutes from now. It pairs one extension install; 5 wrong codes tried
// void it.
func (s *Server) NewCode() (code string, expires time.Time) {
	b := make([]byte, codeLen)
	rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return s.setCode(string(b))
}

// setCode opens code (normalised).
func (s *Server) setCode(code string) (string, time.Time) {
	s.mu.Lock()
	expires := s.now().Add(codeTTL)
	s.pair = pairing{issued: true, code: code, expires: expires}
	s.mu.Unlock()
	s.opts.Logf("relay: a pairing code is open until %s", expires.Format("15:04:05"))
	return group(code), expires
}

// group writes a code in groups of five joined by dashes.
func group(code string) string {
	var parts []string
	for len(code) > 5 {
		parts = append(parts, code[:5])
		code = code[5:]
	}
	return strings.Join(append(parts, code), "-")
}

// takeCode consumes the open code if match accepts it and returns it; else
// it returns the protocol's error code and a message for the user.
func (s *Server) takeCode(match func(code string) bool) (code string, errCode, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &s.pair
	switch {
	case !p.issued:
		return "", wire.CodeUnpaired, "no pairing code is open: ask gradiorec for one (gradiorec serve shows it) and enter it in the extension"
	case p.code == "":
		return "", wire.CodeBadCode, "this pairing code was used already or is void: ask gradiorec for a new code"
	case !s.now().Before(p.expires):
		p.code = ""
		return "", wire.CodeBadCode, "the pairing code expired (a code lasts 5 minutes): ask gradiorec for a new code"
	case !match(p.code):
		p.wrong++
		if p.wrong >= maxWrongCodes {
			p.code = ""
			s.opts.Logf("relay: %d wrong pairing codes were tried: the code is void; ask gradiorec for a new code", p.wrong)
			return "", wire.CodeBadCode, "wrong pairing code, the 5th: the code is void now; ask gradiorec for a new code"
		}
		return "", wire.CodeBadCode, "wrong pairing code: check it and enter it again"
	}
	code = p.code
	p.code = ""
	return code, "", ""
}
