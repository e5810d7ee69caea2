package steps

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

// ParseError is a steps file that cannot be run. It names the file, the
// step and line when known, and what is wrong.
type ParseError struct {
	File string // the file's name, as given to Parse
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

// Load reads and checks the steps file at path (YAML or JSON). Upload
// paths are relative to the file's folder.
func Load(path string) (Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load steps: %w", err)
	}
	return Parse(path, data)
}

// Parse checks a steps file (YAML or JSON). name is the file's path: it
// names the file in errors and upload paths are relative to its folder.
// Values may read environment variables as ${NAME} or ${NAME:-default}; $$
// is a literal $. Every problem found is reported, each as a *ParseError,
// joined with errors.Join.
func Parse(name string, data []byte) (Script, error) {
	p := parser{file: name, dir: filepath.Dir(name), timeout: DefaultTimeout}
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
	var script Script
	for i, n := range list.Content {
		if st, ok := p.step(i+1, n); ok {
			script = append(script, st)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return script, nil
}

type parser struct {
	file    string
	dir     string
	timeout time.Duration
	errs    []error
}

func (p *parser) errorf(step, line int, format string, args ...any) {
	p.errs = append(p.errs, &ParseError{File: p.file, Line: line, Step: step, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) err() error { return errors.Join(p.errs...) }

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a ParseError.
func (p *parser) yamlError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ParseError{File: p.file, Line: line, Msg: "not YAML or JSON: " + m[2]}
	}
	return &ParseError{File: p.file, Msg: "not YAML or JSON: " + strings.TrimPrefix(msg, "yaml: ")}
}

// step checks one step.
func (p *parser) step(num int, n *yaml.Node) (Step, bool) {
	before := len(p.errs)
	st := Step{N: num, Line: n.Line, Timeout: p.timeout}
	if n.Kind != yaml.MappingNode {
		p.errorf(num, n.Line, "want an action such as \"click: Submit\", got %s", describeNode(n))
		return st, false
	}
	var verb, target, value, timeout, idle *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		var slot **yaml.Node
		switch {
		case slices.Contains(verbs, Verb(key)):
			if verb != nil {
				p.errorf(num, k.Line, "two actions in one step: %s and %s (start each step with \"- \")", verb.Value, key)
				continue
			}
			verb, target = k, v
			continue
		case key == "value":
			slot = &value
		case key == "timeout":
			slot = &timeout
		case key == "idle":
			slot = &idle
		default:
			p.errorf(num, k.Line, "unknown key %q%s (want an action: %s; or value, timeout, idle)", key, suggest(key, stepKeys()), verbList())
			continue
		}
		if *slot != nil {
			p.errorf(num, k.Line, "%s given twice", key)
			continue
		}
		*slot = v
	}
	if verb == nil {
		p.errorf(num, n.Line, "no action (want one of %s)", verbList())
		return st, false
	}
	st.Verb = Verb(verb.Value)
	st.Line = verb.Line
	st.source = verb.Value + ": " + target.Value
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
	p.value(&st, value, verb.Line)
	st.Idle = st.Verb == Click || st.Verb == Submit || st.Verb == Press
	if idle != nil {
		if st.Verb == Wait {
			p.errorf(num, idle.Line, "idle does not apply to wait (use \"wait: idle\")")
		} else if b, ok := p.boolean(num, idle, "idle"); ok {
			st.Idle = b
		}
	}
	return st, len(p.errs) == before
}

// target checks the text after the verb.
func (p *parser) target(st *Step, n *yaml.Node) {
	text, ok := p.text(st.N, n, string(st.Verb))
	if !ok {
		return
	}
	text = strings.TrimSpace(text)
	if text == "" {
		p.errorf(st.N, n.Line, "%s needs a target, e.g. \"%s\"", st.Verb, verbExample(st.Verb))
		return
	}
	switch st.Verb {
	case Press:
		key, err := parseChord(text)
		if err != nil {
			p.errorf(st.N, n.Line, "press %q: %v", text, err)
		}
		st.Text = key
		st.Target = Locator{}
		return
	case Wait:
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
		p.errorf(st.N, n.Line, "%s %q: %v", st.Verb, text, err)
		return
	}
	st.Target = loc
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
	for _, v := range verbs {
		keys = append(keys, string(v))
	}
	return keys
}

func verbList() string {
	var names []string
	for _, v := range verbs {
		names = append(names, string(v))
	}
	return strings.Join(names, ", ")
}

func verbExample(v Verb) string {
	switch v {
	case Press:
		return "press: Enter"
	case Wait:
		return "wait: idle"
	case Click:
		return "click: Submit"
	}
	return string(v) + ": Label"
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
