package python

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

func (g *gen) call(c *plan.Call) {
	g.comment(1, "Call "+c.Label())
	g.notes(c)
	if c.EventData.Kind != value.Null {
		g.comment(1, "The page sent event data with this call, which gradio_client cannot send.")
	}
	g.make(c)
}

// notes writes what the reader of call c needs to know about its arguments.
func (g *gen) notes(c *plan.Call) {
	if c.Mode == plan.Positional && g.p.OnCall() {
		g.comment(1, "Undocumented endpoint: gradio_client only takes positional arguments.")
	}
	if c.Redacted {
		g.comment(1, redactedNote)
	}
}

// make makes call c: prints its result, or checks it in a test.
func (g *gen) make(c *plan.Call) {
	switch {
	case c.Error != nil:
		g.failing(c)
	case c.Generator:
		g.generator(c)
	default:
		g.write(1, "result = ", g.args(c, "client.predict("), "")
		if g.test {
			g.check(c, "result")
		} else {
			g.print("result")
		}
	}
}

// print prints a result as one line of JSON, its secrets replaced by
// their placeholders.
func (g *gen) print(expr string) {
	g.json = true
	g.line(1, "print(json.dumps("+g.redacted(expr)+", ensure_ascii=False))")
}

func (g *gen) failing(c *plan.Call) {
	msg := c.Error.Message
	if !g.test {
		if msg != "" {
			g.comment(1, "It failed in the recording: "+plan.Text(msg, 60))
		}
		g.line(1, "try:")
		g.write(2, "", g.args(c, "client.predict("), "")
		g.printError()
		return
	}
	g.pytest = true
	if c.Error.HTTP != 0 {
		g.comment(1, fmt.Sprintf("The server refused it in the recording (HTTP %d).", c.Error.HTTP))
		g.line(1, "with pytest.raises(Exception):")
		g.write(2, "", g.args(c, "client.predict("), "")
		return
	}
	g.errors = true
	if msg == "" {
		g.line(1, "with pytest.raises(AppError):")
		g.write(2, "", g.args(c, "client.predict("), "")
		return
	}
	// gradio_client 1.x puts the message in a longer text and has no
	// message attribute before 1.13.
	g.line(1, "with pytest.raises(AppError) as error:")
	g.write(2, "", g.args(c, "client.predict("), "")
	if len(g.p.Secrets) > 0 {
		// Compared redacted, so that pytest's report shows no secret.
		g.line(1, "message = redact(str(error.value))")
		g.contains(1, String(msg), "message")
		return
	}
	g.contains(1, String(msg), "str(error.value)")
}

// printError ends a try block whose call may fail: the error is printed,
// and the script goes on.
func (g *gen) printError() {
	g.errors = true
	g.line(1, "except AppError as error:")
	if len(g.p.Secrets) > 0 {
		g.line(2, `print("error:", redact(str(error)))`)
	} else {
		g.line(2, `print("error:", error)`)
	}
}

func (g *gen) generator(c *plan.Call) {
	if !g.test {
		g.json, g.show = true, true
		// show(client.submit(...)) when it fits on a line: black would
		// break it over four.
		one := "show(" + layout.Flat(g.args(c, "client.submit(")) + ")"
		if width(strings.Repeat("    ", g.at(1))+one) <= style.Max {
			g.line(1, one)
			return
		}
		g.write(1, "job = ", g.args(c, "client.submit("), "")
		g.line(1, "show(job)")
		return
	}
	g.write(1, "job = ", g.args(c, "client.submit("), "")
	g.line(1, "result = job.result()")
	if c.CheckUpdates {
		g.line(1, fmt.Sprintf("assert len(job.outputs()) == %d", c.Updates))
	}
	g.check(c, "result")
}

// invoke writes the call of c at level, its result assigned with prefix.
func (g *gen) invoke(level int, c *plan.Call, prefix string) {
	if c.Generator {
		g.write(level, prefix, g.args(c, "client.submit("), ".result()")
		return
	}
	g.write(level, prefix, g.args(c, "client.predict("), "")
}

// args returns the call's argument list with its api_name.
func (g *gen) args(c *plan.Call, open string) *layout.List {
	l := &layout.List{Open: open, Close: ")"}
	kw := c.Mode == plan.Keywords
	for _, a := range c.Args {
		if !isIdent(a.Name) {
			kw = false
		}
	}
	for _, a := range c.Args {
		n := g.node(a.Value)
		if kw {
			n = layout.Seq{layout.Text(a.Name + "="), n}
		}
		l.Items = append(l.Items, n)
	}
	l.Items = append(l.Items, layout.Text("api_name="+String(c.APIName)))
	return l
}

var keywords = strings.Fields(`False None True and as assert async await break class continue def del
elif else except finally for from global if import in is lambda nonlocal not or pass raise return try
while with yield api_name fn_index`)

// isIdent reports whether s can be a keyword argument of predict.
func isIdent(s string) bool {
	if s == "" || slices.Contains(keywords, s) {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// node lays out a value, noting the imports it needs.
func (g *gen) node(v value.Value) layout.Node {
	if deep(v) {
		g.json = true
	}
	if v.HasFile() {
		g.handleFile = true
	}
	if v.HasFixture() {
		g.fixture = true
	}
	if g.flat {
		return node(v, "") // the script works in its own folder: chdirLines
	}
	return node(v, hereDir)
}
