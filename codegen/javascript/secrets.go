package javascript

import (
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// secretExpr is a string built from literal text and secrets read from the
// environment: "Bearer " + process.env.GRADIO_SECRET_API_KEY.
func secretExpr(parts []value.Part) string {
	terms := make([]string, len(parts))
	for i, p := range parts {
		if p.Secret != "" {
			// recording.SecretEnv gives an identifier: GRADIO_SECRET_ and
			// upper-case letters, digits and underscores.
			terms[i] = "process.env." + recording.SecretEnv(p.Secret)
		} else {
			terms[i] = String(p.Text)
		}
	}
	return strings.Join(terms, " + ")
}

// secrets returns the module-level code that reads the recorded secrets:
// the SECRETS table and a check that stops at once, naming the variables
// to set, when one is unset or empty.
func (g *gen) secrets() string {
	var b strings.Builder
	b.WriteString("// The recorded secrets, <redacted:NAME> in the recording: the code reads each\n")
	b.WriteString("// one's value from the environment variable GRADIO_SECRET_NAME.\n")
	b.WriteString("const SECRETS = {\n")
	for _, name := range g.p.Secrets {
		fmt.Fprintf(&b, "  %s: %s,\n", recording.SecretEnv(name), String(recording.Placeholder(name)))
	}
	b.WriteString("};\n")
	b.WriteString("const unset = Object.keys(SECRETS).filter((name) => !process.env[name]);\n")
	b.WriteString("if (unset.length > 0) {\n")
	b.WriteString("  console.error(`set ${unset.join(\", \")}: the code reads the recorded secrets from them`);\n")
	b.WriteString("  process.exit(2);\n")
	b.WriteString("}\n")
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
// redact returns value with each secret replaced by its placeholder, as the
// recording holds it: a string that is a secret's whole value, and secrets of
// at least %[1]d bytes inside longer strings (object keys too).
function redact(value) {
  if (typeof value === "string") {
    const secrets = Object.entries(SECRETS)
      .map(([name, placeholder]) => [process.env[name], placeholder])
      .sort((a, b) => Buffer.byteLength(b[0]) - Buffer.byteLength(a[0]));
    const whole = secrets.find(([secret]) => value === secret);
    if (whole) return whole[1];
    for (const [secret, placeholder] of secrets) {
      if (Buffer.byteLength(secret) >= %[1]d) value = value.replaceAll(secret, placeholder);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redact(v)]));
    }
  }
  return value;
}
`, recording.MinSecretInText)

// checkRedactedHelper is checkHelper for a recording with secrets: the
// output is redacted before it is compared, so the assertion's diff shows
// placeholders, never a secret.
const checkRedactedHelper = `
// check asserts that an output, its secrets replaced by their placeholders,
// equals the recorded one; a failure names it.
function check(what, got, want) {
  try {
    assert.deepStrictEqual(redact(got), want);
  } catch (error) {
    const message = error.message;
    error.message = ` + "`${what}: ${message}`" + `;
    error.stack = error.stack?.replace(message, error.message);
    throw error;
  }
}
`

// failsWithHelper checks a recorded failure's message without showing a
// secret.
const failsWithHelper = `
// failsWith returns an assert.rejects validator: the error's message, its
// secrets replaced by their placeholders, must be the recorded one.
function failsWith(message) {
  return (error) => {
    assert.equal(redact(error.message), message);
    return true;
  };
}
`

// redactingHelper makes a subtest report an unexpected error (a rejection
// that quotes an input, say) with its secrets replaced by their
// placeholders.
const redactingHelper = `
// redacting returns a test function that reports an unexpected error with its
// secrets replaced by their placeholders (failed checks are redacted already).
function redacting(fn) {
  return async (...args) => {
    try {
      await fn(...args);
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      throw new Error(redact(String(error?.message ?? error)));
    }
  };
}
`

// redactedNote is the comment on a call whose arguments hold the
// anonymous placeholder, which no variable can restore.
const redactedNote = "An input was redacted when recorded: it is sent as the text " + recording.Redacted + "."
