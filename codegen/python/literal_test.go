package python

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/codegen/internal/value/valuetest"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// python returns a Python 3 interpreter: the project's Gradio virtualenv
// when it exists, else python3 from PATH.
func python(t *testing.T) string {
	t.Helper()
	venv := filepath.Join(gradiotest.Root(t), ".venv", "gradio-"+gradiotest.DefaultVersion, "bin", "python")
	if _, err := os.Stat(venv); err == nil {
		return venv
	}
	py, err := exec.LookPath("python3")
	gradiotest.Need(t, "python3", err)
	return py
}

// sameScript compares values strictly: types (int is not float, bool is not
// int), the sign of zero, key order and lone surrogates all count.
const sameScript = `
import json, math, sys

def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b
`

// TestLiteralRoundTrip renders random values, evaluates the literals with
// the real interpreter and compares them with json.loads of the original
// text; for texts with invalid UTF-8 (which Python cannot read), with
// json.loads of the value as Go read it.
func TestLiteralRoundTrip(t *testing.T) {
	py := python(t)
	const n = 12000
	g := valuetest.New(42)
	g.Long = true
	var src strings.Builder
	src.WriteString(sameScript)
	src.WriteString("CASES = [\n")
	docs := make([]string, 0, n)
	for i := 0; i < n; i++ {
		var doc []byte
		switch {
		case i%1000 == 999:
			doc = g.Deep(95 + i/1000*20) // past maxDepth: json.loads(...)
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
		src.WriteString("    " + lit + ",\n")
		v, _ := value.Parse(doc)
		if strings.ToValidUTF8(string(doc), "") != string(doc) {
			doc = value.JSON{ASCII: true}.Append(nil, v) // what Go read
		}
		docs = append(docs, string(doc))
	}
	src.WriteString("]\n")
	src.WriteString(`
docs = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(docs) == len(CASES), (len(docs), len(CASES))
bad = [i for i, (lit, doc) in enumerate(zip(CASES, docs)) if not same(lit, json.loads(doc))]
for i in bad[:5]:
    print("case", i, "literal", ascii(CASES[i])[:300], "json", ascii(json.loads(docs[i]))[:300])
sys.exit(1 if bad else 0)
`)
	dir := t.TempDir()
	script := filepath.Join(dir, "cases.py")
	docsFile := filepath.Join(dir, "docs.json")
	os.WriteFile(script, []byte(src.String()), 0o644)
	js, _ := json.Marshal(docs)
	os.WriteFile(docsFile, js, 0o644)
	start := time.Now()
	out, err := exec.Command(py, script, docsFile).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", py, err, out)
	}
	t.Logf("%d literals checked by %s in %v", n, py, time.Since(start).Round(time.Millisecond))
}

func TestString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{`say "hi"`, `'say "hi"'`},
		{`it's "x"`, `'it\'s "x"'`},
		{"a\nb\x00\x7f\u0085", `"a\nb\x00\x7f\x85"`},
		{"\u2028\u00a0ü日本🚀", `"\u2028\xa0ü日本🚀"`},
		{"\xed\xa0\x80", `"\ud800"`},
		{"\U000e0001", `"\U000e0001"`},
		{`\N{BULLET} {x}`, `"\\N{BULLET} {x}"`},
	} {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{{"1E+5", "1e5"}, {"-1.5e-7", "-1.5e-7"}, {"12", "12"}} {
		if got := Number(tc.in); got != tc.want {
			t.Errorf("Number(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestLayoutIsBlackClean lays out random values at several indentations
// and checks that black leaves the file as it is.
func TestLayoutIsBlackClean(t *testing.T) {
	black := gradiotest.Black(t)
	g := valuetest.New(3)
	var src strings.Builder
	for i := 0; i < 3000; i++ {
		v, _ := value.Parse(g.Doc())
		if i > 0 {
			src.WriteString("\n\n")
		}
		switch i % 3 {
		case 0:
			style.Write(&src, 0, "x = ", node(v, hereDir), "")
		case 1:
			src.WriteString("def f():\n")
			call := &layout.List{Open: "client.predict(", Close: ")", Items: []layout.Node{
				layout.Seq{layout.Text("text="), node(v, hereDir)}, layout.Text(`api_name="/x"`)}}
			style.Write(&src, 1, "result = ", call, "")
		default:
			src.WriteString("def g():\n    if x:\n")
			assign(&src, 2, "expected", node(v, hereDir))
		}
	}
	// Strings around the line length, where black moves a value that does
	// not fit into parentheses.
	for n := 60; n < 100; n++ {
		src.WriteString("\n\ndef h():\n    if x:\n")
		assign(&src, 2, "expected", node(value.Value{Kind: value.String, Text: strings.Repeat("é", n/2) + strings.Repeat("日", n/4)}, hereDir))
		assign(&src, 2, "expected", node(value.Value{Kind: value.String, Text: strings.Repeat("a", n)}, hereDir))
	}
	checkBlack(t, black, src.String())
}

func checkBlack(t *testing.T, black []string, src string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "gen.py")
	os.WriteFile(f, []byte(src), 0o644)
	args := append(black[1:], "--check", "--diff", "--quiet", f)
	out, err := exec.Command(black[0], args...).CombinedOutput()
	if err != nil {
		d := string(out)
		if len(d) > 4000 {
			d = d[:4000]
		}
		t.Fatalf("black would reformat the code: %v\n%s", err, d)
	}
}
