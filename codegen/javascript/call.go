package javascript

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

func (g *gen) call(c *plan.Call) {
	level := 2
	if g.flat {
		level = 0
	}
	if g.test {
		if len(g.p.Secrets) > 0 {
			g.redacting = true
			g.line(2, "await t.test("+String(c.Label())+", redacting(async () => {")
		} else {
			g.line(2, "await t.test("+String(c.Label())+", async () => {")
		}
		level = 3
	} else {
		g.comment(level, "Call "+c.Label())
	}
	if c.Mode == plan.Private && g.p.OnCall() {
		g.comment(level, "A private endpoint: called by its fn_index.")
	}
	if c.Redacted {
		g.comment(level, redactedNote)
	}
	switch {
	case c.Error != nil:
		g.failing(level, c)
	case c.Generator:
		g.generator(level, c)
	default:
		if g.test {
			g.write(level, "const result = await ", c, ";")
			g.check(level, c, "result.data")
		} else {
			g.printed(level, c)
		}
	}
	switch {
	case g.test && len(g.p.Secrets) > 0:
		g.line(2, "}));")
	case g.test:
		g.line(2, "});")
	}
}

func (g *gen) failing(level int, c *plan.Call) {
	msg := c.Error.Message
	if !g.test {
		if msg != "" {
			g.comment(level, "It failed in the recording: "+plan.Text(msg, 60))
		}
		g.line(level, "try {")
		g.write(level+1, "await ", c, ";")
		g.line(level, "} catch (error) {")
		g.line(level+1, `console.log("error:", `+g.redacted("error.message")+`);`)
		g.line(level, "}")
		return
	}
	if msg == "" || c.Error.HTTP != 0 {
		g.write(level, "await assert.rejects(", c, ");")
		return
	}
	var want layout.Node = &layout.List{Open: "{", Close: "}", FlatOpen: "{ ", FlatClose: " }", Items: []layout.Node{layout.Text("message: " + String(msg))}}
	if len(g.p.Secrets) > 0 {
		// Compared redacted, so that a failure shows no secret.
		g.failsWith = true
		want = &layout.List{Open: "failsWith(", Close: ")", Items: []layout.Node{layout.Text(String(msg))}}
	}
	l := &layout.List{Open: "await assert.rejects(", Close: ")", Items: []layout.Node{g.invocation(c), want}}
	style.Write(&g.b, level, "", l, ";")
}

func (g *gen) generator(level int, c *plan.Call) {
	sub := &layout.List{Open: "client.submit(", Close: ")", Items: []layout.Node{layout.Text(endpoint(c)), g.data(c)}}
	if c.Event {
		trigger := "null"
		if c.Rec.TriggerID != nil {
			trigger = strconv.Itoa(*c.Rec.TriggerID)
		}
		sub.Items = append(sub.Items, g.value(c.EventData), layout.Text(trigger))
	}
	switch {
	case !g.test && c.Event:
		g.show = true
		style.Write(&g.b, level, "await show(", sub, ");")
		return
	case !g.test:
		g.generate, g.print = true, true
		style.Write(&g.b, level, "await generate(client, "+endpoint(c)+", ", g.data(c), ");")
		return
	}
	style.Write(&g.b, level, "const job = ", sub, ";")
	g.line(level, "let result;")
	g.line(level, "let updates = 0;")
	g.line(level, "for await (const msg of job) {")
	g.line(level+1, `if (msg.type === "data") result = msg;`)
	g.line(level+1, `if (msg.type === "status" && msg.stage === "generating") updates++;`)
	g.line(level+1, `if (msg.type === "status" && msg.stage === "error") assert.fail(`+g.redacted("msg.message")+`);`)
	g.line(level, "}")
	if c.CheckUpdates {
		g.line(level, fmt.Sprintf("assert.equal(updates, %d);", c.Updates))
	}
	g.check(level, c, "result.data")
}

// printed writes a script's call that prints its result: print(await
// client.predict(...)) when the call fits on a line, else the result
// assigned first, its data laid out as prettier hugs it. A call with event
// data goes through run, which prints.
func (g *gen) printed(level int, c *plan.Call) {
	if c.Event {
		style.Write(&g.b, level, "await ", g.invocation(c), ";")
		return
	}
	g.print = true
	call := "await client.predict(" + endpoint(c) + ", " + layout.Flat(g.data(c)) + ")"
	switch {
	case fits(level, "print("+call+");"):
		g.line(level, "print("+call+");")
		return
	case fits(level+1, call+","):
		// prettier breaks the arguments of print, an await not being
		// one it hugs.
		g.line(level, "print(")
		g.line(level+1, call+",")
		g.line(level, ");")
		return
	}
	assign := "result = await "
	if !g.declared {
		assign, g.declared = "let result = await ", true
	}
	g.write(level, assign, c, ";")
	g.line(level, "print(result);")
}

// fits reports whether s fits on a line at level.
func fits(level int, s string) bool {
	return style.Width(strings.Repeat(style.Indent, level)+s) <= style.Max
}

// write writes prefix, the call's promise and suffix. A predict call hugs
// its data as prettier does: client.predict("/x", { ... }) opens the object
// on the first line when the call does not fit on one.
func (g *gen) write(level int, prefix string, c *plan.Call, suffix string) {
	if !c.Event {
		style.Write(&g.b, level, prefix+"client.predict("+endpoint(c)+", ", g.data(c), ")"+suffix)
		return
	}
	style.Write(&g.b, level, prefix, g.invocation(c), suffix)
}

// invocation returns the promise expression of a non-generator call.
func (g *gen) invocation(c *plan.Call) layout.Node {
	if c.Event {
		g.event = true
		trigger := "null"
		if c.Rec.TriggerID != nil {
			trigger = strconv.Itoa(*c.Rec.TriggerID)
		}
		return &layout.List{Open: "run(", Close: ")", Items: []layout.Node{
			layout.Text("client"), layout.Text(endpoint(c)), g.data(c), g.value(c.EventData), layout.Text(trigger)}}
	}
	return &layout.List{Open: "client.predict(", Close: ")", Items: []layout.Node{layout.Text(endpoint(c)), g.data(c)}}
}

// endpoint is the first argument of predict and submit.
func endpoint(c *plan.Call) string {
	if c.Mode == plan.Private {
		return strconv.Itoa(c.FnIndex)
	}
	return String(c.APIName)
}

// data returns the call's input: an object of named parameters or an array.
func (g *gen) data(c *plan.Call) layout.Node {
	if c.Mode == plan.Keywords {
		l := &layout.List{Open: "{", Close: "}", FlatOpen: "{ ", FlatClose: " }"}
		for _, a := range c.Args {
			l.Items = append(l.Items, layout.Seq{layout.Text(Key(a.Name) + ": "), g.value(a.Value)})
		}
		return l
	}
	l := &layout.List{Open: "[", Close: "]"}
	for _, a := range c.Args {
		l.Items = append(l.Items, g.value(a.Value))
	}
	return l
}

func (g *gen) value(v value.Value) layout.Node {
	g.files(v)
	return node(v, g.dir)
}

// files notes the helpers the files in v need.
func (g *gen) files(v value.Value) {
	switch v.Kind {
	case value.File:
		if v.File.URL != "" {
			g.handleFile = true
		} else {
			g.fixture = true
		}
	case value.Array:
		for _, it := range v.Items {
			g.files(it)
		}
	case value.Object:
		for _, f := range v.Fields {
			g.files(f.Value)
		}
	}
}
