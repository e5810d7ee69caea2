package steps

import (
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

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

func TestParseChord(t *testing.T) {
	for in, want := range map[string]string{
		"Enter": "Enter", "enter": "Enter", "Return": "Enter", "Esc": "Escape", "Tab": "Tab",
		"ArrowDown": "ArrowDown", "down": "ArrowDown", "F5": "F5", "Backspace": "Backspace",
		"a": "a", "A": "A", "é": "é", "space": "Space", "+": "+",
		"Ctrl+Shift+Z": "Control+Shift+Z", "shift+control+z": "Control+Shift+z", "Meta+Enter": "Meta+Enter", "alt+F4": "Alt+F4",
	} {
		got, err := parseChord(in)
		if err != nil || got != want {
			t.Errorf("parseChord(%q) = %q, %v; want %q", in, got, err, want)
		}
		keys, _, err := chord(got)
		if err != nil || keys == "" {
			t.Errorf("chord(%q) = %q, %v", got, keys, err)
		}
	}
	for _, in := range []string{"", "Ctrl+", "Hyper+x", "Enterr", "ab"} {
		if got, err := parseChord(in); err == nil {
			t.Errorf("parseChord(%q) = %q, want an error", in, got)
		}
	}
}
