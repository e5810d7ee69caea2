package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

// TestChatSession runs the harness on chat_tone.py (a ChatInterface with an
// additional input) on the default Gradio version: the API Recorder, started
// from the page's own button, records the page's calls of both turns, one
// client.predict each in its Python snippet, and has a snippet in every
// language that starts with the first call; gradiorec recorded the same calls, and its intent script makes
// two calls, is shorter than the API Recorder's Python snippet and runs,
// printing the replies, in every language.
func TestChatSession(t *testing.T) {
	_, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	root := gradiotest.Root(t)
	app := gradiotest.Start(t, "chat_tone")
	b, err := recorder.NewBrowser(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	script, err := LoadSteps(root, "chat_tone")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Record(t.Context(), b, app.URL, "chat_tone", script)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(s.Snippets[codegen.Python], "client.predict("); s.Recorded != len(s.Recording.Calls) || n != s.Recorded {
		t.Errorf("the API Recorder counts %d calls and its Python snippet makes %d; gradiorec recorded %d", s.Recorded, n, len(s.Recording.Calls))
	}
	first := s.Recording.Calls[0].APIName
	for _, l := range langs {
		if !strings.Contains(s.Snippets[l.lang], first) {
			t.Errorf("the %s snippet does not name the first call's endpoint %s:\n%s", l.tab, first, s.Snippets[l.lang])
		}
	}
	row, err := Tools{Root: root, Python: gradiotest.Python(t, gradiotest.DefaultVersion)}.Compare(t.Context(), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if row.Trace != len(s.Recording.Calls) || row.Intent != 2 {
		t.Errorf("trace %d calls, intent %d; want %d and 2", row.Trace, row.Intent, len(s.Recording.Calls))
	}
	if row.Ours[codegen.Python] >= row.Lines[codegen.Python] {
		t.Errorf("the intent script has %d lines, the API Recorder's snippet %d:\n%s", row.Ours[codegen.Python], row.Lines[codegen.Python], row.Code[codegen.Python])
	}
	for _, l := range langs {
		if row.Runs[l.lang].Output == "" && !row.Runs[l.lang].OK {
			t.Errorf("the %s snippet failed without a word", l.tab)
		}
		if r := row.OursRuns[l.lang]; !r.OK || !strings.Contains(strings.ToLower(r.Output), "you said: ") {
			t.Errorf("gradiorec's %s intent script did not run, or printed no reply:\n%s\n%s", l.tab, row.Code[l.lang], r.Output)
		}
	}
	var table strings.Builder
	WriteTable(&table, []*Row{row})
	if want := fmt.Sprintf("\n| chat_tone | %d | ", s.Recorded); !strings.Contains(table.String(), want) {
		t.Errorf("the table has no row %q:\n%s", want, table.String())
	}
}

// TestLines counts code, not blank lines, comments or docstrings.
func TestLines(t *testing.T) {
	for _, tc := range []struct {
		lang codegen.Lang
		code string
		want int
	}{
		{codegen.Python, "\"\"\"Doc\n\nmore.\n\"\"\"\n\nimport os\n\n\ndef f():\n    \"\"\"One line.\"\"\"\n    # a comment\n    return 1\n", 3},
		{codegen.JavaScript, "// a\n/* b\n * c\n */\nconst x = 1;\n\nconsole.log(x);\n", 2},
		{codegen.Curl, "#!/usr/bin/env bash\n# says\nset -e\n\ncurl -s x\n", 2},
	} {
		if got := Lines(tc.lang, tc.code); got != tc.want {
			t.Errorf("%s: %d lines, want %d:\n%s", tc.lang, got, tc.want, tc.code)
		}
	}
}

// TestReproduces compares a Python snippet's results with the recording:
// call by call, one output unwrapped as gradio_client returns it, files by
// hash, masked parts ignored.
func TestReproduces(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	rec := &recording.Recording{
		Calls: []recording.Call{
			{ID: 1, APIName: "/a", Outputs: []json.RawMessage{raw(`"x"`)}},
			{ID: 2, APIName: "/b", Outputs: []json.RawMessage{raw(`{"t": 5, "n": 1}`), raw(`2`)}},
			{ID: 3, APIName: "/f", Outputs: []json.RawMessage{raw(`{"path": "/tmp/a.txt", "meta": {"_type": "gradio.FileData"}, "fixture": "a.txt"}`)}},
		},
		Files: []recording.File{{Name: "a.txt", SHA256: "abc"}},
	}
	masks := []recording.Mask{{Endpoint: "/b", Path: "/0/t"}}
	for _, tc := range []struct {
		results string
		want    bool
	}{
		{`["x", [{"t": 9, "n": 1}, 2], {"sha256": "abc"}]`, true},
		{`["x", [{"t": 9, "n": 2}, 2], {"sha256": "abc"}]`, false},
		{`["x", [{"t": 9, "n": 1}, 2], {"sha256": "abd"}]`, false},
		{`["x", [{"t": 9, "n": 1}, 2]]`, false},
		{`not json`, false},
	} {
		if got, why := Reproduces(rec, []byte(tc.results), masks); got != tc.want {
			t.Errorf("%s: %v (%s), want %v", tc.results, got, why, tc.want)
		}
	}
}
