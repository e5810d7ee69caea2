package plan

import "testing"

func TestIdent(t *testing.T) {
	for in, want := range map[string]string{"s1": "s1", "tab 1": "tab_1", "1": "s1", "/calculate": "calculate", "__": "", "é": ""} {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	if got := Text("a\nb */ \u202e\"", 80); got != `a\nb * / \u202e"` {
		t.Errorf("Text = %s", got)
	}
	if got := Text("abcdef", 3); got != "abc…" {
		t.Errorf("Text = %s", got)
	}
}
