package value_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/codegen/internal/value/valuetest"
)

// goView converts v to what encoding/json decodes the same text into (with
// UseNumber): the oracle Parse is checked against.
func goView(v value.Value) any {
	switch v.Kind {
	case value.Bool:
		return v.Bool
	case value.Number:
		return json.Number(v.Text)
	case value.String:
		return value.Go(v.Text)
	case value.Array:
		out := make([]any, len(v.Items))
		for i, it := range v.Items {
			out[i] = goView(it)
		}
		return out
	case value.Object:
		out := make(map[string]any, len(v.Fields))
		for _, f := range v.Fields {
			out[value.Go(f.Key)] = goView(f.Value)
		}
		return out
	}
	return nil
}

func decodeStd(t *testing.T, doc []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("encoding/json rejects %q: %v", doc, err)
	}
	return want
}

// TestParseAgreesWithEncodingJSON checks Parse against encoding/json on
// random documents, invalid UTF-8 included.
func TestParseAgreesWithEncodingJSON(t *testing.T) {
	g := valuetest.New(1)
	g.Invalid = true
	for i := 0; i < 20000; i++ {
		doc := g.Doc()
		v, err := value.Parse(doc)
		if err != nil {
			t.Fatalf("Parse(%q): %v", doc, err)
		}
		if got, want := goView(v), decodeStd(t, doc); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%q)\n got %#v\nwant %#v", doc, got, want)
		}
		// Writing and reading again gives the same tree.
		for _, w := range []value.JSON{{}, {ASCII: true}, {Spaced: true}} {
			text := w.Append(nil, v)
			v2, err := value.Parse(text)
			if err != nil {
				t.Fatalf("Parse(%q) of written %q: %v", text, doc, err)
			}
			if !reflect.DeepEqual(v, v2) {
				t.Fatalf("write/read changed %q: %q", doc, text)
			}
			if w.ASCII && bytes.ContainsFunc(text, func(r rune) bool { return r >= 0x80 }) {
				t.Fatalf("ASCII output %q has non-ASCII", text)
			}
		}
	}
}

func TestParseKeepsSurrogatesAndNumbers(t *testing.T) {
	v, err := value.Parse([]byte(`{"a":"\ud800x\ud83d\ude00","b":[-0.0,1e400,18446744073709551616],"a":2}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Fields) != 2 || v.Fields[0].Key != "a" || v.Fields[0].Value.Text != "2" {
		t.Fatalf("repeated key: %+v", v.Fields)
	}
	s, _ := value.Parse([]byte(`"\ud800x\ud83d\ude00"`))
	r, n := value.DecodeRune(s.Text)
	if r != 0xD800 || n != 3 {
		t.Fatalf("DecodeRune = %U, %d", r, n)
	}
	if got := value.Go(s.Text); got != "\ufffdx😀" {
		t.Fatalf("Go = %q", got)
	}
	nums, _ := v.Get("b")
	var texts []string
	for _, it := range nums.Items {
		texts = append(texts, it.Text)
	}
	if got := strings.Join(texts, " "); got != "-0.0 1e400 18446744073709551616" {
		t.Fatalf("numbers = %s", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, doc := range []string{`{`, `[1,]`, `{"a" 1}`, `"\x01"`, `"\q"`, `01`, `1.`, `-`, `1e`, `tru`, `[1] 2`, `"\ud8"`, ` `} {
		if _, err := value.Parse([]byte(doc)); err == nil {
			t.Errorf("Parse(%q) succeeded", doc)
		}
		if json.Valid([]byte(doc)) {
			t.Errorf("encoding/json accepts %q", doc)
		}
	}
	if v, err := value.Parse(nil); err != nil || v.Kind != value.Null {
		t.Errorf("Parse(nil) = %v, %v", v, err)
	}
}

func FuzzParse(f *testing.F) {
	g := valuetest.New(7)
	g.Invalid = true
	for i := 0; i < 20; i++ {
		f.Add(g.Doc())
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		v, err := value.Parse(doc)
		if (err == nil) != json.Valid(doc) {
			if len(doc) > 0 || err != nil {
				t.Fatalf("Parse(%q) error %v, json.Valid %v", doc, err, json.Valid(doc))
			}
		}
		if err != nil || len(doc) == 0 {
			return
		}
		if got, want := goView(v), decodeStd(t, doc); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%q)\n got %#v\nwant %#v", doc, got, want)
		}
	})
}
