package curl

import (
	"bytes"
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

// TestLiteralRoundTrip has bash print random JSON bodies quoted by Literal
// and checks the bytes; then Python checks that each printed body reads as
// the original document, and that PythonJSON is json.dumps of it.
func TestLiteralRoundTrip(t *testing.T) {
	bash, err := exec.LookPath("bash")
	gradiotest.Need(t, "bash", err)
	py := python(t)
	const n = 12000
	g := valuetest.New(45)
	g.Long = true
	var script strings.Builder
	var want [][]byte
	type pycase struct{ Body, Doc, Dumps string }
	cases := make([]pycase, 0, n)
	for i := 0; i < n; i++ {
		g.Invalid = i%10 == 9
		doc := g.Doc()
		lit, err := Literal(doc)
		if err != nil {
			t.Fatal(err)
		}
		script.WriteString("printf '%s\\0' " + lit + "\n")
		v, _ := value.Parse(doc)
		body := value.JSON{}.String(v)
		want = append(want, []byte(body))
		if g.Invalid {
			doc = value.JSON{ASCII: true}.Append(nil, v)
		}
		dumps, err := PythonJSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, pycase{body, string(doc), dumps})
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "words.sh"), []byte(script.String()), 0o644)
	start := time.Now()
	out, err := exec.Command(bash, filepath.Join(dir, "words.sh")).Output()
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	got := bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0})
	if len(got) != n {
		t.Fatalf("bash printed %d words, want %d", len(got), n)
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("case %d: bash read %q, want %q", i, got[i], want[i])
		}
	}
	js, _ := json.Marshal(cases)
	os.WriteFile(filepath.Join(dir, "cases.json"), js, 0o644)
	check := `
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

bad = 0
for i, c in enumerate(json.load(open(sys.argv[1], encoding="utf-8"))):
    doc = json.loads(c["Doc"])
    if not same(json.loads(c["Body"]), doc):
        bad += 1
        print("body", i, ascii(c["Body"])[:200], ascii(c["Doc"])[:200])
    if json.dumps(doc) != c["Dumps"]:
        bad += 1
        print("dumps", i, ascii(json.dumps(doc))[:200], ascii(c["Dumps"])[:200])
    if bad > 5:
        break
sys.exit(1 if bad else 0)
`
	os.WriteFile(filepath.Join(dir, "check.py"), []byte(check), 0o644)
	if out, err := exec.Command(py, filepath.Join(dir, "check.py"), filepath.Join(dir, "cases.json")).CombinedOutput(); err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	t.Logf("%d bodies checked by bash and python in %v", n, time.Since(start).Round(time.Millisecond))
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"": "''", "abc": "abc", "a b": "'a b'", "it's": `'it'\''s'`, "$HOME `x` \\ \n": "'$HOME `x` \\ \n'",
		"http://127.0.0.1:7860/gradio_api": "http://127.0.0.1:7860/gradio_api", "!": "'!'",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPythonFloat(t *testing.T) {
	for in, want := range map[string]string{
		"1e16": "1e+16", "1e15": "1000000000000000.0", "0.0001": "0.0001", "1e-5": "1e-05",
		"123456789012345678": "123456789012345678", "1.5e300": "1.5e+300", "-0.0": "-0.0", "-0": "0",
		"1e400": "Infinity", "2.5": "2.5", "100.0": "100.0", "5e-324": "5e-324", "0.1e1": "1.0",
	} {
		if got := string(appendPyNumber(nil, in)); got != want {
			t.Errorf("pyNumber(%s) = %s, want %s", in, got, want)
		}
	}
}
