package steps

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// stepsDir makes a folder with a steps file's fixtures and returns it.
func stepsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fixtures"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fixtures/cat.png", "fixtures/a.txt", "fixtures/b.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestParse(t *testing.T) {
	dir := stepsDir(t)
	t.Setenv("GRADIOREC_TEST_SECRET", "hunter2")
	t.Setenv("GRADIOREC_TEST_EMPTY", "")
	d := DefaultTimeout
	tests := []struct {
		name string
		in   string
		want Script
	}{
		{"fill", "steps:\n  - fill: Input text\n    value: hello\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "Input text"}, Text: "hello", Timeout: d,
				source: `fill: Input text (value "hello")`}}},
		{"fill keeps a number's text", "steps:\n  - fill: Code\n    value: 007\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "Code"}, Text: "007", Timeout: d,
				source: `fill: Code (value "007")`}}},
		{"fill with nothing", "steps:\n  - fill: Notes\n    value: \"\"\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "Notes"}, Timeout: d, source: `fill: Notes (value "")`}}},
		{"select one", "steps:\n  - select: Operation\n    value: add\n",
			Script{{N: 1, Line: 2, Verb: Select, Target: Locator{Value: "Operation"}, Choices: []string{"add"}, Timeout: d,
				source: `select: Operation (value "add")`}}},
		{"select many", "steps:\n  - select: Letters\n    value: [a, c]\n",
			Script{{N: 1, Line: 2, Verb: Select, Target: Locator{Value: "Letters"}, Choices: []string{"a", "c"}, Timeout: d,
				source: `select: Letters (value [a, c])`}}},
		{"select none", "steps:\n  - select: Letters\n    value: []\n",
			Script{{N: 1, Line: 2, Verb: Select, Target: Locator{Value: "Letters"}, Choices: []string{}, Timeout: d,
				source: `select: Letters (value [])`}}},
		{"set", "steps:\n  - set: Steps\n    value: 5\n",
			Script{{N: 1, Line: 2, Verb: Set, Target: Locator{Value: "Steps"}, Text: "5", Timeout: d, source: `set: Steps (value "5")`}}},
		{"set a float", "steps:\n  - set: Ratio\n    value: -0.25\n",
			Script{{N: 1, Line: 2, Verb: Set, Target: Locator{Value: "Ratio"}, Text: "-0.25", Timeout: d, source: `set: Ratio (value "-0.25")`}}},
		{"set a quoted number", "steps:\n  - set: Ratio\n    value: \"1e3\"\n",
			Script{{N: 1, Line: 2, Verb: Set, Target: Locator{Value: "Ratio"}, Text: "1e3", Timeout: d, source: `set: Ratio (value "1e3")`}}},
		{"check", "steps:\n  - check: Enable\n    value: true\n",
			Script{{N: 1, Line: 2, Verb: Check, Target: Locator{Value: "Enable"}, Checked: true, Timeout: d, source: `check: Enable (value "true")`}}},
		{"check without a value ticks", "steps:\n  - check: Enable\n",
			Script{{N: 1, Line: 2, Verb: Check, Target: Locator{Value: "Enable"}, Checked: true, Timeout: d, source: `check: Enable`}}},
		{"uncheck", "steps:\n  - check: Enable\n    value: false\n",
			Script{{N: 1, Line: 2, Verb: Check, Target: Locator{Value: "Enable"}, Timeout: d, source: `check: Enable (value "false")`}}},
		{"upload", "steps:\n  - upload: Image\n    value: fixtures/cat.png\n",
			Script{{N: 1, Line: 2, Verb: Upload, Target: Locator{Value: "Image"}, Files: []string{filepath.Join(dir, "fixtures", "cat.png")},
				Timeout: d, source: `upload: Image (value "fixtures/cat.png")`}}},
		{"upload several", "steps:\n  - upload: Files\n    value: [fixtures/a.txt, fixtures/b.txt]\n",
			Script{{N: 1, Line: 2, Verb: Upload, Target: Locator{Value: "Files"},
				Files:   []string{filepath.Join(dir, "fixtures", "a.txt"), filepath.Join(dir, "fixtures", "b.txt")},
				Timeout: d, source: `upload: Files (value [fixtures/a.txt, fixtures/b.txt])`}}},
		{"upload an absolute path", "steps:\n  - upload: Image\n    value: " + filepath.Join(dir, "fixtures", "cat.png") + "\n",
			Script{{N: 1, Line: 2, Verb: Upload, Target: Locator{Value: "Image"}, Files: []string{filepath.Join(dir, "fixtures", "cat.png")},
				Timeout: d, source: `upload: Image (value ` + shortQuote(filepath.Join(dir, "fixtures", "cat.png")) + `)`}}},
		{"click", "steps:\n  - click: Submit\n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Value: "Submit"}, Timeout: d, Idle: true, source: "click: Submit"}}},
		{"click without waiting", "steps:\n  - click: Start\n    idle: false\n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Value: "Start"}, Timeout: d, source: "click: Start"}}},
		{"fill and wait", "steps:\n  - fill: Name\n    value: x\n    idle: true\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "Name"}, Text: "x", Timeout: d, Idle: true, source: `fill: Name (value "x")`}}},
		{"submit", "steps:\n  - submit: Message\n    value: hi there\n",
			Script{{N: 1, Line: 2, Verb: Submit, Target: Locator{Value: "Message"}, Text: "hi there", Timeout: d, Idle: true,
				source: `submit: Message (value "hi there")`}}},
		{"press", "steps:\n  - press: Enter\n",
			Script{{N: 1, Line: 2, Verb: Press, Text: "Enter", Timeout: d, Idle: true, source: "press: Enter"}}},
		{"press a chord", "steps:\n  - press: shift+tab\n",
			Script{{N: 1, Line: 2, Verb: Press, Text: "Shift+Tab", Timeout: d, Idle: true, source: "press: shift+tab"}}},
		{"press a character", "steps:\n  - press: ctrl+a\n",
			Script{{N: 1, Line: 2, Verb: Press, Text: "Control+a", Timeout: d, Idle: true, source: "press: ctrl+a"}}},
		{"press space", "steps:\n  - press: Space\n",
			Script{{N: 1, Line: 2, Verb: Press, Text: "Space", Timeout: d, Idle: true, source: "press: Space"}}},
		{"press plus", "steps:\n  - press: Shift++\n",
			Script{{N: 1, Line: 2, Verb: Press, Text: "Shift++", Timeout: d, Idle: true, source: "press: Shift++"}}},
		{"wait idle", "steps:\n  - wait: idle\n",
			Script{{N: 1, Line: 2, Verb: Wait, Timeout: d, source: "wait: idle"}}},
		{"wait a while", "steps:\n  - wait: 1.5s\n",
			Script{{N: 1, Line: 2, Verb: Wait, Delay: 1500 * time.Millisecond, Timeout: d, source: "wait: 1.5s"}}},
		{"wait for text", "steps:\n  - wait: \"text=Done\"\n",
			Script{{N: 1, Line: 2, Verb: Wait, Target: Locator{Kind: ByText, Value: "Done"}, Timeout: d, source: "wait: text=Done"}}},
		{"wait for a component", "steps:\n  - wait: id=result\n",
			Script{{N: 1, Line: 2, Verb: Wait, Target: Locator{Kind: ByID, Value: "result"}, Timeout: d, source: "wait: id=result"}}},
		{"wait for a value", "steps:\n  - wait: result\n    value: 7\n",
			Script{{N: 1, Line: 2, Verb: Wait, Target: Locator{Value: "result"}, Text: "7", Expect: true, Timeout: d,
				source: `wait: result (value "7")`}}},

		// Target kinds.
		{"label", "steps:\n  - fill: label=Name\n    value: x\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Kind: ByLabel, Value: "Name"}, Text: "x", Timeout: d, source: `fill: label=Name (value "x")`}}},
		{"text", "steps:\n  - click: text=Clear\n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Kind: ByText, Value: "Clear"}, Timeout: d, Idle: true, source: "click: text=Clear"}}},
		{"placeholder", "steps:\n  - submit: placeholder=Type a message...\n    value: hi\n",
			Script{{N: 1, Line: 2, Verb: Submit, Target: Locator{Kind: ByPlaceholder, Value: "Type a message..."}, Text: "hi", Timeout: d, Idle: true,
				source: `submit: placeholder=Type a message... (value "hi")`}}},
		{"id", "steps:\n  - click: id=go\n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Kind: ByID, Value: "go"}, Timeout: d, Idle: true, source: "click: id=go"}}},
		{"css", "steps:\n  - click: 'css=button[aria-label=\"Clear\"]'\n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Kind: ByCSS, Value: `button[aria-label="Clear"]`}, Timeout: d, Idle: true,
				source: `click: css=button[aria-label="Clear"]`}}},
		{"an unknown kind is part of the text", "steps:\n  - click: a=b\n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Value: "a=b"}, Timeout: d, Idle: true, source: "click: a=b"}}},
		{"space around the kind", "steps:\n  - click: text = Go \n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Kind: ByText, Value: "Go"}, Timeout: d, Idle: true, source: "click: text = Go"}}},

		// The file.
		{"timeouts", "timeout: 1m\nsteps:\n  - click: A\n  - click: B\n    timeout: 5s\n",
			Script{
				{N: 1, Line: 3, Verb: Click, Target: Locator{Value: "A"}, Timeout: time.Minute, Idle: true, source: "click: A"},
				{N: 2, Line: 4, Verb: Click, Target: Locator{Value: "B"}, Timeout: 5 * time.Second, Idle: true, source: "click: B"},
			}},
		{"a bare list", "- click: A\n- press: Tab\n",
			Script{
				{N: 1, Line: 1, Verb: Click, Target: Locator{Value: "A"}, Timeout: d, Idle: true, source: "click: A"},
				{N: 2, Line: 2, Verb: Press, Text: "Tab", Timeout: d, Idle: true, source: "press: Tab"},
			}},
		{"JSON", "{\n\t\"timeout\": \"10s\",\n\t\"steps\": [\n\t\t{\"fill\": \"Name\", \"value\": \"Ada\"},\n\t\t{\"set\": \"Age\", \"value\": 36},\n\t\t{\"check\": \"Ok\", \"value\": false}\n\t]\n}\n",
			Script{
				{N: 1, Line: 4, Verb: Fill, Target: Locator{Value: "Name"}, Text: "Ada", Timeout: 10 * time.Second, source: `fill: Name (value "Ada")`},
				{N: 2, Line: 5, Verb: Set, Target: Locator{Value: "Age"}, Text: "36", Timeout: 10 * time.Second, source: `set: Age (value "36")`},
				{N: 3, Line: 6, Verb: Check, Target: Locator{Value: "Ok"}, Timeout: 10 * time.Second, source: `check: Ok (value "false")`},
			}},

		// The environment.
		{"a variable", "steps:\n  - fill: password\n    value: ${GRADIOREC_TEST_SECRET}\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "password"}, Text: "hunter2", Timeout: d,
				source: `fill: password (value "${GRADIOREC_TEST_SECRET}")`}}},
		{"a default", "steps:\n  - fill: user\n    value: ${GRADIOREC_TEST_UNSET:-admin}\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "user"}, Text: "admin", Timeout: d,
				source: `fill: user (value "${GRADIOREC_TEST_UNSET:-admin}")`}}},
		{"an empty variable takes the default", "steps:\n  - fill: user\n    value: ${GRADIOREC_TEST_EMPTY:-admin}\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "user"}, Text: "admin", Timeout: d,
				source: `fill: user (value "${GRADIOREC_TEST_EMPTY:-admin}")`}}},
		{"dollars", "steps:\n  - fill: price\n    value: $$5 and $x\n",
			Script{{N: 1, Line: 2, Verb: Fill, Target: Locator{Value: "price"}, Text: "$5 and $x", Timeout: d,
				source: `fill: price (value "$$5 and $x")`}}},
		{"a variable in a target", "steps:\n  - click: ${GRADIOREC_TEST_SECRET}\n",
			Script{{N: 1, Line: 2, Verb: Click, Target: Locator{Value: "hunter2"}, Timeout: d, Idle: true, source: "click: ${GRADIOREC_TEST_SECRET}"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(filepath.Join(dir, "steps.yaml"), []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	dir := stepsDir(t)
	tests := []struct {
		name, in string
		want     []string // the error's lines
	}{
		{"empty file", "", []string{`steps.yaml: no steps`}},
		{"not YAML", "steps:\n  - click: [\n", []string{`steps.yaml:2: not YAML or JSON: did not find expected node content`}},
		{"not a list", "steps: click\n", []string{`steps.yaml:1: steps must be a list, got the text "click"`}},
		{"a scalar file", "click\n", []string{`steps.yaml:1: want a list of steps under "steps:", got the text "click"`}},
		{"no steps key", "timeout: 5s\n", []string{`steps.yaml:1: no steps: the file needs a list under "steps:"`}},
		{"empty list", "steps: []\n", []string{`steps.yaml:1: no steps: the list is empty`}},
		{"unknown top-level key", "step:\n  - click: A\n", []string{
			`steps.yaml:1: unknown key "step" (did you mean "steps"?) (want steps or timeout)`,
			`steps.yaml:1: no steps: the file needs a list under "steps:"`}},
		{"bad file timeout", "timeout: soon\nsteps:\n  - click: A\n", []string{
			`steps.yaml:1: timeout must be a positive duration such as 30s or 2m, got the text "soon"`}},
		{"file timeout without unit", "timeout: 30\nsteps:\n  - click: A\n", []string{
			`steps.yaml:1: timeout 30: give the duration a unit, e.g. 30s`}},
		{"step not a mapping", "steps:\n  - click\n", []string{
			`steps.yaml:2: step 1: want an action such as "click: Submit", got the text "click"`}},
		{"unknown action", "steps:\n  - clik: Submit\n", []string{
			`steps.yaml:2: step 1: unknown key "clik" (did you mean "click"?) (want an action: fill, select, set, check, upload, click, submit, press, wait; or value, timeout, idle)`,
			`steps.yaml:2: step 1: no action (want one of fill, select, set, check, upload, click, submit, press, wait)`}},
		{"unknown key", "steps:\n  - fill: A\n    vale: x\n", []string{
			`steps.yaml:3: step 1: unknown key "vale" (did you mean "value"?) (want an action: fill, select, set, check, upload, click, submit, press, wait; or value, timeout, idle)`,
			`steps.yaml:2: step 1: fill A: missing value (want the text to type)`}},
		{"two actions", "steps:\n  - click: A\n    fill: B\n", []string{
			`steps.yaml:3: step 1: two actions in one step: click and fill (start each step with "- ")`}},
		{"no action", "steps:\n  - value: x\n", []string{
			`steps.yaml:2: step 1: no action (want one of fill, select, set, check, upload, click, submit, press, wait)`}},
		{"value twice", "steps:\n  - fill: A\n    value: x\n    value: y\n", []string{
			`steps.yaml:4: step 1: value given twice`}},
		{"empty target", "steps:\n  - click:\n", []string{`steps.yaml:2: step 1: click needs a target, e.g. "click: Submit"`}},
		{"blank target", "steps:\n  - fill: \"  \"\n    value: x\n", []string{`steps.yaml:2: step 1: fill needs a target, e.g. "fill: Label"`}},
		{"list target", "steps:\n  - click: [A, B]\n", []string{`steps.yaml:2: step 1: click: want text, got a list`}},
		{"empty kind", "steps:\n  - click: id=\n", []string{`steps.yaml:2: step 1: click "id=": nothing after id=`}},
		{"bad css", "steps:\n  - click: \"css=button[aria-label='x'\"\n", []string{
			`steps.yaml:2: step 1: click "css=button[aria-label='x'": unbalanced brackets or quotes in the CSS selector`}},
		{"fill without value", "steps:\n  - fill: Name\n", []string{`steps.yaml:2: step 1: fill Name: missing value (want the text to type)`}},
		{"fill null", "steps:\n  - fill: Name\n    value:\n", []string{`steps.yaml:3: step 1: fill Name: missing value (want the text to type)`}},
		{"fill with a list", "steps:\n  - fill: Name\n    value: [a]\n", []string{
			`steps.yaml:3: step 1: fill Name: value must be text (quote it: ""), got a list`}},
		{"fill with a boolean", "steps:\n  - fill: Name\n    value: true\n", []string{
			`steps.yaml:3: step 1: fill Name: value must be text (quote it: "true"), got the boolean true`}},
		{"submit without value", "steps:\n  - submit: Message\n", []string{`steps.yaml:2: step 1: submit Message: missing value (want the text to type)`}},
		{"set without value", "steps:\n  - set: Count\n", []string{`steps.yaml:2: step 1: set Count: missing value (want a number)`}},
		{"set with text", "steps:\n  - set: Count\n    value: five\n", []string{
			`steps.yaml:3: step 1: set Count: value must be a number, got the text "five"`}},
		{"set with a boolean", "steps:\n  - set: Count\n    value: false\n", []string{
			`steps.yaml:3: step 1: set Count: value must be a number, got the boolean false`}},
		{"check with text", "steps:\n  - check: Enable\n    value: yes\n", []string{
			`steps.yaml:3: step 1: check Enable: value must be true or false, got the text "yes"`}},
		{"select without value", "steps:\n  - select: Colour\n", []string{
			`steps.yaml:2: step 1: select Colour: missing value (want a choice, or a list of choices)`}},
		{"select a mapping", "steps:\n  - select: Colour\n    value: {a: b}\n", []string{
			`steps.yaml:3: step 1: select Colour: value must be a choice, or a list of choices, got a mapping`}},
		{"select a boolean", "steps:\n  - select: Colour\n    value: true\n", []string{
			`steps.yaml:3: step 1: select Colour: value must be a choice (quote it: "true"), got the boolean true`}},
		{"select a nested list", "steps:\n  - select: Colour\n    value: [[a]]\n", []string{
			`steps.yaml:3: step 1: select Colour: each choice must be text, got a list`}},
		{"upload without value", "steps:\n  - upload: Image\n", []string{
			`steps.yaml:2: step 1: upload Image: missing value (want a file path, or a list of them)`}},
		{"upload a missing file", "steps:\n  - upload: Image\n    value: fixtures/dog.png\n", []string{
			`steps.yaml:3: step 1: upload Image: file fixtures/dog.png not found (paths are relative to the steps file's folder ` + dir + `)`}},
		{"upload a folder", "steps:\n  - upload: Image\n    value: fixtures\n", []string{
			`steps.yaml:3: step 1: upload Image: fixtures is not a file`}},
		{"upload an empty list", "steps:\n  - upload: Image\n    value: []\n", []string{
			`steps.yaml:3: step 1: upload Image: missing value (want at least one file)`}},
		{"upload a mapping", "steps:\n  - upload: Image\n    value: {a: b}\n", []string{
			`steps.yaml:3: step 1: upload Image: value must be a file path, or a list of them, got a mapping`}},
		{"click with value", "steps:\n  - click: Go\n    value: x\n", []string{`steps.yaml:3: step 1: click takes no value`}},
		{"press with value", "steps:\n  - press: Enter\n    value: x\n", []string{`steps.yaml:3: step 1: press takes no value`}},
		{"press an unknown key", "steps:\n  - press: Entr\n", []string{
			`steps.yaml:2: step 1: press "Entr": unknown key "Entr" (want a character or a key name such as Enter, Tab, Escape, Backspace, ArrowDown, F5)`}},
		{"press an unknown modifier", "steps:\n  - press: Hyperx+a\n", []string{
			`steps.yaml:2: step 1: press "Hyperx+a": unknown modifier "Hyperx" (want Shift, Control, Alt or Meta)`}},
		{"wait a number", "steps:\n  - wait: 2\n", []string{`steps.yaml:2: step 1: wait 2: give the duration a unit, e.g. 2s`}},
		{"wait a negative time", "steps:\n  - wait: -2s\n", []string{`steps.yaml:2: step 1: wait -2s: the duration must be positive`}},
		{"wait idle with a value", "steps:\n  - wait: idle\n    value: x\n", []string{
			`steps.yaml:3: step 1: wait takes a value only with a component to wait for (e.g. "wait: result" with "value: 7")`}},
		{"wait for text with a value", "steps:\n  - wait: text=Done\n    value: x\n", []string{
			`steps.yaml:3: step 1: wait takes a value only with a component to wait for (e.g. "wait: result" with "value: 7")`}},
		{"wait for a list", "steps:\n  - wait: result\n    value: [1]\n", []string{
			`steps.yaml:3: step 1: wait result: value must be text, got a list`}},
		{"wait with idle", "steps:\n  - wait: idle\n    idle: true\n", []string{
			`steps.yaml:3: step 1: idle does not apply to wait (use "wait: idle")`}},
		{"idle not a boolean", "steps:\n  - click: Go\n    idle: no\n", []string{
			`steps.yaml:3: step 1: idle must be true or false, got the text "no"`}},
		{"bad step timeout", "steps:\n  - click: Go\n    timeout: 0s\n", []string{
			`steps.yaml:3: step 1: timeout must be a positive duration such as 30s or 2m, got the text "0s"`}},
		{"unset variable", "steps:\n  - fill: password\n    value: ${GRADIOREC_TEST_UNSET}\n", []string{
			`steps.yaml:3: step 1: environment variable GRADIOREC_TEST_UNSET is not set (give a default: ${GRADIOREC_TEST_UNSET:-value})`}},
		{"bad variable", "steps:\n  - fill: price\n    value: ${5}\n", []string{
			`steps.yaml:3: step 1: ${5}: not a variable name (write $$ for a literal $)`}},
		{"every step is checked", "steps:\n  - click: A\n  - fill: B\n  - press: C\n  - set: D\n    value: x\n", []string{
			`steps.yaml:3: step 2: fill B: missing value (want the text to type)`,
			`steps.yaml:6: step 4: set D: value must be a number, got the text "x"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script, err := Parse(filepath.Join(dir, "steps.yaml"), []byte(tt.in))
			if err == nil {
				t.Fatalf("no error; steps %+v", script)
			}
			if script != nil {
				t.Errorf("steps %+v with the error", script)
			}
			got := strings.Split(err.Error(), "\n")
			for i := range got {
				got[i] = strings.TrimPrefix(got[i], dir+string(filepath.Separator))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("error\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%T is not a *ParseError", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := stepsDir(t)
	path := filepath.Join(dir, "s.yml")
	if err := os.WriteFile(path, []byte("steps:\n  - upload: Image\n    value: fixtures/cat.png\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Relative to the file, not to the working directory.
	t.Chdir(t.TempDir())
	script, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "fixtures", "cat.png")}; !reflect.DeepEqual(script[0].Files, want) {
		t.Errorf("files %v, want %v", script[0].Files, want)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("loading a missing file: %v", err)
	}
}
