package javascript

import (
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

func (g *gen) session(s *plan.Session) string {
	defer g.p.Values(s)()
	g.b.Reset()
	g.declared = false
	if g.flat {
		g.flatSession(s)
		return g.b.String()
	}
	if g.test {
		g.line(0, "test("+String("session "+s.ID)+", async (t) => {")
	} else {
		g.line(0, "async function "+sessionFunc(s)+"() {")
	}
	if !s.Replayable(true) {
		for _, c := range s.Calls {
			g.comment(1, "Call "+c.Label()+" is skipped: "+c.Skip+".")
		}
		if g.test {
			g.line(1, `t.skip("no call of this session can be replayed");`)
		}
		g.line(0, closing(g.test))
		return g.b.String()
	}
	g.connect = true
	g.line(1, "const { client, close } = await connect();")
	if note := s.LeftOutNote(); note != "" {
		g.comment(1, note)
	}
	g.line(1, "try {")
	for _, c := range s.Calls {
		if c.Skip != "" {
			g.comment(2, "Call "+c.Label()+" is skipped: "+c.Skip+".")
			continue
		}
		g.call(c)
	}
	g.line(1, "} finally {")
	g.line(2, "close();")
	g.line(1, "}")
	g.line(0, closing(g.test))
	return g.b.String()
}

// flatSession writes the one session of a flat script at the top level. A
// call that fails rejects the module's top-level await, which ends Node with
// its error whatever the heartbeat holds open. Every call has ended when the
// last line runs (a generator's stream too), so only the heartbeat is left
// to close.
func (g *gen) flatSession(s *plan.Session) {
	connect := "const client = await Client.connect(APP_URL"
	if options := g.options(); len(options) > 0 {
		style.Write(&g.b, 0, connect+", ", optionsObject(options), ");")
	} else {
		g.line(0, connect+");")
	}
	heartbeat := g.p.Heartbeat()
	if heartbeat {
		g.comment(0, "The app holds a heartbeat stream open, which would keep Node running;")
		g.comment(0, "its controller, set while connecting, ends it.")
		g.line(0, "const heartbeat = client.abort_controller;")
	}
	if note := s.LeftOutNote(); note != "" {
		g.comment(0, note)
	}
	for _, c := range s.Calls {
		if c.Skip != "" {
			g.comment(0, "Call "+c.Label()+" is skipped: "+c.Skip+".")
			continue
		}
		g.call(c)
	}
	if heartbeat {
		g.line(0, "heartbeat?.abort();")
	}
}

// sessionFunc names the function of a session in a script: sessionS1.
func sessionFunc(s *plan.Session) string {
	name := "session"
	for _, part := range strings.Split(s.Ident, "_") {
		if part != "" {
			name += strings.ToUpper(part[:1]) + part[1:]
		}
	}
	return name
}

func closing(test bool) string {
	if test {
		return "});"
	}
	return "}"
}
