package python

import (
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

func (g *gen) session(s *plan.Session) string {
	defer g.p.Values(s)()
	g.b.Reset()
	if g.test {
		if len(g.p.Secrets) > 0 {
			g.line(0, "@redacting")
		}
		g.line(0, "def test_session_"+s.Ident+"() -> None:")
	} else if !g.flat {
		g.line(0, "def session_"+s.Ident+"() -> None:")
	}
	if !s.Replayable(false) {
		g.line(1, fmt.Sprintf(`"""Session %s: gradio_client cannot replay any of its calls."""`, docText(s.ID, 40)))
		for _, c := range s.Calls {
			g.skipped(c)
		}
		if g.test {
			g.pytest = true
			g.line(1, `pytest.skip("no call of this session can be replayed")`)
		} else {
			g.line(1, "pass")
		}
		return g.b.String()
	}
	if g.flat {
		src := "URL"
		if g.urlInClient() {
			src = g.appURL()
		}
		g.b.WriteString(g.client(0, "client = ", src))
	} else {
		g.line(1, "client = connect()")
	}
	if note := s.LeftOutNote(); note != "" {
		g.comments(1, note)
	}
	lost := s.Lost(Client)
	var labels []string
	for _, c := range s.Calls {
		if c.Skip != "" || c.Mode == plan.Private {
			g.skipped(c)
			continue
		}
		if why := lost[c]; why != "" {
			g.lost(c, why)
			labels = append(labels, c.Label())
			continue
		}
		g.call(c)
	}
	if g.test && len(labels) > 0 {
		// Said once, at the end: the checks above ran, and a test that
		// checked less than the recording must not pass silently.
		g.pytest = true
		word := "call"
		if len(labels) > 1 {
			word = "calls"
		}
		why := fmt.Sprintf("gradio_client cannot reproduce the outputs of %s %s (see the comments above)", word, strings.Join(labels, ", "))
		g.write(1, "", &layout.List{Open: "pytest.xfail(", Close: ")", Items: []layout.Node{layout.Text(String(why))}}, "")
	}
	return g.b.String()
}

// lost makes a call whose outputs gradio_client cannot reproduce, for the
// gr.State it changes, without checking them. One that reads gr.EventData
// may fail without it (a gr.SelectData handler does): the script or test
// goes on.
func (g *gen) lost(c *plan.Call, why string) {
	g.comment(1, "Call "+c.Label())
	g.notes(c)
	if !g.test {
		g.comments(1, "gradio_client cannot reproduce its outputs: "+why+".")
		if c.Error != nil || !c.ReadsEvent {
			g.make(c)
			return
		}
		g.line(1, "try:")
		g.indent++
		g.make(c)
		g.indent--
		g.printError()
		return
	}
	g.comments(1, "Its outputs are not checked: "+why+".")
	switch {
	case c.Error != nil:
		g.contextlib = true
		g.line(1, "with contextlib.suppress(Exception):  # it failed in the recording")
		g.invoke(2, c, "")
	case c.ReadsEvent:
		g.contextlib, g.errors = true, true
		g.line(1, "with contextlib.suppress(AppError):  # it may fail without its event data")
		g.invoke(2, c, "")
	default:
		g.invoke(1, c, "")
	}
}

func (g *gen) skipped(c *plan.Call) {
	reason := c.Skip
	if reason == "" {
		reason = "a private endpoint, which gradio_client refuses"
	}
	g.comments(1, "Call "+c.Label()+" is skipped: "+reason+".")
	if c.Skip == "" || c.Mode == plan.Private {
		g.comment(1, "If it changed gr.State, later outputs may differ.")
	}
}
