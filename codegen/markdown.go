package codegen

import (
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/recording"
)

// mdText makes a recorded string safe inside a line of Markdown text: one
// line (plan.Text), cut at n runes, with the characters that would start
// markup, HTML or an entity escaped by a backslash.
func mdText(s string, n int) string {
	t := plan.Text(s, n)
	var b strings.Builder
	for _, r := range t {
		if strings.ContainsRune("\\`*_[]<>&|!~#{}", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode makes a recorded string a Markdown code span, in which nothing is
// markup or HTML: one line (plan.Text), cut at max runes, between more
// backticks than it holds in a row.
func mdCode(s string, n int) string {
	t := plan.Text(s, n)
	run, longest := 0, 0
	for _, r := range t {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(t, "`") || strings.HasSuffix(t, "`") || t == "" {
		t = " " + t + " "
	}
	return fence + t + fence
}

// secretsReadme lists, for a project's README, the environment variables of
// the recorded secrets, or returns "" when the recording has none.
func secretsReadme(p *plan.Plan, lang Lang) string {
	if len(p.Secrets) == 0 {
		return ""
	}
	var b strings.Builder
	for _, name := range p.Secrets {
		fmt.Fprintf(&b, "- `%s`: the secret recorded as `%s` (required).\n", recording.SecretEnv(name), recording.Placeholder(name))
	}
	b.WriteString("\nThe code stops at once when one of these is unset. It sends each secret where the\n")
	b.WriteString("recording holds its placeholder, and replaces the secrets in the app's outputs by\n")
	b.WriteString("their placeholders before it compares or prints them.")
	if lang == Curl {
		b.WriteString(" The script needs jq for them.")
	}
	b.WriteString("\n")
	return b.String()
}
