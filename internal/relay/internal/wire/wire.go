// Package wire holds the handshake of docs/extension-protocol.md that both
// sides share: the messages, nonces, pairing codes and HMAC proofs. The relay
// package plays the backend's side with it and relaytest the extension's.
package wire

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// Version is the protocol version, the "v" of the handshake's messages.
const Version = 1

// NonceSize is the number of random bytes in a nonce.
const NonceSize = 32

// WebSocket close statuses of a failed handshake.
const (
	CloseAuth      = 4401 // unpaired, bad-proof, bad-code
	CloseMalformed = 4400 // version, malformed
)

// Error codes of the "error" message.
const (
	CodeUnpaired  = "unpaired"
	CodeBadProof  = "bad-proof"
	CodeBadCode   = "bad-code"
	CodeVersion   = "version"
	CodeMalformed = "malformed"
	CodeUnknown   = "unknown"
)

// Challenge is the backend's first message.
type Challenge struct {
	T     string `json:"t"` // "challenge"
	V     int    `json:"v"`
	Nonce string `json:"nonce"`
}

// Auth is the extension's answer to the challenge: "pair" or "hello".
type Auth struct {
	T       string `json:"t"` // "pair" or "hello"
	V       int    `json:"v"`
	Install string `json:"install"`
	Browser string `json:"browser"`
	Nonce   string `json:"nonce"`
	Proof   string `json:"proof"`
}

// Welcome ends a successful handshake.
type Welcome struct {
	T      string `json:"t"` // "welcome"
	V      int    `json:"v"`
	Server string `json:"server"`
	Proof  string `json:"proof"`
}

// Error tells the other side what went wrong.
type Error struct {
	T       string `json:"t"` // "error"
	Rec     string `json:"rec,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewNonce returns NonceSize random bytes as unpadded base64url.
func NewNonce() (string, error) {
	b := make([]byte, NonceSize)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make a nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ValidNonce reports whether s is NonceSize bytes as unpadded base64url.
func ValidNonce(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(NonceSize) {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil && len(b) == NonceSize
}

var installRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// ValidInstall reports whether s is an install id: 16 to 64 of [A-Za-z0-9_-].
func ValidInstall(s string) bool { return installRE.MatchString(s) }

// ValidProof reports whether s is written as a proof: 64 lowercase hex digits.
func ValidProof(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// NormaliseCode returns a pairing code as the proofs use it: letters
// upper-cased, everything but [0-9A-Z] removed.
func NormaliseCode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A' // ASCII only, as the extension does: "ı" is not "I"
		}
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// PairProof is the extension's proof of a pairing code (normalised).
func PairProof(code, serverNonce, clientNonce, install string) string {
	return hex.EncodeToString(mac([]byte(code), "gradiorec pair v1", serverNonce, clientNonce, install))
}

// Secret is the per-install secret both sides derive from a pairing code.
func Secret(code, serverNonce, clientNonce, install string) []byte {
	return mac([]byte(code), "gradiorec secret v1", serverNonce, clientNonce, install)
}

// ClientProof is the extension's proof of its secret in "hello".
func ClientProof(secret []byte, serverNonce, clientNonce string) string {
	return hex.EncodeToString(mac(secret, "gradiorec client v1", serverNonce, clientNonce))
}

// ServerProof is the backend's proof of the secret in "welcome".
func ServerProof(secret []byte, serverNonce, clientNonce string) string {
	return hex.EncodeToString(mac(secret, "gradiorec server v1", serverNonce, clientNonce))
}

// Equal compares two proofs in constant time.
func Equal(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

// mac is HMAC-SHA256 of the lines joined with "\n".
func mac(key []byte, lines ...string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(strings.Join(lines, "\n")))
	return h.Sum(nil)
}
