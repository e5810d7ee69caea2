package recording

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Redacted is what replaces a secret in everything this package writes.
//
// Before a document or a journal line reaches disk, every string in it goes
// through these rules:
//   - each value given with Redact (or (*Journal).Redact) is replaced wherever
//     it appears;
//   - Hugging Face tokens (hf_…), JSON Web Tokens (eyJ….eyJ….…) and the
//     token after "Bearer " are replaced;
//   - header lines "Authorization:", "Proxy-Authorization:",
//     "X-HF-Authorization:", "Cookie:" and "Set-Cookie:" keep only their name;
//   - URL query values of __sign, token, access_token, hf_token, api_key,
//     password, signature and the like, URL passwords (scheme://user:pw@) and
//     Gradio's access-token cookies are replaced;
//   - inside JSON values (inputs, outputs, event data), the string values of
//     members named authorization, cookie, password, hf_token, oauth_token,
//     access_token, api_key (and similar, case and -/_ ignored) are replaced,
//     as are "value" members of {"name": <such a name>, "value": …} objects
//     and the value of an Arg whose Name is such a name.
//
// Structural fields (format, status, ids, hashes, enumerations; tagged
// `redact:"-"` in recording.go) are left alone, so a short secret cannot
// break a document; in fixture names only the part after the hash is
// redacted. Fixture bytes are never rewritten: a fixture whose bytes contain a
// value given with Redact, or a Hugging Face token, is listed with Stored
// false instead.
const Redacted = "<redacted>"

// redactor applies the rules documented on Redacted. It is safe for
// concurrent use: a journal's writes and a live view may share one.
type redactor struct {
	mu       sync.RWMutex
	secrets  []Secret          // exact values, longest first
	whole    map[string]string // every secret's value → its placeholder
	replacer *strings.Replacer // replaces secrets long enough to be sought inside text; nil when none
}

// newRedactor returns a redactor for the given anonymous secrets.
func newRedactor(values []string) *redactor {
	rd := &redactor{}
	rd.add(anonymous(values)...)
	return rd
}

// anonymous makes secrets without a name of values.
func anonymous(values []string) []Secret {
	s := make([]Secret, 0, len(values))
	for _, v := range values {
		s = append(s, Secret{Value: v})
	}
	return s
}

// add adds exact secrets. A value already known keeps its first name; a
// name already used by another value gets a numbered suffix.
func (rd *redactor) add(secrets ...Secret) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	changed := false
	for _, s := range secrets {
		if s.Value == "" || rd.whole[s.Value] != "" || s.Value == Redacted || isPlaceholder(s.Value) {
			continue
		}
		if s.Name != "" {
			s.Name = rd.freeName(SecretName(s.Name))
		}
		if rd.whole == nil {
			rd.whole = map[string]string{}
		}
		rd.whole[s.Value] = s.placeholder()
		rd.secrets = append(rd.secrets, s)
		changed = true
	}
	if !changed {
		return
	}
	// Longest first, so a secret that contains another is replaced whole.
	slices.SortStableFunc(rd.secrets, func(a, b Secret) int { return len(b.Value) - len(a.Value) })
	var pairs []string
	for _, s := range rd.secrets {
		if len(s.Value) >= MinSecretInText {
			pairs = append(pairs, s.Value, s.placeholder())
		}
	}
	rd.replacer = nil
	if len(pairs) > 0 {
		rd.replacer = strings.NewReplacer(pairs...)
	}
}

// holdsShort reports whether text contains a secret too short to be
// replaced inside text (a whole string in it may be that secret).
func (rd *redactor) holdsShort(text string) bool {
	rd.mu.RLock()
	defer rd.mu.RUnlock()
	for _, s := range rd.secrets {
		if len(s.Value) < MinSecretInText && strings.Contains(text, s.Value) {
			return true
		}
	}
	return false
}

// freeName returns name, or name_2, name_3, … when a secret has it already.
// The caller holds rd.mu.
func (rd *redactor) freeName(name string) string {
	taken := func(n string) bool {
		return slices.ContainsFunc(rd.secrets, func(s Secret) bool { return s.Name == n })
	}
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s_%d", name, i); !taken(n) {
			return n
		}
	}
}

// A pattern replaces what its expression matches with repl. The regular
// expressions are slow on long strings (a base64 image runs to megabytes),
// so each has a cheap test, may, that is true wherever it could match.
type pattern struct {
	re   *regexp.Regexp
	repl string
	may  func(s string) bool
}

// patterns are the built-in rules, applied to every string after the exact
// secrets. Each is idempotent: redacting twice gives the same string.
var patterns = []pattern{
	// Header lines: keep the name, drop the rest of the line.
	{
		regexp.MustCompile(`(?i)\b((?:set-cookie|cookie|proxy-authorization|x-hf-authorization|authorization)["']?\s*:\s*)[^\r\n]+`),
		"${1}" + Redacted,
		func(s string) bool { return containsFold(s, "cookie") || containsFold(s, "authorization") },
	},
	{
		regexp.MustCompile(`(?i)\b(bearer\s+)[A-Za-z0-9._~+/-]{16,}=*`),
		"${1}" + Redacted,
		func(s string) bool { return containsFold(s, "bearer") },
	},
	{
		regexp.MustCompile(`hf_[A-Za-z0-9]{20,}`),
		Redacted,
		func(s string) bool { return strings.Contains(s, "hf_") },
	},
	{
		regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`),
		Redacted,
		func(s string) bool { return strings.Contains(s, "eyJ") },
	},
	// URL query parameters that carry credentials; __sign is the Space JWT.
	{
		regexp.MustCompile(`(?i)((?:^|[?&;"])(?:` + strings.Join(credentialParams, "|") + `)=)[^&#\s"']*`),
		"${1}" + Redacted,
		hasCredentialParam,
	},
	// scheme://user:password@host
	{
		regexp.MustCompile(`(://[^/?#\s:@]+:)[^/?#\s@]+@`),
		"${1}" + Redacted + "@",
		func(s string) bool { return strings.Contains(s, "://") },
	},
	// Gradio's login cookies: access-token-<id>=…, access-token-unsecure-<id>=…,
	// and the same as a dict an app echoes ({'access-token-<id>': '…'}).
	{
		regexp.MustCompile(`(access-token-[A-Za-z0-9_-]*(?:=|['"]?\s*:\s*['"]?))[^;\s"',}]*`),
		"${1}" + Redacted,
		func(s string) bool { return strings.Contains(s, "access-token-") },
	},
}

// credentialParams are URL query parameters (lower case) whose values are
// credentials.
var credentialParams = []string{
	"__sign", "token", "access_token", "auth_token", "id_token", "hf_token", "oauth_token",
	"api_key", "apikey", "password", "passwd", "signature", "sig",
	"x-amz-signature", "x-amz-credential", "x-amz-security-token",
}

// hasCredentialParam reports whether s has "<param>=" for a credential
// parameter, at the start or after ?, &, ; or a quote.
func hasCredentialParam(s string) bool {
	for i := 0; ; {
		j := strings.IndexByte(s[i:], '=')
		if j < 0 {
			return false
		}
		eq := i + j
		start := eq
		for start > 0 && eq-start <= 20 && isParamByte(s[start-1]) {
			start--
		}
		if start == 0 || strings.ContainsRune(`?&;"`, rune(s[start-1])) {
			name := s[start:eq]
			for _, p := range credentialParams {
				if strings.EqualFold(name, p) {
					return true
				}
			}
		}
		i = eq + 1
	}
}

func isParamByte(c byte) bool {
	return c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// containsFold reports whether s contains the lower-case ASCII word sub,
// ignoring ASCII case. It jumps between the places its first letter occurs,
// in either case, which is fast on long strings.
func containsFold(s, sub string) bool {
	for _, first := range []byte{sub[0], sub[0] &^ 0x20} {
		for i := 0; i+len(sub) <= len(s); {
			j := strings.IndexByte(s[i:len(s)-len(sub)+1], first)
			if j < 0 {
				break
			}
			if strings.EqualFold(s[i+j:i+j+len(sub)], sub) {
				return true
			}
			i += j + 1
		}
	}
	return false
}

// hfToken finds Hugging Face tokens in fixture bytes.
var hfToken = regexp.MustCompile(`hf_[A-Za-z0-9]{20,}`)

// String returns s with every secret replaced: a string that is a secret's
// whole value becomes its placeholder, and secrets of at least
// MinSecretInText bytes are replaced inside longer text too.
func (rd *redactor) String(s string) string {
	rd.mu.RLock()
	whole, replacer := rd.whole[s], rd.replacer
	rd.mu.RUnlock()
	if whole != "" {
		return whole
	}
	if replacer != nil {
		s = replacer.Replace(s)
	}
	for _, p := range patterns {
		if p.may(s) && p.re.MatchString(s) {
			s = p.re.ReplaceAllString(s, p.repl)
		}
	}
	return s
}

// fixtureName redacts a fixture name ("<sha256>/<name>") but its hash, which
// a short secret could otherwise hit by chance. A name that changes is made
// safe again (Redacted has characters Windows refuses in file names).
func (rd *redactor) fixtureName(s string) string {
	if len(s) > 65 && s[64] == '/' && isHex64(s[:64]) {
		if base := rd.String(s[65:]); base != s[65:] {
			return s[:65] + safeName(base)
		}
		return s
	}
	return rd.String(s)
}

// containsSecret reports whether data holds one of the exact secrets or a
// Hugging Face token; such bytes are not stored.
func (rd *redactor) containsSecret(data []byte) bool {
	rd.mu.RLock()
	defer rd.mu.RUnlock()
	for _, s := range rd.secrets {
		if bytes.Contains(data, []byte(s.Value)) {
			return true
		}
	}
	return hfToken.Match(data)
}

// sensitiveKeys are JSON member names (lower case, '-' as '_') whose string
// values are secrets.
var sensitiveKeys = map[string]bool{
	"authorization": true, "proxy_authorization": true, "x_hf_authorization": true,
	"cookie": true, "set_cookie": true,
	"password": true, "passwd": true, "client_secret": true,
	"hf_token": true, "oauth_token": true, "access_token": true, "refresh_token": true, "id_token": true,
	"api_key": true, "apikey": true, "x_api_key": true,
}

// isSensitiveKey reports whether a member or argument name holds a secret.
func isSensitiveKey(name string) bool {
	return sensitiveKeys[strings.ReplaceAll(strings.ToLower(name), "-", "_")]
}
