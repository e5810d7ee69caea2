package steps

import "time"

// DefaultTimeout limits each step of a steps file that sets no timeout:
// finding its target, acting and waiting for the app to be idle again.
const DefaultTimeout = 30 * time.Second

// Verb is what a step does: the key that starts it in a steps file.
type Verb string

// The verbs of a steps file.
const (
	Fill   Verb = "fill"   // type Text into a textbox, replacing its content
	Select Verb = "select" // pick Choices in a dropdown, radio or checkbox group
	Set    Verb = "set"    // type the number Text into a number or slider
	Check  Verb = "check"  // tick (Checked) or untick a checkbox
	Upload Verb = "upload" // give Files to a file input
	Click  Verb = "click"  // click a button or a component
	Submit Verb = "submit" // fill a textbox with Text and press Enter
	Press  Verb = "press"  // press the key Text on the focused element
	Wait   Verb = "wait"   // wait until idle, for Delay, or for a target
)

// verbs lists the verbs in the order the documentation gives them.
var verbs = []Verb{Fill, Select, Set, Check, Upload, Click, Submit, Press, Wait}

// Step is one step of a steps file, checked and ready to run.
type Step struct {
	N      int     // position in the file, from 1
	Line   int     // line in the file; 0 when unknown
	Verb   Verb    // what the step does
	Target Locator // what the step acts on; zero for press, wait: idle and wait: <duration>

	// Text is what fill and submit type, the number set types, the key (or
	// chord, e.g. "Shift+Enter") press presses, and the value wait waits for
	// when Expect is set.
	Text    string
	Expect  bool          // wait: wait until Target's value is Text, not only until it is there
	Choices []string      // select: the choices, one for a dropdown or radio, any for a group
	Checked bool          // check: the wanted state
	Files   []string      // upload: absolute paths of the files
	Delay   time.Duration // wait: how long to wait; 0 for idle or a target
	Timeout time.Duration // the step's limit, including the wait for idle after it
	Idle    bool          // after acting, wait until no call is in flight

	source string // the step as written, for messages (values unexpanded)
}

// String returns the step as written in its file, shortened, for messages:
// `click: Submit` or `fill: Message (value "hi there")`. Values read from
// the environment are shown unexpanded.
func (s Step) String() string {
	if s.source != "" || s.Verb == "" {
		return s.source
	}
	switch {
	case s.Verb == Press:
		return "press: " + s.Text
	case s.Delay > 0:
		return "wait: " + s.Delay.String()
	case s.Verb == Wait && s.Target == (Locator{}):
		return "wait: idle"
	}
	return string(s.Verb) + ": " + s.Target.String()
}

// Script is a parsed steps file: steps to perform in a Gradio app's UI, in
// order. Run performs them.
type Script []Step
