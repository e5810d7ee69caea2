// Package layout lays out nested code (calls, lists, maps) the way black and
// prettier do for data: an expression stays on one line when it fits;
// otherwise its outermost bracket opens a block with one item per line, each
// followed by a comma (black's "magic trailing comma", which keeps black from
// joining the lines again), and the closing bracket on its own line.
package layout

import (
	"strings"
)

// Node is a piece of code: Text, *List or Seq.
type Node interface{ flat(b *strings.Builder) }

// Text is code without line breaks that is never split.
type Text string

// List is a bracketed, comma-separated list of items.
type List struct {
	Open, Close string // as written when the list is split: "client.predict(", ")"
	// FlatOpen and FlatClose, when set, replace Open and Close on one
	// line: "{ " and " }" for prettier's object literals.
	FlatOpen, FlatClose string
	Items               []Node
	// NoTrailingComma leaves the comma after the last item out when the
	// list is split (where a trailing comma is not allowed).
	NoTrailingComma bool
}

// Seq is nodes written one after the other; only its last node may split.
type Seq []Node

func (t Text) flat(b *strings.Builder) { b.WriteString(string(t)) }

func (l *List) flat(b *strings.Builder) {
	if len(l.Items) == 0 {
		b.WriteString(l.Open)
		b.WriteString(l.Close)
		return
	}
	b.WriteString(pick(l.FlatOpen, l.Open))
	for i, it := range l.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		it.flat(b)
	}
	b.WriteString(pick(l.FlatClose, l.Close))
}

func (s Seq) flat(b *strings.Builder) {
	for _, n := range s {
		n.flat(b)
	}
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Flat returns n on one line.
func Flat(n Node) string {
	var b strings.Builder
	n.flat(&b)
	return b.String()
}

// Style is how a language lays out code.
type Style struct {
	Indent string           // one level: four spaces, two spaces, a tab
	Max    int              // the line length
	Width  func(string) int // columns a string takes; nil: bytes
}

func (s Style) width(str string) int {
	if s.Width == nil {
		return len(str)
	}
	return s.Width(str)
}

// Write appends n to b as lines at the given indentation level: prefix
// (already flat code, such as "result = ") comes before n on its first line
// and suffix (such as ",") after it on its last. Every line ends with "\n".
func (s Style) Write(b *strings.Builder, level int, prefix string, n Node, suffix string) {
	indent := strings.Repeat(s.Indent, level)
	one := indent + prefix + Flat(n) + suffix
	head, list := split(n)
	if list == nil || len(list.Items) == 0 || s.width(one) <= s.Max {
		b.WriteString(one)
		b.WriteByte('\n')
		return
	}
	b.WriteString(indent)
	b.WriteString(prefix)
	b.WriteString(head)
	b.WriteString(list.Open)
	b.WriteByte('\n')
	for i, it := range list.Items {
		sep := ","
		if list.NoTrailingComma && i == len(list.Items)-1 {
			sep = ""
		}
		s.Write(b, level+1, "", it, sep)
	}
	b.WriteString(indent)
	b.WriteString(list.Close)
	b.WriteString(suffix)
	b.WriteByte('\n')
}

// String returns n laid out at level 0 without a final newline.
func (s Style) String(n Node) string {
	var b strings.Builder
	s.Write(&b, 0, "", n, "")
	return strings.TrimSuffix(b.String(), "\n")
}

// split returns the flat code before the list that ends n, and that list
// (nil when n does not end with one).
func split(n Node) (string, *List) {
	switch t := n.(type) {
	case *List:
		return "", t
	case Seq:
		if len(t) == 0 {
			return "", nil
		}
		head, list := split(t[len(t)-1])
		if list == nil {
			return "", nil
		}
		var b strings.Builder
		for _, x := range t[:len(t)-1] {
			x.flat(&b)
		}
		b.WriteString(head)
		return b.String(), list
	}
	return "", nil
}
