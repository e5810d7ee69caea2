// Package term renders untrusted text for a terminal. What an app, a
// recording or a server says may hold escape sequences that clear the
// screen, set the window title or write the clipboard (OSC 52), bidi
// overrides that make text read other than it is, and the password of a
// URL. Escape and EscapeText show all of them inertly, so that printing the
// text can neither drive the terminal nor show the secret; JSON does the
// same for JSON output without changing what it means.
package term

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Escape returns s ready to print on one line of a terminal:
//   - C0 controls and DEL are shown escaped (\n, \r, \t, else \x1b), as is
//     every byte that is not UTF-8 (\xff);
//   - C1 controls (U+0080–U+009F) and the bidi embeddings, overrides and
//     isolates (U+202A–U+202E, U+2066–U+2069) are shown as \u0085, \u202e;
//   - the password of a URL (scheme://user:password@) is shown as
//     <redacted>.
//
// A backslash is left as it is, so text that is already escaped (a quoted
// Go string) is not escaped twice, and paths stay readable.
func Escape(s string) string { return escape(s, false) }

// EscapeText is Escape for text of several lines: line breaks (\n) are
// kept, every other control is escaped.
func EscapeText(s string) string { return escape(s, true) }

// urlPassword matches the user and password of a URL.
// The password runs to the last @ before the path, as url.Parse reads it.
var urlPassword = regexp.MustCompile(`(://[^/?#\s:@]*:)[^/?#\s]+@`)

// HideURLPasswords replaces the password of every URL in s
// (scheme://user:password@host) with <redacted>. Escape and EscapeText do
// it too.
func HideURLPasswords(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlPassword.ReplaceAllString(s, "${1}<redacted>@")
}

func escape(s string, lines bool) string {
	s = HideURLPasswords(s)
	i := firstUnsafe(s, lines)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && lines:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// firstUnsafe returns the index of the first byte of s that Escape changes,
// or len(s).
func firstUnsafe(s string, lines bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && !(c == '\n' && lines)) || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafeRune(r) {
			return i
		}
		i += n
	}
	return len(s)
}

// unsafeRune reports whether r is a C1 control or a bidi embedding,
// override or isolate: runes that a terminal may act on, or that reorder
// the text around them.
func unsafeRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// JSON returns a writer that passes JSON to w with DEL, the C1 controls and
// the bidi embeddings, overrides and isolates written as \u escapes, and
// bytes that are not UTF-8 as \ufffd. encoding/json escapes the C0 controls
// but leaves those raw. They can occur only inside JSON strings, where the
// escape means the same rune, so the JSON is unchanged for every reader.
// Each Write must hold whole runes, as a json.Encoder's writes do (one
// value at a time).
func JSON(w io.Writer) io.Writer { return jsonWriter{w} }

type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	i := 0
	for i < len(p) && p[i] < utf8.RuneSelf && p[i] != 0x7f {
		i++
	}
	if i == len(p) {
		return j.w.Write(p)
	}
	out := make([]byte, 0, len(p)+16)
	out = append(out, p[:i]...)
	for i < len(p) {
		r, n := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = append(out, `\ufffd`...)
		case r == 0x7f || unsafeRune(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, p[i:i+n]...)
		}
		i += n
	}
	if _, err := j.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
