package recorder

import (
	"testing"

	"github.com/gradiorec/gradiorec/gradio"
)

// The recorder applies generator diffs with gradio.ApplyDiff; these cases
// check it on values as the recorder decodes them.
func TestApplyDiff(t *testing.T) {
	for _, tc := range []struct {
		name, prev, diff, want string
	}{
		{"no edits", `"abc"`, `[]`, `"abc"`},
		{"replace whole", `"a"`, `[["replace", [], 5]]`, `5`},
		{"append string", `"stream"`, `[["append", [], " me"]]`, `"stream me"`},
		{"append to null", `null`, `[["append", [], "x"]]`, `"x"`},
		{"append in list", `[["hi", "You"]]`, `[["append", [0, 1], " said:"]]`, `[["hi","You said:"]]`},
		{"add to list end", `[1, 2]`, `[["add", [2], 3]]`, `[1,2,3]`},
		{"add to list middle", `[1, 3]`, `[["add", [1], 2]]`, `[1,2,3]`},
		{"delete tail", `[1, 2, 3]`, `[["delete", [2], null], ["delete", [1], null]]`, `[1]`},
		{"replace key", `{"a": 1, "b": 2}`, `[["replace", ["b"], 3]]`, `{"a":1,"b":3}`},
		{"add key", `{"a": 1}`, `[["add", ["c"], {"d": [1]}]]`, `{"a":1,"c":{"d":[1]}}`},
		{"delete key", `{"a": 1, "b": 2}`, `[["delete", ["a"], null]]`, `{"b":2}`},
		{"nested chat message", `[{"role": "assistant", "content": "You"}]`,
			`[["append", [0, "content"], " said:"], ["add", [1], {"role": "user", "content": "x"}]]`,
			`[{"content":"You said:","role":"assistant"},{"content":"x","role":"user"}]`},
		{"big number kept", `0`, `[["replace", [], 12345678901234567890]]`, `12345678901234567890`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev := mustDecode(t, tc.prev)
			prevCopy := string(encodeValue(prev))
			got, err := gradio.ApplyDiff(prev, mustDecode(t, tc.diff))
			if err != nil {
				t.Fatal(err)
			}
			if s := string(encodeValue(got)); s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
			if s := string(encodeValue(prev)); s != prevCopy {
				t.Errorf("prev changed from %s to %s", prevCopy, s)
			}
		})
	}
}

func TestApplyDiffErrors(t *testing.T) {
	for _, tc := range []struct{ prev, diff string }{
		{`"a"`, `"not a list"`},
		{`"a"`, `[["replace"]]`},
		{`"a"`, `[[1, [], 2]]`},
		{`"a"`, `[["frobnicate", [], 2]]`},
		{`"a"`, `[["add", [], 2]]`},
		{`[1]`, `[["replace", [5], 2]]`},
		{`[1]`, `[["delete", [1], null]]`},
		{`[1]`, `[["replace", ["x"], 2]]`},
		{`{"a": 1}`, `[["replace", [0], 2]]`},
		{`{"a": 1}`, `[["replace", ["b", "c"], 2]]`},
		{`5`, `[["append", [], "x"]]`},
		{`5`, `[["replace", [0], 1]]`},
	} {
		if got, err := gradio.ApplyDiff(mustDecode(t, tc.prev), mustDecode(t, tc.diff)); err == nil {
			t.Errorf("gradio.ApplyDiff(%s, %s) = %v, want an error", tc.prev, tc.diff, got)
		}
	}
}

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	v, err := decodeValue([]byte(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}
