package plan

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

// Ident turns s into an identifier of letters, digits and underscores that
// starts with a letter, or "" when s has none of them.
func Ident(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "s" + out
	}
	return out
}

// Text makes s safe inside a one-line comment of any language: line breaks,
// control and invisible characters and lone surrogates are written as Go
// escapes, "*/" is broken up, and the text is cut at max runes with "…".
func Text(s string, max int) string {
	s = value.Go(s)
	q := strconv.Quote(s)
	q = q[1 : len(q)-1]
	q = strings.ReplaceAll(q, `\"`, `"`)
	q = strings.ReplaceAll(q, "*/", "* /")
	if utf8.RuneCountInString(q) > max {
		r := []rune(q)
		q = string(r[:max]) + "…"
	}
	return q
}

// Wrap breaks s between words into lines of at most room columns as width
// measures them (a longer word has a line of its own).
func Wrap(s string, room int, width func(string) int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && width(line+" "+word) > room {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
