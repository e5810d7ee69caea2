package javascript

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/codegen/internal/value/valuetest"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

func nodeCommand(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("node")
	gradiotest.Need(t, "node", err)
	return p
}

// sameScript compares strictly: Object.is for numbers (so -0 is not 0),
// own keys in order, plain prototypes.
const sameScript = `
import { readFileSync } from "node:fs";

function same(a, b) {
  if (typeof a !== typeof b) return false;
  if (a === null || b === null) return a === b;
  if (typeof a !== "object") return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !same(a[ka[i]], b[kb[i]])) return false;
  }
  return true;
}
`

// TestLiteralRoundTrip renders random values, evaluates the literals with
// node and compares them with JSON.parse of the original text (for texts
// with invalid UTF-8, of the value as Go read it).
func TestLiteralRoundTrip(t *testing.T) {
	nodeBin := nodeCommand(t)
	const n = 12000
	g := valuetest.New(43)
	g.Long = true
	var src strings.Builder
	src.WriteString(sameScript)
	src.WriteString("const CASES = [\n")
	docs := make([]string, 0, n)
	for i := 0; i < n; i++ {
		var doc []byte
		switch {
		case i%1000 == 999:
			doc = g.Deep(95 + i/1000*20)
		case i%10 == 9:
			g.Invalid = true
			doc = g.Doc()
			g.Invalid = false
		default:
			doc = g.Doc()
		}
		lit, err := Literal(doc)
		if err != nil {
			t.Fatalf("Literal(%q): %v", doc, err)
		}
		src.WriteString("  " + lit + ",\n")
		v, _ := value.Parse(doc)
		if strings.ToValidUTF8(string(doc), "") != string(doc) {
			doc = value.JSON{ASCII: true}.Append(nil, v)
		}
		docs = append(docs, string(doc))
	}
	src.WriteString("];\n")
	src.WriteString(`
const docs = JSON.parse(readFileSync(process.argv[2], "utf8"));
if (docs.length !== CASES.length) throw new Error("count " + docs.length + " " + CASES.length);
const bad = [];
CASES.forEach((lit, i) => { if (!same(lit, JSON.parse(docs[i]))) bad.push(i); });
for (const i of bad.slice(0, 5)) console.log("case", i, JSON.stringify(CASES[i]).slice(0, 300), docs[i].slice(0, 300));
process.exit(bad.length ? 1 : 0);
`)
	dir := t.TempDir()
	script := filepath.Join(dir, "cases.mjs")
	docsFile := filepath.Join(dir, "docs.json")
	os.WriteFile(script, []byte(src.String()), 0o644)
	js, _ := json.Marshal(docs)
	os.WriteFile(docsFile, js, 0o644)
	start := time.Now()
	out, err := exec.Command(nodeBin, script, docsFile).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	t.Logf("%d literals checked by node in %v", n, time.Since(start).Round(time.Millisecond))
}

func TestString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{"`${x}` $'", "\"`${x}` $'\""},
		{"a\"\\\n\x00" + "1", `"a\"\\\n\x001"`},
		{"\u2028\u2029\u00a0ü🚀", `"\u2028\u2029\xA0ü🚀"`},
		{"\xed\xa0\x80", `"\uD800"`},
		{"\U000e0001", `"\u{E0001}"`},
	} {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for in, want := range map[string]string{"a": "a", "__proto__": `["__proto__"]`, "a b": `"a b"`, "1": `"1"`, "$x_1": "$x_1", "é": `"é"`} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %s, want %s", in, got, want)
		}
	}
}
