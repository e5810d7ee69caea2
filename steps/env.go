package steps

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

var envRef = regexp.MustCompile(`\$\$|\$\{([^}]*)\}`)
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expandEnv replaces ${NAME} and ${NAME:-default} with the environment's
// values and $$ with $. An unset variable without a default is an error.
func expandEnv(s string) (string, error) {
	var err error
	out := envRef.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		ref := m[2 : len(m)-1]
		name, def, hasDef := strings.Cut(ref, ":-")
		if !envName.MatchString(name) {
			if err == nil {
				err = fmt.Errorf("%s: not a variable name (write $$ for a literal $)", m)
			}
			return m
		}
		if v, ok := os.LookupEnv(name); ok && (v != "" || !hasDef) {
			return v
		}
		if hasDef {
			return def
		}
		if err == nil {
			err = fmt.Errorf("environment variable %s is not set (give a default: ${%s:-value})", name, name)
		}
		return m
	})
	return out, err
}
