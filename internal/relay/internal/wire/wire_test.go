package wire

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// vectors is internal/relay/testdata/handshake.json, which the extension's
// tests read too.
type vectors struct {
	ServerNonce string `json:"server_nonce"`
	ClientNonce string `json:"client_nonce"`
	CodeShown   string `json:"code_shown"`
	Code        string `json:"code"`
	Install     string `json:"install"`
	PairProof   string `json:"pair_proof"`
	SecretHex   string `json:"secret_hex"`
	ClientProof string `json:"client_proof"`
	ServerProof string `json:"server_proof"`
}

func TestHandshakeVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "handshake.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if got := NormaliseCode(v.CodeShown); got != v.Code {
		t.Errorf("NormaliseCode(%q) = %q, want %q", v.CodeShown, got, v.Code)
	}
	if !ValidNonce(v.ServerNonce) || !ValidNonce(v.ClientNonce) {
		t.Errorf("the vectors' nonces are not valid nonces")
	}
	if !ValidInstall(v.Install) {
		t.Errorf("ValidInstall(%q) = false", v.Install)
	}
	if got := PairProof(v.Code, v.ServerNonce, v.ClientNonce, v.Install); got != v.PairProof {
		t.Errorf("PairProof = %s, want %s", got, v.PairProof)
	}
	secret := Secret(v.Code, v.ServerNonce, v.ClientNonce, v.Install)
	if got := hex.EncodeToString(secret); got != v.SecretHex {
		t.Errorf("Secret = %s, want %s", got, v.SecretHex)
	}
	if got := ClientProof(secret, v.ServerNonce, v.ClientNonce); got != v.ClientProof {
		t.Errorf("ClientProof = %s, want %s", got, v.ClientProof)
	}
	if got := ServerProof(secret, v.ServerNonce, v.ClientNonce); got != v.ServerProof {
		t.Errorf("ServerProof = %s, want %s", got, v.ServerProof)
	}
	for _, p := range []string{v.PairProof, v.ClientProof, v.ServerProof} {
		if !ValidProof(p) {
			t.Errorf("ValidProof(%s) = false", p)
		}
	}
}

func TestValidation(t *testing.T) {
	for _, s := range []string{"", "abc", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9"} {
		if ValidNonce(s) {
			t.Errorf("ValidNonce(%q) = true", s)
		}
	}
	for _, s := range []string{"", "short", "has space 0123456789", "ünïcode0123456789", string(make([]byte, 65))} {
		if ValidInstall(s) {
			t.Errorf("ValidInstall(%q) = true", s)
		}
	}
	for _, s := range []string{"", "AD64D1F3C431AC6908E68CDDE82D05F845DB12365E2EBFC254F337489E253A23", "zz"} {
		if ValidProof(s) {
			t.Errorf("ValidProof(%q) = true", s)
		}
	}
	if got := NormaliseCode(" 7kq2m-4xvzp\t0hjwr_9c3ab tn6ye-d\n"); got != "7KQ2M4XVZP0HJWR9C3ABTN6YED" {
		t.Errorf("NormaliseCode = %q", got)
	}
	// Only ASCII letters are upper-cased, as the extension does (JavaScript's
	// toUpperCase would make "ı" an "I" and "ſ" an "S"; so would Go's).
	if got := NormaliseCode("ab\u0131\u017fcd"); got != "ABCD" {
		t.Errorf("NormaliseCode of non-ASCII letters = %q, want ABCD", got)
	}
}
