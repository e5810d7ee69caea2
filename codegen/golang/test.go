package golang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

func (g *gen) testFile(f *jen.File) {
	g.endpointNote(f)
	var sessions []jen.Code
	for _, s := range g.p.Sessions {
		sessions = append(sessions, g.testSession(s)...)
	}
	if g.hasSecrets() {
		f.Comment("TestMain stops at once when a recorded secret's variable is unset.")
		f.Func().Id("TestMain").Params(jen.Id("m").Op("*").Qual("testing", "M")).Block(
			secretsCheck(),
			jen.Qual("os", "Exit").Call(jen.Id("m").Dot("Run").Call()),
		)
		f.Line()
	}
	f.Func().Id("TestReplay").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(sessions...)

	f.Line()
	f.Comment("connect connects a new client for a session and closes it when the test")
	f.Comment("ends. Numbers stay json.Number, so outputs compare exactly.")
	body, opts := g.connectPrelude(true)
	body = append(body,
		jen.List(jen.Id("c"), jen.Err()).Op(":=").Add(qual("Connect")).Call(append([]jen.Code{jen.Id("t").Dot("Context").Call(), jen.Id("url")}, opts...)...),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.Id("t").Dot("Cleanup").Call(jen.Func().Params().Block(jen.Id("c").Dot("Close").Call())),
		jen.Return(jen.Id("c")),
	)
	f.Func().Id("connect").Params(jen.Id("t").Op("*").Qual("testing", "T")).Op("*").Add(qual("Client")).Block(body...)
	g.testHelpers(g.part())
}

// subtestName names a call's subtest: "3_calculate".
func subtestName(c *plan.Call) string {
	name := plan.Ident(c.Note)
	if name == "" {
		return fmt.Sprint(c.Rec.ID)
	}
	return fmt.Sprintf("%d_%s", c.Rec.ID, name)
}

func (g *gen) testSession(s *plan.Session) []jen.Code {
	defer g.p.Values(s)()
	name := "test" + strings.ToUpper(sessionFunc(s)[:1]) + sessionFunc(s)[1:]
	w := newCode(&g.uses)
	defer g.textPart(w)
	w.doc(name + " replays the calls of session " + plan.Text(s.ID, 40) + " with one client.")
	w.open("func " + name + "(t *" + w.pkg("testing") + ".T) {")
	if !s.Replayable(true) {
		for _, c := range s.Calls {
			w.comment("Call " + c.Label() + " is skipped: " + c.Skip + ".")
		}
		w.line(`t.Skip("no call of this session can be replayed")`)
	} else {
		w.line("ctx := t.Context()")
		w.line("c := connect(t)")
		if note := s.LeftOutNote(); note != "" {
			w.comment(note)
		}
		for _, c := range s.Calls {
			if c.Skip != "" {
				w.comment("Call " + c.Label() + " is skipped: " + c.Skip + ".")
				continue
			}
			g.testCall(w, c)
		}
	}
	w.close("}")
	return []jen.Code{jen.Id("t").Dot("Run").Call(jen.Lit(s.ID), jen.Id(name))}
}

// testCall writes the subtest of a call.
func (g *gen) testCall(w *code, c *plan.Call) {
	w.open("t.Run(" + strconv.Quote(subtestName(c)) + ", func(t *testing.T) {")
	defer w.close("})")
	g.callComments(w, c)
	// An error may quote an input: with secrets, it is shown redacted.
	fatal := func() {
		w.open("if err != nil {")
		if g.hasSecrets() {
			w.line("t.Fatal(redactString(err.Error()))")
		} else {
			w.line("t.Fatal(err)")
		}
		w.close("}")
	}
	expect := w.pkg(expectPath)
	// With secrets, what a check compares and shows is redacted first.
	redacted := ""
	if g.hasSecrets() {
		redacted = ", " + expect + ".Redacted(redact)"
	}
	switch {
	case c.Error != nil:
		w.put("_, err := ")
		g.invoke(w, c, "Predict")
		w.end()
		w.line(expect + ".Error(t, err, " + strconv.Quote(c.Error.Message) + redacted + ")")
		return
	case c.Generator:
		w.put("job, err := ")
		g.invoke(w, c, "Submit")
		w.end()
		fatal()
		w.line("res, err := job.Result(ctx)")
		fatal()
		if c.CheckUpdates {
			n := strconv.Itoa(c.Updates)
			w.open("if n := len(job.Outputs()); n != " + n + " {")
			w.line(`t.Errorf("intermediate outputs: got %d, want %d", n, ` + n + ")")
			w.close("}")
		}
	default:
		w.put("res, err := ")
		g.invoke(w, c, "Predict")
		w.end()
		fatal()
	}
	w.line(expect + ".Count(t, res, " + strconv.Itoa(len(c.Outputs)) + ")")
	for i, o := range c.Outputs {
		got := "res.Data[" + strconv.Itoa(i) + "]"
		switch o.Check {
		case plan.Skipped:
			w.comment(fmt.Sprintf("%s is not checked: %s.", capitalize(o.Name), o.Reason))
		case plan.FileHash:
			w.line(expect + ".File(t, " + strconv.Quote(o.Name) + ", " + got + ", " + strconv.Quote(o.SHA256) + ")")
		default:
			w.put(expect + ".JSON(t, " + strconv.Quote(o.Name) + ", " + got + ", " + rawString(valueJSON(o)))
			for _, p := range o.Masked {
				w.put(", " + expect + ".Masked(")
				for i, k := range p {
					if i > 0 {
						w.put(", ")
					}
					w.put(fmt.Sprintf("%#v", k))
				}
				w.put(")")
			}
			w.line(redacted + ")")
		}
	}
}

// valueJSON is the expected JSON text of an output.
func valueJSON(o plan.Output) string { return value.JSON{}.String(o.Value) }

func tParam() jen.Code { return jen.Id("t").Op("*").Qual("testing", "T") }

func (g *gen) testHelpers(f *jen.File) {
	if g.helpers["byIndex"] {
		f.Line()
		f.Comment("byIndex returns the endpoint with the given fn_index (private endpoints")
		f.Comment("have no usable name).")
		f.Func().Id("byIndex").Params(tParam(), jen.Id("c").Op("*").Add(qual("Client")), jen.Id("fnIndex").Int()).Op("*").Add(qual("Endpoint")).Block(
			jen.Id("t").Dot("Helper").Call(),
			jen.List(jen.Id("e"), jen.Err()).Op(":=").Id("c").Dot("EndpointByIndex").Call(jen.Id("fnIndex")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.Return(jen.Id("e")),
		)
	}
	if g.uses.deep {
		f.Line()
		f.Add(decodeHelper())
	}
	if g.uses.fixture {
		f.Line()
		f.Add(fixtureHelper())
	}
	if g.hasSecrets() {
		g.secretsHelpers(f)
	}
	if g.helpers["jsonText"] {
		g.jsonTextHelper(f)
	}
}

// capitalize upper-cases the first letter of an ASCII name.
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
