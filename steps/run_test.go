package steps

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// mustParse parses steps written in a test, relative to dir.
func mustParse(t *testing.T, dir, yaml string) Script {
	t.Helper()
	script, err := Parse(filepath.Join(dir, "test.yaml"), []byte(yaml))
	if err != nil {
		t.Fatalf("parse steps: %v", err)
	}
	return script
}

// runSteps parses and runs steps in the tab, failing the test on an error.
func runSteps(t *testing.T, tab context.Context, yaml string) {
	t.Helper()
	if err := runStepsErr(t, tab, yaml); err != nil {
		t.Fatal(err)
	}
}

// runStepsErr parses and runs steps in the tab and returns the error.
func runStepsErr(t *testing.T, tab context.Context, yaml string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	return mustParse(t, fixturesDir(t), yaml).Run(ctx, nil)
}

// fixturesDir is the folder of the steps written in tests: testdata/apps,
// so that fixtures/pattern.png names the test-bed fixture.
func fixturesDir(t *testing.T) string {
	return filepath.Join(gradiotest.Root(t), "testdata", "apps")
}

// valueOf reads the value a component shows, found as a step finds it.
func valueOf(t *testing.T, tab context.Context, target string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	v, err := Value(ctx, target)
	if err != nil {
		t.Fatalf("read %s: %v", target, err)
	}
	return v
}

// loginSteps log in to the auth app through Gradio's login form.
const loginSteps = `
steps:
  - fill: username
    value: ${GRADIOREC_AUTH_USER:-admin}
  - fill: password
    value: ${GRADIOREC_AUTH_PASSWORD:-s3cret-pass}
  - click: Login
  - wait: name
`

// TestLoginForm logs in to the auth app through Gradio's login form with a
// steps file, as a person would (the recorder logs in on its own,
// recorder.WithLogin), then runs the app's steps file. The recorder's
// TestGoldenRecordings runs every steps file through a Recorder.
func TestLoginForm(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			script, err := Load(filepath.Join(gradiotest.Root(t), "testdata", "steps", "auth.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			tab := openApp(t, "auth", v)
			runSteps(t, tab, loginSteps)
			ctx, cancel := context.WithTimeout(tab, 3*time.Minute)
			defer cancel()
			if err := script.Run(ctx, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// widgetsBefore is the summary of the _widgets app as it starts.
const widgetsBefore = `text=
notes=
count=1
steps=2
colour=red
tags=
operation=add
enable=False
letters=
picture=None
document=None
search=`

// widgetsSummary clicks Summarize and returns the summary.
func widgetsSummary(t *testing.T, tab context.Context) string {
	t.Helper()
	runSteps(t, tab, "steps:\n  - click: Summarize\n")
	return valueOf(t, tab, "Summary")
}

// TestRunActions performs every action on the real UI of each Gradio
// version under test and checks what the app received.
func TestRunActions(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			tab := openApp(t, "_widgets", v)
			if got := widgetsSummary(t, tab); got != widgetsBefore {
				t.Fatalf("summary before the steps:\n%s\nwant\n%s", got, widgetsBefore)
			}
			runSteps(t, tab, `
steps:
  - fill: Input text
    value: hello
  - fill: Notes
    value: "line one\nline two"
  - fill: Search here
    value: needle
  - set: Count
    value: 5
  - set: Steps
    value: 7
  - select: Colour
    value: green
  - select: Tags
    value: [x, z]
  - select: Operation
    value: subtract
  - check: Enable
  - select: Letters
    value: [a, c]
  - upload: Picture
    value: fixtures/pattern.png
  - upload: Document
    value: fixtures/sample.txt
`)
			want := `text=hello
notes=line one
line two
count=5
steps=7
colour=green
tags=x,z
operation=subtract
enable=True
letters=a,c
picture=pattern.png
document=sample.txt
search=needle`
			if got := widgetsSummary(t, tab); got != want {
				t.Fatalf("summary:\n%s\nwant\n%s", got, want)
			}

			// Values replace what the inputs hold.
			runSteps(t, tab, `
steps:
  - fill: Input text
    value: ""
  - set: Count
    value: 0
  - set: Steps
    value: 10
  - select: Colour
    value: Blue          # choices match without regard to case
  - select: Tags
    value: [y]
  - select: Operation
    value: add
  - check: Enable
    value: false
  - select: Letters
    value: [b]
  - fill: Search here
    value: "tab\tand ünïcode ✓"
`)
			want = `text=
notes=line one
line two
count=0
steps=10
colour=blue
tags=y
operation=add
enable=False
letters=b
picture=pattern.png
document=sample.txt
search=tab	and ünïcode ✓`
			if got := widgetsSummary(t, tab); got != want {
				t.Fatalf("summary after the changes:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestStepErrorMessage(t *testing.T) {
	err := &StepError{Step: Step{N: 3, Line: 12, source: "click: Sbumit"}, Err: errors.New("no button")}
	if got, want := err.Error(), "step 3 (line 12, click: Sbumit): no button"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if st := (Step{N: 1, source: "press: Enter"}); (&StepError{Step: st, Err: errors.New("x")}).Error() != "step 1 (press: Enter): x" {
		t.Errorf("without a line: %q", (&StepError{Step: st, Err: errors.New("x")}).Error())
	}
}
