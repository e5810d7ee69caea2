package steps

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

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
	script := mustParse(t, fixturesDir(t), `
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
	for _, st := range script {
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
	err := script[3].Run(tab, func(context.Context) error { return failing })
	if !errors.Is(err, failing) || !strings.Contains(err.Error(), "step 4 (line 8, click: Summarize): wait for idle: the app is gone") {
		t.Errorf("a failing waitIdle: %v", err)
	}
}
