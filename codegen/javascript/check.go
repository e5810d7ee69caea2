package javascript

import (
	"fmt"
	"strconv"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/recording"
)

// check checks the outputs of c, held by the array expression res, each with
// the check helper, which names it when it differs.
func (g *gen) check(level int, c *plan.Call, res string) {
	// The client returns every output but State: also the updates of
	// components that are no API output (buttons on Gradio 4.x).
	pos, n, ok := c.Positions(func(comp recording.Component) bool { return comp.Type == "state" })
	if !ok {
		pos, n = nil, len(c.Outputs)
		for i := range c.Outputs {
			pos = append(pos, i)
		}
	}
	g.line(level, fmt.Sprintf("assert.equal(%s.length, %d);", res, n))
	for i, o := range c.Outputs {
		i := pos[i]
		what := layout.Text(String(c.Label() + ": " + o.Name))
		var got layout.Node = layout.Text(fmt.Sprintf("%s[%d]", res, i))
		var want layout.Node
		switch o.Check {
		case plan.Skipped:
			g.comment(level, fmt.Sprintf("%s is not checked: %s.", capitalize(o.Name), o.Reason))
			continue
		case plan.FileHash:
			g.sha = true
			got = layout.Text(fmt.Sprintf("await sha256(client, %s[%d])", res, i))
			want = layout.Text(String(o.SHA256))
		default:
			if len(o.Masked) > 0 {
				g.masked = true
				m := &layout.List{Open: "masked(", Close: ")", Items: []layout.Node{got}}
				for _, p := range o.Masked {
					m.Items = append(m.Items, pathNode(p))
				}
				got = m
			}
			want = node(o.Value, g.dir)
		}
		g.checked = true
		style.Write(&g.b, level, "", &layout.List{Open: "check(", Close: ")", Items: []layout.Node{what, got, want}}, ";")
	}
}

// pathNode is a masked path as an array of keys and indexes.
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
