package golang

import (
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

// goMod returns the go.mod of an exported project.
func goMod(o plan.Options) string {
	v := o.GradiorecVersion
	if v == "" {
		v = "v0.0.0"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\nrequire %s %s\n", o.GoModule, GoVersion, ModulePath, v)
	if o.GradiorecReplace != "" {
		fmt.Fprintf(&b, "\nreplace %s => %s\n", ModulePath, quoteModPath(strings.TrimRight(o.GradiorecReplace, "/")+"/gradio"))
	}
	return b.String()
}

// quoteModPath quotes a go.mod path unless it is made of characters that
// go.mod reads as one bare token (no spaces, quotes, comments or "=>").
func quoteModPath(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._~+-:@", r)) &&
			(r != '/' || strings.Contains(s, "//")) {
			return fmt.Sprintf("%q", s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}
