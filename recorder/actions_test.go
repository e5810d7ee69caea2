package recorder

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// openApp starts (or reuses) a test-bed app on a Gradio version and opens
// it in a fresh tab of the shared browser.
func openApp(t *testing.T, name, version string) context.Context {
	t.Helper()
	tab := testTab(t)
	app := gradiotest.Start(t, name, gradiotest.Version(version))
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+"/")); err != nil {
		t.Fatalf("open %s: %v", app.URL, err)
	}
	if err := waitAppReady(tab, time.Minute); err != nil {
		t.Fatal(err)
	}
	return tab
}

// mustParse parses steps written in a test, relative to dir.
func mustParse(t *testing.T, dir, yaml string) Steps {
	t.Helper()
	steps, err := ParseSteps(filepath.Join(dir, "test.yaml"), []byte(yaml))
	if err != nil {
		t.Fatalf("parse steps: %v", err)
	}
	return steps
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
	loc, err := parseLocator(target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	found, err := uiResolve(ctx, Step{Target: loc}, "present")
	if err != nil {
		t.Fatalf("find %s: %v", target, err)
	}
	v, err := markValue(ctx, found.Mark)
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

// TestStepsLoginForm logs in to the auth app through Gradio's login form
// with a steps file, as a person would (the recorder logs in on its own,
// WithLogin), then runs the app's steps file. TestGoldenRecordings runs
// every steps file through a Recorder.
func TestStepsLoginForm(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			steps, err := LoadSteps(filepath.Join(gradiotest.Root(t), "testdata", "steps", "auth.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			tab := openApp(t, "auth", v)
			runSteps(t, tab, loginSteps)
			ctx, cancel := context.WithTimeout(tab, 3*time.Minute)
			defer cancel()
			if err := steps.Run(ctx, nil); err != nil {
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
		})
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// TestRunKeys submits a textbox with submit and with press.
func TestRunKeys(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			tab := openApp(t, "_widgets", v)
			runSteps(t, tab, `
steps:
  - submit: Message
    value: hi there
  - wait: Shouted
    value: HI THERE
  - fill: Message
    value: pressed
  - press: Enter
  - wait: Shouted
    value: PRESSED
  - fill: Input text
    value: abc
  - press: Backspace
  - press: Shift+Tab
  - press: Control+a
`)
			if got := valueOf(t, tab, "Input text"); got != "ab" {
				t.Errorf("Input text after Backspace is %q, want %q", got, "ab")
			}
		})
	}
}

// TestRunWaits checks the waits: for idle (after a click, by default), for
// a time, for a text, and for a value that never comes.
func TestRunWaits(t *testing.T) {
	tab := openApp(t, "_widgets", gradiotest.Versions()[0])

	// idle: false does not wait for the call; wait: idle does.
	runSteps(t, tab, "steps:\n  - click: Slow\n    idle: false\n")
	if got := valueOf(t, tab, "Slow result"); got == "slow done" {
		t.Errorf("idle: false waited for the call")
	}
	runSteps(t, tab, "steps:\n  - wait: idle\n")
	if got := valueOf(t, tab, "Slow result"); got != "slow done" {
		t.Errorf("after wait: idle the result is %q, want it done", got)
	}

	// A click waits for its call.
	tab2 := openApp(t, "_widgets", gradiotest.Versions()[0])
	runSteps(t, tab2, "steps:\n  - click: Slow\n")
	if got := valueOf(t, tab2, "Slow result"); got != "slow done" {
		t.Errorf("after clicking Slow the result is %q, want it done", got)
	}

	start := time.Now()
	runSteps(t, tab, "steps:\n  - wait: 700ms\n")
	if d := time.Since(start); d < 700*time.Millisecond {
		t.Errorf("wait: 700ms took %s", d)
	}

	runSteps(t, tab, "steps:\n  - fill: Input text\n    value: needle in a field\n  - wait: text=needle in a\n  - wait: text=Drop File Here\n")

	err := runStepsErr(t, tab, "steps:\n  - wait: Slow result\n    value: never\n    timeout: 1s\n")
	if err == nil || !strings.Contains(err.Error(), `step 1 (line 2, wait: Slow result (value "never")): timed out after 1s: "Slow result" shows "slow done", want "never"`) {
		t.Errorf("waiting for a value that never comes: %v", err)
	}
	err = runStepsErr(t, tab, "steps:\n  - wait: text=never shown\n    timeout: 1s\n")
	if err == nil || !strings.Contains(err.Error(), `the text "never shown" did not show`) {
		t.Errorf("waiting for a text that never comes: %v", err)
	}
}

// TestRunWaitIdle checks that Run calls waitIdle after click, submit and
// press and for wait: idle, and only then.
func TestRunWaitIdle(t *testing.T) {
	tab := openApp(t, "_widgets", gradiotest.Versions()[0])
	steps := mustParse(t, fixturesDir(t), `
steps:
  - fill: Message
    value: a
  - submit: Message
    value: b
  - press: Enter
  - click: Summarize
  - click: Summarize
    idle: false
  - check: Enable
    idle: true
  - wait: idle
  - wait: 10ms
`)
	var calls []int
	for _, st := range steps {
		err := st.Run(tab, func(ctx context.Context) error {
			calls = append(calls, st.N)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if want := []int{2, 3, 4, 6, 7}; !slices.Equal(calls, want) {
		t.Errorf("waitIdle called after steps %v, want %v", calls, want)
	}
	failing := errors.New("the app is gone")
	err := steps[3].Run(tab, func(context.Context) error { return failing })
	if !errors.Is(err, failing) || !strings.Contains(err.Error(), "step 4 (line 8, click: Summarize): wait for idle: the app is gone") {
		t.Errorf("a failing waitIdle: %v", err)
	}
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
						`buttons on the page: "Summarize", "Slow"; labels: "Input text", "Notes", "Count", "Steps", "Colour", "Tags", "Operation", ` +
						`"Enable", "Letters", "Picture", "Document", "Summary", "Message", "Shouted", "Twin", "Slow result"; placeholders: "Type here", "Search here"`},
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

// The toasts Notify raises stack over Next: the click on Next closes them
// and reaches it, twice (the second time with the toasts just raised).
func TestClickThroughToasts(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			tab := openApp(t, "toasty", v)
			steps, err := LoadSteps(filepath.Join(gradiotest.Root(t), "testdata", "steps", "toasty.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
			defer cancel()
			if err := steps.Run(ctx, nil); err != nil {
				t.Fatal(err)
			}
			if got := valueOf(t, tab, "result"); got != "next 2" {
				t.Errorf("result shows %q, want %q", got, "next 2")
			}
		})
	}
}

// coverPage serves a page that passes for a Gradio app: a Go button that
// counts its clicks in #clicks, under a fixed overlay whose text is hostile.
// With ?for=MS the overlay removes itself after MS milliseconds.
func coverPage(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><body>
<div class="gradio-container"><div class="block"><button id="go">Go</button><span id="clicks">0</span></div></div>
<div id="veil" class="overlay &quot;x&quot;" style="position:fixed;inset:0;background:rgba(0,0,0,.3)">We use "cookies"
&lt;script&gt;</div>
<script>
document.getElementById("go").addEventListener("click", () => {
  const c = document.getElementById("clicks");
  c.textContent = String(Number(c.textContent) + 1);
});
const ms = Number(new URLSearchParams(location.search).get("for") || "0");
if (ms > 0) setTimeout(() => document.getElementById("veil").remove(), ms);
</script></body></html>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestClickCovered(t *testing.T) {
	srv := coverPage(t)
	open := func(t *testing.T, query string) context.Context {
		tab := testTab(t)
		ctx, cancel := context.WithTimeout(tab, time.Minute)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+query)); err != nil {
			t.Fatal(err)
		}
		return tab
	}
	clicks := func(t *testing.T, tab context.Context) string {
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("clicks").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	t.Run("stays", func(t *testing.T) {
		tab := open(t, "")
		err := runStepsErr(t, tab, "timeout: 1s\nsteps:\n  - click: Go\n    idle: false\n")
		if !errors.Is(err, ErrCovered) {
			t.Fatalf("got %v, want ErrCovered", err)
		}
		want := `step 1 (line 3, click: Go): click: <div id="veil" class="overlay \"x\""> showing "We use \"cookies\" <script>" covers the target at (`
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "close or remove it with a step before this one") {
			t.Errorf("got  %v\nwant %s…", err, want)
		}
		if got := clicks(t, tab); got != "0" {
			t.Errorf("the overlay let %s clicks through, want none", got)
		}
	})
	t.Run("goes", func(t *testing.T) {
		tab := open(t, "?for=500")
		if err := runStepsErr(t, tab, "timeout: 20s\nsteps:\n  - click: Go\n    idle: false\n"); err != nil {
			t.Fatal(err)
		}
		if got := clicks(t, tab); got != "1" {
			t.Errorf("%s clicks reached the button, want 1", got)
		}
	})
}
