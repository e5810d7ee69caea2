package python

import (
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/recording"
)

// secrets returns the module-level code that reads the recorded secrets:
// the SECRETS table and a check that stops at once, naming the variables
// to set, when one is unset or empty. A test module stops with pytest.exit,
// which pytest reports as a collection error; a script or a locustfile
// exits with status 2.
func (g *gen) secrets() string {
	var b strings.Builder
	b.WriteString("# The recorded secrets, <redacted:NAME> in the recording: the code reads each\n")
	b.WriteString("# one's value from the environment variable GRADIO_SECRET_NAME.\n")
	b.WriteString("SECRETS = {\n")
	for _, name := range g.p.Secrets {
		fmt.Fprintf(&b, "    %s: %s,\n", String(recording.SecretEnv(name)), String(recording.Placeholder(name)))
	}
	b.WriteString("}\n")
	b.WriteString("if unset := [name for name in SECRETS if not os.environ.get(name)]:\n")
	msg := `f"set {', '.join(unset)}: the code reads the recorded secrets from them"`
	if g.test && !g.locust {
		b.WriteString("    pytest.exit(\n        " + msg + ",\n        returncode=2,\n    )\n")
	} else {
		b.WriteString("    print(\n        " + msg + ",\n        file=sys.stderr,\n    )\n    sys.exit(2)\n")
	}
	return b.String()
}

// redacted wraps expr in the redact helper when the recording has secrets.
func (g *gen) redacted(expr string) string {
	if len(g.p.Secrets) == 0 {
		return expr
	}
	return "redact(" + expr + ")"
}

// redactHelper replaces the secrets in an output by their placeholders, by
// the rules of the recording (see recording.MinSecretInText), so that it
// compares with the recorded output and a failure shows no secret.
var redactHelper = fmt.Sprintf(`

def redact(value: object) -> object:
    """Return value with each secret replaced by its placeholder, as the
    recording holds it: a string that is a secret's whole value, and secrets
    of at least %[1]d bytes inside longer strings (dict keys too).
    """
    if isinstance(value, str):
        secrets = sorted(
            ((os.environ[name], placeholder) for name, placeholder in SECRETS.items()),
            key=lambda secret: -len(secret[0].encode("utf-8", "surrogateescape")),
        )
        for secret, placeholder in secrets:
            if value == secret:
                return placeholder
        for secret, placeholder in secrets:
            if len(secret.encode("utf-8", "surrogateescape")) >= %[1]d:
                value = value.replace(secret, placeholder)
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(redact(item) for item in value)
    if isinstance(value, dict):
        return {redact(key): redact(item) for key, item in value.items()}
    return value
`, recording.MinSecretInText)

// redactingHelper makes a test report an unexpected error (an AppError that
// quotes an input, say) with its secrets replaced by their placeholders.
const redactingHelper = `

def redacting(test):
    """Make test report an unexpected error with its secrets replaced by their
    placeholders (failed checks are redacted already).
    """

    @functools.wraps(test)
    def run() -> None:
        try:
            test()
        except AssertionError:
            raise
        except Exception as error:
            message = redact(f"{type(error).__name__}: {error}")
            raise AssertionError(message) from None

    return run
`

// checkRedactedHelper is checkHelper for a recording with secrets: the
// output is redacted before it is compared, so pytest's report of a
// difference shows placeholders, never a secret.
const checkRedactedHelper = `

def check(what: str, got: object, want: object) -> None:
    """Assert that an output, its secrets replaced by their placeholders,
    equals the recorded one; a failure names it.
    """
    got = redact(got)
    assert got == want, what
`

// redactedNote is the comment on a call whose arguments hold the
// anonymous placeholder, which no variable can restore.
const redactedNote = "An input was redacted when recorded: it is sent as the text " + recording.Redacted + "."

// docText makes s safe inside a one-line docstring: plan.Text's escapes,
// with backslashes and double quotes escaped for Python, so that nothing in
// s can end the docstring or start an escape sequence.
func docText(s string, max int) string {
	t := plan.Text(s, max)
	t = strings.ReplaceAll(t, `\`, `\\`)
	return strings.ReplaceAll(t, `"`, `\"`)
}
