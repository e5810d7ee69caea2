package steps

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// value checks the step's value against what its verb needs.
func (p *parser) value(st *Step, n *yaml.Node, line int) {
	if n != nil {
		line = n.Line
	}
	if n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		n = nil
	}
	missing := func(want string) {
		p.errorf(st.N, line, "%s %s: missing value (want %s)", st.Verb, st.Target, want)
	}
	wrong := func(want string) {
		p.errorf(st.N, line, "%s %s: value must be %s, got %s", st.Verb, st.Target, want, describeNode(n))
	}
	switch st.Verb {
	case Fill, Submit:
		if n == nil {
			missing("the text to type")
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag == "!!bool" {
			wrong("text (quote it: \"" + n.Value + "\")")
			return
		}
		st.Text, _ = p.expand(st.N, n)
	case Set:
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
	case Check:
		if n == nil {
			st.Checked = true
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			wrong("true or false")
			return
		}
		st.Checked, _ = p.boolean(st.N, n, "value")
	case Select:
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
					p.errorf(st.N, c.Line, "%s %s: each choice must be text, got %s", st.Verb, st.Target, describeNode(c))
					continue
				}
				text, _ := p.expand(st.N, c)
				st.Choices = append(st.Choices, text)
			}
		default:
			wrong("a choice, or a list of choices")
		}
	case Upload:
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
				p.errorf(st.N, c.Line, "%s %s: each file must be a path, got %s", st.Verb, st.Target, describeNode(c))
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
				p.errorf(st.N, c.Line, "%s %s: file %s not found (paths are relative to the steps file's folder %s)", st.Verb, st.Target, rel, p.dir)
			case !fi.Mode().IsRegular():
				p.errorf(st.N, c.Line, "%s %s: %s is not a file", st.Verb, st.Target, rel)
			default:
				st.Files = append(st.Files, path)
			}
		}
	case Click, Press:
		if n != nil {
			p.errorf(st.N, line, "%s takes no value", st.Verb)
		}
	case Wait:
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
func (p *parser) text(step int, n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.errorf(step, n.Line, "%s: want text, got %s", what, describeNode(n))
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return p.expand(step, n)
}

func (p *parser) expand(step int, n *yaml.Node) (string, bool) {
	s, err := expandEnv(n.Value)
	if err != nil {
		p.errorf(step, n.Line, "%v", err)
		return "", false
	}
	return s, true
}

func (p *parser) duration(step int, n *yaml.Node, what string) (time.Duration, bool) {
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

func (p *parser) boolean(step int, n *yaml.Node, what string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b, true
		}
	}
	p.errorf(step, n.Line, "%s must be true or false, got %s", what, describeNode(n))
	return false, false
}
