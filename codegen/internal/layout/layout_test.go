package layout

import "testing"

func TestWrite(t *testing.T) {
	s := Style{Indent: "  ", Max: 20}
	call := &List{Open: "f(", Close: ")", Items: []Node{
		Text("1"),
		Seq{Text("k="), &List{Open: "[", Close: "]", Items: []Node{Text(`"aaaaaaaa"`), Text(`"bbbbbbbb"`)}}},
	}}
	got := s.String(call)
	want := "f(\n  1,\n  k=[\n    \"aaaaaaaa\",\n    \"bbbbbbbb\",\n  ],\n)"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := s.String(&List{Open: "{", Close: "}", FlatOpen: "{ ", FlatClose: " }", Items: []Node{Text("a: 1")}}); got != "{ a: 1 }" {
		t.Errorf("flat object: %s", got)
	}
	if got := s.String(&List{Open: "[", Close: "]"}); got != "[]" {
		t.Errorf("empty list: %s", got)
	}
	if got := s.String(Text("a very long text that cannot be split")); got != "a very long text that cannot be split" {
		t.Errorf("text: %s", got)
	}
	last := &List{Open: "(", Close: ")", NoTrailingComma: true, Items: []Node{Text("aaaaaaaaaaaa"), Text("bbbbbbbbbbbb")}}
	if got := s.String(last); got != "(\n  aaaaaaaaaaaa,\n  bbbbbbbbbbbb\n)" {
		t.Errorf("no trailing comma: %q", got)
	}
}
