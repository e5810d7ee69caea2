package curl

import "github.com/gradiorec/gradiorec/codegen/internal/plan"

func (g *gen) session(s *plan.Session) {
	defer g.p.Values(s)()
	g.line("")
	replayed, queued := 0, 0
	for _, c := range s.Calls {
		if c.Skip == "" {
			replayed++
		}
		if g.queued[c] {
			queued++
		}
	}
	switch {
	case g.noSession && queued > 0 && queued == replayed:
		g.comment("Session " + plan.Text(s.ID, 40) + ": its calls go through the queue with one session hash, so")
		g.comment("gr.State carries over (Gradio " + plan.Text(g.p.Rec.App.Version, 20) + " keeps no session between /call requests).")
	case g.noSession && queued == 0:
		g.comment("Session " + plan.Text(s.ID, 40) + ": Gradio " + plan.Text(g.p.Rec.App.Version, 20) + " keeps no session between /call")
		g.comment("requests, so each call starts from the app's initial gr.State.")
	default:
		g.comment("Session " + plan.Text(s.ID, 40) + ": one session hash, so gr.State carries over.")
	}
	if replayed > 0 && (!g.noSession || queued > 0) {
		g.line(`session=$(new_session)`)
	}
	if note := s.LeftOutNote(); note != "" {
		g.comment(note)
	}
	for _, c := range s.Calls {
		if c.Skip != "" {
			g.comment("Call " + c.Label() + " is skipped: " + c.Skip + ".")
			continue
		}
		g.call(c)
	}
}
