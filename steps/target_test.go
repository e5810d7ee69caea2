package steps

import (
	"errors"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestRunTargets finds elements by every kind of target.
func TestRunTargets(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			tab := openApp(t, "_widgets", v)
			for _, tt := range []struct {
				steps string
				line  string // a line the summary must then have
			}{
				{"- fill: Input text\n  value: by label", "text=by label"},
				{"- fill: label=Input text\n  value: forced label", "text=forced label"},
				{"- fill: input TEXT\n  value: loose label", "text=loose label"},
				{"- fill: Type here\n  value: by placeholder", "text=by placeholder"},
				{"- fill: placeholder=Type here\n  value: forced placeholder", "text=forced placeholder"},
				{"- fill: id=main-text\n  value: by id", "text=by id"},
				{"- fill: css=#main-text textarea\n  value: by css", "text=by css"},
				{"- fill: Search here\n  value: only a placeholder", "search=only a placeholder"},
				{"- check: label=Enable", "enable=True"},
				{"- check: css=input[type=checkbox][data-testid=checkbox]\n  value: false", "enable=False"},
			} {
				runSteps(t, tab, "steps:\n"+indent(tt.steps)+"\n  - click: text=Summarize\n")
				if got := valueOf(t, tab, "id=summary"); !strings.Contains("\n"+got+"\n", "\n"+tt.line+"\n") {
					t.Errorf("after %q the summary is\n%s\nwant a line %q", tt.steps, got, tt.line)
				}
			}
			// A button found by its text without a prefix, and a wait for
			// an element by id.
			runSteps(t, tab, `
steps:
  - fill: Input text
    value: bare
  - click: Summarize
  - wait: id=summary
  - wait: css=#summary textarea
  - wait: label=Summary
  - wait: text=Summarize
`)
			if got := valueOf(t, tab, "label=Summary"); !strings.HasPrefix(got, "text=bare\n") {
				t.Errorf("summary %q", got)
			}
			// A tab by its name (Gradio 6 keeps a hidden copy of each tab
			// button, for measuring), then a textbox only it shows.
			runSteps(t, tab, `
steps:
  - click: Second
  - fill: In the second tab
    value: shown
  - click: First
  - wait: In the first tab
`)
		})
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// TestRunTargetErrors checks the messages of missing, ambiguous and
// unsuitable targets and of bad values.
func TestRunTargetErrors(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			tab := openApp(t, "_widgets", v)
			for _, tt := range []struct {
				steps string
				is    error
				want  string
			}{
				{"- click: Sbumit", ErrNoTarget,
					`step 1 (line 3, click: Sbumit): no label, button or placeholder matches "Sbumit"; ` +
						`buttons on the page: "Summarize", "Slow", "First", "Second"; labels: "Input text", "Notes", "Count", "Steps", "Colour", "Tags", "Operation", ` +
						`"Enable", "Letters", "Picture", "Document", "Summary", "Message", "Shouted", "Twin", "Slow result", "In the first tab"; ` +
						`placeholders: "Type here", "Search here"`},
				{"- fill: label=Type here\n  value: x", ErrNoTarget, `no label matches "Type here"; buttons on the page:`},
				{"- click: text=Input text", ErrNoTarget, `no button matches "Input text"; buttons on the page:`},
				{"- fill: placeholder=Notes\n  value: x", ErrNoTarget, `no placeholder matches "Notes"; buttons on the page:`},
				{"- fill: id=nowhere\n  value: x", ErrNoTarget, `no visible element has the id "nowhere"; buttons on the page:`},
				{"- click: css=.nowhere", ErrNoTarget, `no visible element matches ".nowhere"; buttons on the page:`},
				{"- fill: Twin\n  value: x", ErrAmbiguousTarget, `"Twin" matches 2 elements: label "Twin" `},
				{"- wait: css=textarea", ErrAmbiguousTarget, `"css=textarea" matches `},
				{"- click: css=button!", nil, `"css=button!": invalid CSS selector`},
				{"- fill: Summarize\n  value: x", nil, `"Summarize" matches a button, but it is not a textbox`},
				{"- fill: Summary\n  value: x", nil, `"Summary" matches a label, but it is not editable (an output, or interactive=False)`},
				{"- select: Input text\n  value: x", nil, `"Input text" matches a label, but it is not a dropdown, radio or checkbox group`},
				{"- check: Colour", nil, `"Colour" matches a label, but it is not a checkbox`},
				{"- upload: Count\n  value: fixtures/sample.txt", nil, `"Count" matches a label, but it has no file input`},
				{"- set: Enable\n  value: 1", nil, `"Enable" matches a label, but it has no number or slider input`},
				{"- select: Colour\n  value: purple", nil, `no choice "purple"; the choices are "red", "green", "blue"`},
				{"- select: Operation\n  value: divide", nil, `no choice "divide"; the choices are "add", "subtract"`},
				{"- select: Operation\n  value: [add, subtract]", nil, `a radio group takes one choice, got 2`},
				{"- select: Letters\n  value: [a, d]", nil, `no choice "d"; the choices are "a", "b", "c"`},
			} {
				err := runStepsErr(t, tab, "timeout: 2s\nsteps:\n"+indent(tt.steps)+"\n")
				if err == nil {
					t.Errorf("%s: no error", tt.steps)
					continue
				}
				var se *StepError
				if !errors.As(err, &se) || se.Step.N != 1 {
					t.Errorf("%s: %T %v is not the *StepError of step 1", tt.steps, err, err)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s:\n got %v\nwant %s", tt.steps, err, tt.want)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("%s: %v is not %v", tt.steps, err, tt.is)
				}
			}
		})
	}
}
