package gradio

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

func TestApplyDiff(t *testing.T) {
	for _, tc := range []struct {
		name, prev, diff, want string
	}{
		{"no edits", `"abc"`, `[]`, `"abc"`},
		{"replace whole", `"abc"`, `[["replace", [], 5]]`, `5`},
		{"append string", `"ab"`, `[["append", [], "cd"]]`, `"abcd"`},
		{"append to null", `null`, `[["append", [], "x"]]`, `"x"`},
		{"append list", `[1]`, `[["append", [], [2, 3]]]`, `[1,2,3]`},
		{"replace list item", `[1,2,3]`, `[["replace", [1], 9]]`, `[1,9,3]`},
		{"add list tail", `[1,2]`, `[["add", [2], 3], ["add", [3], 4]]`, `[1,2,3,4]`},
		{"add list middle", `[1,3]`, `[["add", [1], 2]]`, `[1,2,3]`},
		{"delete list items", `[1,2,3,4]`, `[["delete", [3], null], ["delete", [2], null]]`, `[1,2]`},
		{"dict replace", `{"a":1,"b":2}`, `[["replace", ["a"], 5]]`, `{"a":5,"b":2}`},
		{"dict add", `{"a":1}`, `[["add", ["b"], 2]]`, `{"a":1,"b":2}`},
		{"dict delete", `{"a":1,"b":2}`, `[["delete", ["b"], null]]`, `{"a":1}`},
		{"nested append (chatbot)", `[{"role":"user","content":"hi"},{"role":"assistant","content":"He"}]`,
			`[["append", [1, "content"], "llo"]]`,
			`[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello"}]`},
		{"nested add message", `[["a","b"]]`, `[["add", [1], ["c", null]], ["replace", [0, 1], "B"]]`, `[["a","B"],["c",null]]`},
		{"deep dict", `{"x":{"y":{"z":"1"}}}`, `[["append", ["x","y","z"], "2"], ["add", ["x","w"], true]]`, `{"x":{"y":{"z":"12"},"w":true}}`},
		{"list in dict", `{"rows":[[1,2]]}`, `[["add", ["rows", 1], [3,4]], ["delete", ["rows", 0, 1], null]]`, `{"rows":[[1],[3,4]]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev := jsonValue(t, tc.prev)
			before, _ := json.Marshal(prev)
			got, err := ApplyDiff(prev, jsonValue(t, tc.diff))
			if err != nil {
				t.Fatal(err)
			}
			if want := jsonValue(t, tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			after, _ := json.Marshal(prev)
			if string(before) != string(after) {
				t.Errorf("the previous value changed from %s to %s", before, after)
			}
		})
	}
}

func TestApplyDiffErrors(t *testing.T) {
	for _, tc := range []struct{ name, prev, diff string }{
		{"not a list", `"a"`, `{"x":1}`},
		{"bad edit", `"a"`, `[["replace"]]`},
		{"unknown action", `[1]`, `[["frobnicate", [0], 1]]`},
		{"add without path", `[1]`, `[["add", [], 1]]`},
		{"index out of range", `[1]`, `[["replace", [5], 1]]`},
		{"string key on list", `[1]`, `[["replace", ["a"], 1]]`},
		{"number key on dict", `{"a":1}`, `[["replace", [0], 1]]`},
		{"index into scalar", `5`, `[["replace", [0], 1]]`},
		{"append number", `5`, `[["append", [], 1]]`},
		{"missing key mid-path", `{"a":1}`, `[["replace", ["b", "c"], 1]]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, err := ApplyDiff(jsonValue(t, tc.prev), jsonValue(t, tc.diff)); err == nil {
				t.Errorf("succeeded with %v", v)
			}
		})
	}
}

func TestApplyDiffsPerSlot(t *testing.T) {
	prev := []any{"a", []any{1.0}}
	got, err := applyDiffs(prev, []any{
		[]any{[]any{"append", []any{}, "b"}},
		[]any{},
		[]any{[]any{"replace", []any{}, "new"}}, // a slot that appeared mid-stream
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{"ab", []any{1.0}, "new"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func BenchmarkApplyDiffChatToken(b *testing.B) {
	history := make([]any, 50)
	for i := range history {
		history[i] = map[string]any{"role": "assistant", "content": strings.Repeat("word ", 40)}
	}
	diff := []any{[]any{"append", []any{49.0, "content"}, "next "}}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := ApplyDiff(history, diff); err != nil {
			b.Fatal(err)
		}
	}
}
