package recorder

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/gradiorec/gradiorec/internal/edit"
)

// DefaultStepTimeout limits each step of a steps file that sets no timeout:
// finding its target, acting and waiting for the app to be idle again.
const DefaultStepTimeout = 30 * time.Second

// Action is what a step does.
type Action string

// The actions of a steps file.
const (
	ActionFill   Action = "fill"   // type Text into a textbox, replacing its content
	ActionSelect Action = "select" // pick Choices in a dropdown, radio or checkbox group
	ActionSet    Action = "set"    // type the number Text into a number or slider
	ActionCheck  Action = "check"  // tick (Checked) or untick a checkbox
	ActionUpload Action = "upload" // give Files to a file input
	ActionClick  Action = "click"  // click a button or a component
	ActionSubmit Action = "submit" // fill a textbox with Text and press Enter
	ActionPress  Action = "press"  // press the key Text on the focused element
	ActionWait   Action = "wait"   // wait until idle, for Delay, or for a target
)

// actions lists the actions in the order the documentation gives them.
var actions = []Action{ActionFill, ActionSelect, ActionSet, ActionCheck, ActionUpload, ActionClick, ActionSubmit, ActionPress, ActionWait}

// LocatorKind says what a Locator's text is matched against.
type LocatorKind string

// The kinds of locator. A locator written without a kind (ByAny) is matched
// against labels first, then button texts, then placeholders.
const (
	ByAny         LocatorKind = ""
	ByLabel       LocatorKind = "label"       // a component's label
	ByText        LocatorKind = "text"        // a button's text (or aria-label); in wait, any text
	ByPlaceholder LocatorKind = "placeholder" // a textbox's placeholder
	ByID          LocatorKind = "id"          // a Gradio elem_id
	ByCSS         LocatorKind = "css"         // a CSS selector
)

var locatorKinds = []LocatorKind{ByLabel, ByText, ByPlaceholder, ByID, ByCSS}

// Locator names the element of the page a step acts on.
type Locator struct {
	Kind  LocatorKind
	Value string
}

// String returns the locator as a steps file writes it, e.g. "Submit" or
// "id=result".
func (l Locator) String() string {
	if l.Kind == ByAny {
		return l.Value
	}
	return string(l.Kind) + "=" + l.Value
}

// Step is one action of a steps file, checked and ready to run.
type Step struct {
	N      int     // position in the file, from 1
	Line   int     // line in the file; 0 when unknown
	Action Action  // what the step does
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
	if s.source != "" || s.Action == "" {
		return s.source
	}
	switch {
	case s.Action == ActionPress:
		return "press: " + s.Text
	case s.Delay > 0:
		return "wait: " + s.Delay.String()
	case s.Action == ActionWait && s.Target == (Locator{}):
		return "wait: idle"
	}
	return string(s.Action) + ": " + s.Target.String()
}

// Steps is a parsed steps file: actions to perform in a Gradio app's UI, in
// order. Run performs them.
type Steps []Step

// ParseError is a steps file that cannot be run. It names the file, the
// step and line when known, and what is wrong.
type ParseError struct {
	File string // the file's name, as given to ParseSteps
	Line int    // the line, from 1; 0 when unknown
	Step int    // the step's number, from 1; 0 when the error is not in a step
	Msg  string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Step > 0 {
		fmt.Fprintf(&b, "step %d: ", e.Step)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadSteps reads and checks the steps file at path (YAML or JSON). Upload
// paths are relative to the file's folder.
func LoadSteps(path string) (Steps, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load steps: %w", err)
	}
	return ParseSteps(path, data)
}

// ParseSteps checks a steps file (YAML or JSON). name is the file's path: it
// names the file in errors and upload paths are relative to its folder.
// Values may read environment variables as ${NAME} or ${NAME:-default}; $$
// is a literal $. Every problem found is reported, each as a *ParseError,
// joined with errors.Join.
func ParseSteps(name string, data []byte) (Steps, error) {
	p := stepParser{file: name, dir: filepath.Dir(name), timeout: DefaultStepTimeout}
	if abs, err := filepath.Abs(p.dir); err == nil {
		p.dir = abs
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, p.yamlError(err)
	}
	if len(doc.Content) == 0 {
		return nil, &ParseError{File: name, Msg: "no steps"}
	}
	root := doc.Content[0]
	list := root
	switch root.Kind {
	case yaml.MappingNode:
		list = nil
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			switch k.Value {
			case "steps":
				list = v
			case "timeout":
				if d, ok := p.duration(0, v, "timeout"); ok {
					p.timeout = d
				}
			default:
				p.errorf(0, k.Line, "unknown key %q%s (want steps or timeout)", k.Value, suggest(k.Value, []string{"steps", "timeout"}))
			}
		}
		if list == nil {
			p.errorf(0, root.Line, "no steps: the file needs a list under \"steps:\"")
			return nil, p.err()
		}
	case yaml.SequenceNode:
	default:
		p.errorf(0, root.Line, "want a list of steps under \"steps:\", got %s", describeNode(root))
		return nil, p.err()
	}
	if list.Kind != yaml.SequenceNode {
		p.errorf(0, list.Line, "steps must be a list, got %s", describeNode(list))
		return nil, p.err()
	}
	if len(list.Content) == 0 {
		p.errorf(0, list.Line, "no steps: the list is empty")
	}
	var steps Steps
	for i, n := range list.Content {
		if st, ok := p.step(i+1, n); ok {
			steps = append(steps, st)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return steps, nil
}

type stepParser struct {
	file    string
	dir     string
	timeout time.Duration
	errs    []error
}

func (p *stepParser) errorf(step, line int, format string, args ...any) {
	p.errs = append(p.errs, &ParseError{File: p.file, Line: line, Step: step, Msg: fmt.Sprintf(format, args...)})
}

func (p *stepParser) err() error { return errors.Join(p.errs...) }

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a ParseError.
func (p *stepParser) yamlError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ParseError{File: p.file, Line: line, Msg: "not YAML or JSON: " + m[2]}
	}
	return &ParseError{File: p.file, Msg: "not YAML or JSON: " + strings.TrimPrefix(msg, "yaml: ")}
}

// step checks one step.
func (p *stepParser) step(num int, n *yaml.Node) (Step, bool) {
	before := len(p.errs)
	st := Step{N: num, Line: n.Line, Timeout: p.timeout}
	if n.Kind != yaml.MappingNode {
		p.errorf(num, n.Line, "want an action such as \"click: Submit\", got %s", describeNode(n))
		return st, false
	}
	var action, target, value, timeout, idle *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		var slot **yaml.Node
		switch {
		case slices.Contains(actions, Action(key)):
			if action != nil {
				p.errorf(num, k.Line, "two actions in one step: %s and %s (start each step with \"- \")", action.Value, key)
				continue
			}
			action, target = k, v
			continue
		case key == "value":
			slot = &value
		case key == "timeout":
			slot = &timeout
		case key == "idle":
			slot = &idle
		default:
			p.errorf(num, k.Line, "unknown key %q%s (want an action: %s; or value, timeout, idle)", key, suggest(key, stepKeys()), actionList())
			continue
		}
		if *slot != nil {
			p.errorf(num, k.Line, "%s given twice", key)
			continue
		}
		*slot = v
	}
	if action == nil {
		p.errorf(num, n.Line, "no action (want one of %s)", actionList())
		return st, false
	}
	st.Action = Action(action.Value)
	st.Line = action.Line
	st.source = action.Value + ": " + target.Value
	switch {
	case value == nil:
	case value.Kind == yaml.ScalarNode && value.Tag != "!!null":
		st.source += " (value " + shortQuote(value.Value) + ")"
	case value.Kind == yaml.SequenceNode:
		var items []string
		for _, c := range value.Content {
			items = append(items, c.Value)
		}
		st.source += " (value [" + strings.Join(items, ", ") + "])"
	}
	if timeout != nil {
		if d, ok := p.duration(num, timeout, "timeout"); ok {
			st.Timeout = d
		}
	}
	p.target(&st, target)
	p.value(&st, value, action.Line)
	st.Idle = st.Action == ActionClick || st.Action == ActionSubmit || st.Action == ActionPress
	if idle != nil {
		if st.Action == ActionWait {
			p.errorf(num, idle.Line, "idle does not apply to wait (use \"wait: idle\")")
		} else if b, ok := p.boolean(num, idle, "idle"); ok {
			st.Idle = b
		}
	}
	return st, len(p.errs) == before
}

// target checks the text after the action's key.
func (p *stepParser) target(st *Step, n *yaml.Node) {
	text, ok := p.text(st.N, n, string(st.Action))
	if !ok {
		return
	}
	text = strings.TrimSpace(text)
	if text == "" {
		p.errorf(st.N, n.Line, "%s needs a target, e.g. \"%s\"", st.Action, actionExample(st.Action))
		return
	}
	switch st.Action {
	case ActionPress:
		key, err := parseChord(text)
		if err != nil {
			p.errorf(st.N, n.Line, "press %q: %v", text, err)
		}
		st.Text = key
		st.Target = Locator{}
		return
	case ActionWait:
		if text == "idle" {
			st.Target = Locator{}
			return
		}
		if d, err := time.ParseDuration(text); err == nil {
			if d <= 0 {
				p.errorf(st.N, n.Line, "wait %s: the duration must be positive", text)
			}
			st.Delay = d
			st.Target = Locator{}
			return
		}
		if n.Tag == "!!int" || n.Tag == "!!float" {
			p.errorf(st.N, n.Line, "wait %s: give the duration a unit, e.g. %ss", text, text)
			return
		}
	}
	loc, err := parseLocator(text)
	if err != nil {
		p.errorf(st.N, n.Line, "%s %q: %v", st.Action, text, err)
		return
	}
	st.Target = loc
}

// value checks the step's value against what its action needs.
func (p *stepParser) value(st *Step, n *yaml.Node, line int) {
	if n != nil {
		line = n.Line
	}
	if n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		n = nil
	}
	missing := func(want string) {
		p.errorf(st.N, line, "%s %s: missing value (want %s)", st.Action, st.Target, want)
	}
	wrong := func(want string) {
		p.errorf(st.N, line, "%s %s: value must be %s, got %s", st.Action, st.Target, want, describeNode(n))
	}
	switch st.Action {
	case ActionFill, ActionSubmit:
		if n == nil {
			missing("the text to type")
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag == "!!bool" {
			wrong("text (quote it: \"" + n.Value + "\")")
			return
		}
		st.Text, _ = p.expand(st.N, n)
	case ActionSet:
		if n == nil {
			missing("a number")
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag == "!!bool" {
			wrong("a number")
			return
		}
		text, ok := p.expand(st.N, n)
		if !ok {
			return
		}
		if _, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err != nil {
			wrong("a number")
			return
		}
		st.Text = strings.TrimSpace(text)
	case ActionCheck:
		if n == nil {
			st.Checked = true
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			wrong("true or false")
			return
		}
		st.Checked, _ = p.boolean(st.N, n, "value")
	case ActionSelect:
		if n == nil {
			missing("a choice, or a list of choices")
			return
		}
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Tag == "!!bool" {
				wrong("a choice (quote it: \"" + n.Value + "\")")
				return
			}
			c, _ := p.expand(st.N, n)
			st.Choices = []string{c}
		case yaml.SequenceNode:
			st.Choices = []string{}
			for _, c := range n.Content {
				if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
					p.errorf(st.N, c.Line, "%s %s: each choice must be text, got %s", st.Action, st.Target, describeNode(c))
					continue
				}
				text, _ := p.expand(st.N, c)
				st.Choices = append(st.Choices, text)
			}
		default:
			wrong("a choice, or a list of choices")
		}
	case ActionUpload:
		if n == nil {
			missing("a file path, or a list of them")
			return
		}
		var paths []*yaml.Node
		switch n.Kind {
		case yaml.ScalarNode:
			paths = []*yaml.Node{n}
		case yaml.SequenceNode:
			paths = n.Content
			if len(paths) == 0 {
				missing("at least one file")
			}
		default:
			wrong("a file path, or a list of them")
			return
		}
		for _, c := range paths {
			if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
				p.errorf(st.N, c.Line, "%s %s: each file must be a path, got %s", st.Action, st.Target, describeNode(c))
				continue
			}
			rel, ok := p.expand(st.N, c)
			if !ok {
				continue
			}
			path := rel
			if !filepath.IsAbs(path) {
				path = filepath.Join(p.dir, path)
			}
			fi, err := os.Stat(path)
			switch {
			case err != nil:
				p.errorf(st.N, c.Line, "%s %s: file %s not found (paths are relative to the steps file's folder %s)", st.Action, st.Target, rel, p.dir)
			case !fi.Mode().IsRegular():
				p.errorf(st.N, c.Line, "%s %s: %s is not a file", st.Action, st.Target, rel)
			default:
				st.Files = append(st.Files, path)
			}
		}
	case ActionClick, ActionPress:
		if n != nil {
			p.errorf(st.N, line, "%s takes no value", st.Action)
		}
	case ActionWait:
		if n == nil {
			return
		}
		if st.Target == (Locator{}) || st.Target.Kind == ByText {
			p.errorf(st.N, line, "wait takes a value only with a component to wait for (e.g. \"wait: result\" with \"value: 7\")")
			return
		}
		if n.Kind != yaml.ScalarNode {
			wrong("text")
			return
		}
		st.Text, _ = p.expand(st.N, n)
		st.Expect = true
	}
}

// text returns a scalar's text with environment variables expanded.
func (p *stepParser) text(step int, n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.errorf(step, n.Line, "%s: want text, got %s", what, describeNode(n))
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return p.expand(step, n)
}

func (p *stepParser) expand(step int, n *yaml.Node) (string, bool) {
	s, err := expandEnv(n.Value)
	if err != nil {
		p.errorf(step, n.Line, "%v", err)
		return "", false
	}
	return s, true
}

func (p *stepParser) duration(step int, n *yaml.Node, what string) (time.Duration, bool) {
	if n.Kind == yaml.ScalarNode {
		d, err := time.ParseDuration(n.Value)
		if err == nil && d > 0 {
			return d, true
		}
		if n.Tag == "!!int" || n.Tag == "!!float" {
			p.errorf(step, n.Line, "%s %s: give the duration a unit, e.g. %ss", what, n.Value, n.Value)
			return 0, false
		}
	}
	p.errorf(step, n.Line, "%s must be a positive duration such as 30s or 2m, got %s", what, describeNode(n))
	return 0, false
}

func (p *stepParser) boolean(step int, n *yaml.Node, what string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b, true
		}
	}
	p.errorf(step, n.Line, "%s must be true or false, got %s", what, describeNode(n))
	return false, false
}

// parseLocator reads a target: "text", or "kind=text" for a known kind.
func parseLocator(s string) (Locator, error) {
	if kind, rest, ok := strings.Cut(s, "="); ok {
		k := LocatorKind(strings.TrimSpace(kind))
		if slices.Contains(locatorKinds, k) {
			rest = strings.TrimSpace(rest)
			if rest == "" {
				return Locator{}, fmt.Errorf("nothing after %s=", k)
			}
			if k == ByCSS && !validCSS(rest) {
				return Locator{}, fmt.Errorf("unbalanced brackets or quotes in the CSS selector")
			}
			return Locator{Kind: k, Value: rest}, nil
		}
	}
	return Locator{Value: s}, nil
}

// validCSS catches the selector typos that are visible without a browser:
// unbalanced brackets and quotes. The browser checks the rest.
func validCSS(s string) bool {
	var stack []rune
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '(':
			stack = append(stack, r)
		case r == ']' || r == ')':
			want := '['
			if r == ')' {
				want = '('
			}
			if len(stack) == 0 || stack[len(stack)-1] != want {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return quote == 0 && len(stack) == 0 && !escaped
}

var envRef = regexp.MustCompile(`\$\$|\$\{([^}]*)\}`)
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expandEnv replaces ${NAME} and ${NAME:-default} with the environment's
// values and $$ with $. An unset variable without a default is an error.
func expandEnv(s string) (string, error) {
	var err error
	out := envRef.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		ref := m[2 : len(m)-1]
		name, def, hasDef := strings.Cut(ref, ":-")
		if !envName.MatchString(name) {
			if err == nil {
				err = fmt.Errorf("%s: not a variable name (write $$ for a literal $)", m)
			}
			return m
		}
		if v, ok := os.LookupEnv(name); ok && (v != "" || !hasDef) {
			return v
		}
		if hasDef {
			return def
		}
		if err == nil {
			err = fmt.Errorf("environment variable %s is not set (give a default: ${%s:-value})", name, name)
		}
		return m
	})
	return out, err
}

// describeNode names a YAML node's type for messages.
func describeNode(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!bool":
		return "the boolean " + n.Value
	case "!!int", "!!float":
		return "the number " + n.Value
	}
	return "the text " + strconv.Quote(n.Value)
}

func shortQuote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return strconv.Quote(s)
}

func stepKeys() []string {
	keys := []string{"value", "timeout", "idle"}
	for _, a := range actions {
		keys = append(keys, string(a))
	}
	return keys
}

func actionList() string {
	var names []string
	for _, a := range actions {
		names = append(names, string(a))
	}
	return strings.Join(names, ", ")
}

func actionExample(a Action) string {
	switch a {
	case ActionPress:
		return "press: Enter"
	case ActionWait:
		return "wait: idle"
	case ActionClick:
		return "click: Submit"
	}
	return string(a) + ": Label"
}

// suggest returns ` (did you mean "x"?)` for the known word closest to s, if
// it is close.
func suggest(s string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := edit.Distance(strings.ToLower(s), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
