package replay

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
)

// decode decodes JSON with numbers as json.Number, as Run sees values.
func decode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func diffPaths(t *testing.T, want, got string, rules ...Rule) []string {
	t.Helper()
	for i := range rules {
		if err := rules[i].check(); err != nil {
			t.Fatal(err)
		}
	}
	c := &comparer{rules: rules, files: sameHash}
	c.compare("", decode(t, want), decode(t, got))
	var paths []string
	for _, d := range c.diffs {
		paths = append(paths, d.Path)
	}
	return paths
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name      string
		want, got string
		rules     []Rule
		diffs     []string
	}{
		{"equal", `[1, "a", {"k": [true, null]}]`, `[1, "a", {"k": [true, null]}]`, nil, nil},
		{"2 and 2.0", `[2]`, `[2.0]`, nil, nil},
		{"number", `[1, 2]`, `[1, 3]`, nil, []string{"/1"}},
		{"type", `["1"]`, `[1]`, nil, []string{"/0"}},
		{"missing key", `[{"a": 1, "b": 2}]`, `[{"a": 1}]`, nil, []string{"/0/b"}},
		{"extra key", `[{"a": 1}]`, `[{"a": 1, "c": 3}]`, nil, []string{"/0/c"}},
		{"length", `[[1, 2]]`, `[[1, 2, 3]]`, nil, []string{"/0"}},
		{"key with slash", `[{"a/b": 1}]`, `[{"a/b": 2}]`, nil, []string{"/0/a~1b"}},
		{"masked key", `[{"t": 1, "w": 2}]`, `[{"t": 9, "w": 2}]`, []Rule{{Path: "/0/t", Match: MatchIgnore}}, nil},
		{"mask keeps the rest", `[{"t": 1, "w": 2}]`, `[{"t": 9, "w": 3}]`, []Rule{{Path: "/0/t", Match: MatchIgnore}}, []string{"/0/w"}},
		{"masked missing key", `[{"t": 1}]`, `[{}]`, []Rule{{Path: "/0/t", Match: MatchIgnore}}, nil},
		{"mask prefix is not a parent", `[{"t": 1, "tt": 1}]`, `[{"t": 2, "tt": 2}]`, []Rule{{Path: "/0/t", Match: MatchIgnore}}, []string{"/0/tt"}},
		{"tolerance", `[1.0, 10.0]`, `[1.0005, 10.2]`, []Rule{{Match: MatchNumeric, Tolerance: 0.001}}, []string{"/1"}},
		{"relative", `[1000.0, 1.0]`, `[1001.0, 1.5]`, []Rule{{Match: MatchNumeric, Relative: 0.01}}, []string{"/1"}},
		{"deeper rule wins", `[1.0, 1.0]`, `[1.5, 1.5]`, []Rule{{Match: MatchNumeric, Tolerance: 1}, {Path: "/1", Match: MatchExact}}, []string{"/1"}},
		{"text", `["the cat sat on the mat"]`, `["the cat sat on a mat"]`, []Rule{{Match: MatchText, Similarity: 0.8}}, nil},
		{"text too far", `["the cat sat on the mat"]`, `["a dog"]`, []Rule{{Match: MatchText}}, []string{"/0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := diffPaths(t, tc.want, tc.got, tc.rules...); !slices.Equal(got, tc.diffs) {
				t.Errorf("diffs at %q, want %q", got, tc.diffs)
			}
		})
	}
}

func TestCompareFiles(t *testing.T) {
	want := []any{fileValue{name: "a.png", sha256: "aa"}}
	for _, tc := range []struct {
		got   any
		diffs int
	}{
		{[]any{fileValue{name: "b.png", sha256: "aa"}}, 0}, // same content, another name
		{[]any{fileValue{name: "a.png", sha256: "bb"}}, 1},
		{[]any{"a.png"}, 1},
	} {
		c := &comparer{files: sameHash}
		c.compare("", want, tc.got)
		if len(c.diffs) != tc.diffs {
			t.Errorf("%v: diffs %v, want %d", tc.got, c.diffs, tc.diffs)
		}
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"", "", 1}, {"abc", "abc", 1}, {"abc", "", 0}, {"kitten", "sitting", 1 - 3.0/7}, {"héllo", "hello", 0.8},
	} {
		if got := similarity(tc.a, tc.b); got != tc.want {
			t.Errorf("similarity(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestShowClipsLongValues(t *testing.T) {
	s := show(strings.Repeat("é", 500))
	if len(s) > maxShown+40 || !strings.Contains(s, "bytes)") {
		t.Errorf("show of a long string: %q", s)
	}
}

func TestParseRules(t *testing.T) {
	rules, err := ParseRules([]byte(`rules:
  - endpoint: predict
    path: /0/score
    match: numeric
    tolerance: 0.01
  - match: text
  - endpoint: /chat
    match: final
  - path: /updates
    match: ignore
`))
	if err != nil {
		t.Fatal(err)
	}
	if rules[0].Endpoint != "/predict" || rules[1].Similarity != DefaultSimilarity ||
		rules[2].Match != MatchFinal || rules[3] != (Rule{Match: MatchFinal}) {
		t.Errorf("rules %+v", rules)
	}
	for _, tc := range []struct{ doc, msg string }{
		{"rules:\n  - match: fuzzy\n", `unknown match "fuzzy"`},
		{"rules:\n  - path: /0\n", "no match given"},
		{"rules:\n  - match: exact\n    path: 0/a\n", "not a JSON Pointer"},
		{"rules:\n  - match: text\n    similarity: 2\n", "not between 0 and 1"},
		{"rules:\n  - match: numeric\n    tolerance: -1\n", "cannot be negative"},
		{"rules:\n  - match: exact\n    tolerence: 1\n", "tolerence"},
		{"rules:\n  - match: final\n    path: /0\n", "remove path"},
	} {
		if _, err := ParseRules([]byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: error %v, want one saying %q", tc.doc, err, tc.msg)
		}
	}
}

func TestReportWriters(t *testing.T) {
	rep := &Report{URL: "http://app", Outcome: Mismatch, Drift: []Drift{{Endpoint: "/a", Kind: DriftParamRemoved, Detail: `"x" is gone`}},
		Calls: []CallResult{
			{ID: 1, Session: "s1", Endpoint: "/a", Status: Passed},
			{ID: 2, Session: "s1", Endpoint: "/b", Status: Failed, Diffs: []Diff{{Path: "/0", Want: "1", Got: "2"}}},
			{ID: 3, Session: "s1", Endpoint: "/c", Status: Skipped, Reason: "cancelled during the recording"},
			{ID: 4, Session: "s2", Endpoint: "/d", Status: Errored, Err: "connection refused <&>"},
		}}
	var text bytes.Buffer
	rep.WriteText(&text, Plain, false)
	for _, want := range []string{"FAIL  call 2 /b", "/0: want 1, got 2", "ERROR call 4 /d", `/a: parameter removed: "x" is gone`, "MISMATCH: 1 passed, 1 failed, 1 errors, 1 skipped"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "call 1") || strings.Contains(text.String(), "\x1b[") {
		t.Errorf("plain report without all shows a passed call or colours:\n%s", text.String())
	}
	var junit bytes.Buffer
	if err := rep.WriteJUnit(&junit, "session"); err != nil {
		t.Fatal(err)
	}
	var suites junitSuites
	if err := xml.Unmarshal(junit.Bytes(), &suites); err != nil {
		t.Fatalf("JUnit output does not parse: %v\n%s", err, junit.String())
	}
	s := suites.Suites[0]
	if s.Tests != 5 || s.Failures != 2 || s.Errors != 1 || s.Skipped != 1 {
		t.Errorf("JUnit counts tests=%d failures=%d errors=%d skipped=%d, want 5 2 1 1", s.Tests, s.Failures, s.Errors, s.Skipped)
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Outcome != Mismatch || len(back.Calls) != 4 || back.Calls[1].Diffs[0].Got != "2" {
		t.Errorf("JSON report does not round-trip (%v): %s", err, js.String())
	}
	for outcome, code := range map[Outcome]int{Pass: 0, Mismatch: 1, DriftFound: 3, Unreachable: 4} {
		if got := (&Report{Outcome: outcome}).ExitCode(); got != code {
			t.Errorf("exit code of %s: %d, want %d", outcome, got, code)
		}
	}
}
