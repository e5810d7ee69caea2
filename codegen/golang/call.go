package golang

import (
	"strconv"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

// invoke writes the call of c's endpoint with method (Predict or Submit):
// on the client with the api name, or on the endpoint by fn_index; after
// ctx, positional values or one gradio.Named, then its event (see the
// package doc) when plan.Call.Event says a client must send it.
func (g *gen) invoke(w *code, c *plan.Call, method string) {
	gradio := w.pkg(gradioPath)
	if c.Mode == plan.Private {
		g.helpers["byIndex"] = true
		t := ""
		if g.test {
			t = "t, "
		}
		w.put("byIndex(" + t + "c, " + strconv.Itoa(c.FnIndex) + ")." + method + "(ctx")
	} else {
		w.put("c." + method + "(ctx, " + strconv.Quote(c.APIName))
	}
	if c.Named && len(c.Args) > 0 {
		ps := make([]pair, len(c.Args))
		for i, a := range c.Args {
			ps[i] = pair{strconv.Quote(a.Name), func(w *code) { w.literal(a.Value) }}
		}
		w.put(", ")
		w.composite(gradio+".Named", ps)
	} else {
		for _, a := range c.Args {
			w.put(", ")
			w.arg(a.Value)
		}
	}
	// The event only where the function reads it (or the page sent data).
	switch {
	case !c.Event:
	case c.Rec.TriggerID != nil:
		w.put(", " + gradio + ".Trigger(" + strconv.Itoa(*c.Rec.TriggerID) + ", ")
		if c.EventData.Kind != value.Null {
			w.arg(c.EventData)
		} else {
			w.put("nil")
		}
		w.put(")")
	default:
		w.put(", " + gradio + ".Event{Data: ")
		w.literal(c.EventData)
		w.put("}")
	}
	w.put(")")
}

// endpointNote writes the file's one comment on the private endpoints it
// calls (the intent form).
func (g *gen) endpointNote(f *jen.File) {
	note := g.p.EndpointNote(plan.Private, "private endpoint", "the code calls private endpoints by their fn_index")
	if note == "" {
		return
	}
	for _, line := range plan.Wrap(note, 77, utf8.RuneCountInString) {
		f.Comment(line)
	}
	f.Line()
}

// callComments writes the comment lines a call starts with; the script
// names the call first.
func (g *gen) callComments(w *code, c *plan.Call) {
	if !g.test {
		w.comment("Call " + c.Label())
	}
	if c.Mode == plan.Private && g.p.OnCall() {
		w.comment("A private endpoint: called by its fn_index.")
	}
	if c.Redacted {
		w.comment(redactedNote)
	}
}
