package python

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

// check checks the outputs of c, held by the variable res as gradio_client
// returns them: bare for one output, else a tuple.
func (g *gen) check(c *plan.Call, res string) {
	outs := c.Outputs
	switch {
	case len(outs) == 0 && g.locust:
		g.checkValue(String(c.Label()+": outputs"), res, "()")
		return
	case len(outs) == 0:
		g.assert(1, res, layout.Text("()"))
		return
	case len(outs) == 1:
		g.output(c, res, outs[0])
		return
	case g.locust:
		g.checkValue(String(c.Label()+": number of outputs"), "len("+res+")", strconv.Itoa(len(outs)))
	default:
		g.line(1, fmt.Sprintf("assert len(%s) == %d", res, len(outs)))
	}
	for i, o := range outs {
		g.output(c, fmt.Sprintf("%s[%d]", res, i), o)
	}
}

// checkValue writes a call of the check helper on three expressions.
func (g *gen) checkValue(what, got, want string) {
	g.checked = true
	g.write(1, "", &layout.List{Open: "check(", Close: ")", Items: []layout.Node{layout.Text(what), layout.Text(got), layout.Text(want)}}, "")
}

// output checks one output, held by expr, with the check helper, which
// names it when it differs.
func (g *gen) output(c *plan.Call, expr string, o plan.Output) {
	what := layout.Text(String(c.Label() + ": " + o.Name))
	var got, want layout.Node = layout.Text(expr), nil
	switch o.Check {
	case plan.Skipped:
		g.comment(1, fmt.Sprintf("%s is not checked: %s.", capitalize(o.Name), o.Reason))
		return
	case plan.FileHash:
		g.sha = true
		got, want = layout.Text("sha256("+expr+")"), layout.Text(String(o.SHA256))
	default:
		if len(o.Masked) > 0 {
			g.masked = true
			m := &layout.List{Open: "masked(", Close: ")", Items: []layout.Node{got}}
			for _, p := range o.Masked {
				m.Items = append(m.Items, pathNode(p))
			}
			got = m
		}
		want = g.node(o.Value)
	}
	g.checked = true
	g.write(1, "", &layout.List{Open: "check(", Close: ")", Items: []layout.Node{what, got, want}}, "")
}

// pathNode is a masked path as a Python list of keys and indexes.
func pathNode(p plan.Path) layout.Node {
	l := &layout.List{Open: "[", Close: "]"}
	for _, k := range p {
		switch k := k.(type) {
		case string:
			l.Items = append(l.Items, layout.Text(String(k)))
		case int:
			l.Items = append(l.Items, layout.Text(strconv.Itoa(k)))
		}
	}
	return l
}

// capitalize upper-cases the first letter of an ASCII name.
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// assert writes "assert expr == want", through an expected variable when it
// does not fit on one line.
func (g *gen) assert(level int, expr string, want layout.Node) {
	one := "assert " + expr + " == " + layout.Flat(want)
	if width(strings.Repeat("    ", g.at(level))+one) <= style.Max {
		g.line(level, one)
		return
	}
	assign(&g.b, g.at(level), "expected", want)
	g.line(level, "assert "+expr+" == expected")
}

// contains writes "assert want in expr", through an expected variable when
// it does not fit on one line.
func (g *gen) contains(level int, want, expr string) {
	one := "assert " + want + " in " + expr
	if width(strings.Repeat("    ", g.at(level))+one) <= style.Max {
		g.line(level, one)
		return
	}
	assign(&g.b, g.at(level), "expected", layout.Text(want))
	g.line(level, "assert expected in "+expr)
}
