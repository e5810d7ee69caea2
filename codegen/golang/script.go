package golang

import (
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

func (g *gen) scriptFile(f *jen.File) {
	g.endpointNote(f)
	var calls []jen.Code
	for _, s := range g.p.Sessions {
		if s.Replayable(true) {
			calls = append(calls, jen.Id(sessionFunc(s)).Call(jen.Id("ctx")))
		}
	}
	if len(calls) == 0 {
		calls = append(calls, jen.Qual("fmt", "Println").Call(jen.Lit("nothing to replay")))
	} else {
		calls = append([]jen.Code{jen.Id("ctx").Op(":=").Qual("context", "Background").Call()}, calls...)
	}
	if g.hasSecrets() {
		calls = append([]jen.Code{secretsCheck()}, calls...)
	}
	if g.p.Streams() {
		f.Comment("stream makes the script print every intermediate output of a streaming")
		f.Comment("call (-stream), not only its final result.")
		f.Var().Id("stream").Op("=").Qual("flag", "Bool").Call(jen.Lit("stream"), jen.False(), jen.Lit("print every intermediate output of a streaming call"))
		f.Line()
		calls = append([]jen.Code{jen.Qual("flag", "Parse").Call()}, calls...)
	}
	f.Func().Id("main").Params().Block(calls...)

	f.Line()
	f.Comment("connect connects a new client: one per recorded session, so gr.State")
	f.Comment("carries over between its calls.")
	body, opts := g.connectPrelude(false)
	body = append(body,
		jen.List(jen.Id("c"), jen.Err()).Op(":=").Add(qual("Connect")).Call(append([]jen.Code{jen.Id("ctx"), jen.Id("url")}, opts...)...),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Qual("log", "Fatal").Call(jen.Err())),
		jen.Return(jen.Id("c")),
	)
	f.Func().Id("connect").Params(jen.Id("ctx").Qual("context", "Context")).Op("*").Add(qual("Client")).Block(body...)

	for _, s := range g.p.Sessions {
		g.scriptSession(s)
	}
	g.scriptHelpers(g.part())
}

func (g *gen) scriptSession(s *plan.Session) {
	defer g.p.Values(s)()
	w := newCode(&g.uses)
	defer g.textPart(w)
	if !s.Replayable(true) {
		w.comment("Session " + plan.Text(s.ID, 40) + " has no call to replay:")
		for _, c := range s.Calls {
			w.comment("Call " + c.Label() + " is skipped: " + c.Skip + ".")
		}
		return
	}
	w.doc(sessionFunc(s) + " replays the calls of session " + plan.Text(s.ID, 40) + " with one client.")
	w.open("func " + sessionFunc(s) + "(ctx " + w.pkg("context") + ".Context) {")
	w.line("c := connect(ctx)")
	w.line("defer c.Close()")
	if note := s.LeftOutNote(); note != "" {
		w.comment(note)
	}
	for _, c := range s.Calls {
		w.end()
		if c.Skip != "" {
			w.comment("Call " + c.Label() + " is skipped: " + c.Skip + ".")
			continue
		}
		g.callComments(w, c)
		if c.Error != nil && c.Error.Message != "" {
			w.comment("It failed in the recording: " + plan.Text(c.Error.Message, 60))
		}
		w.line(w.pkg("fmt") + ".Println(" + strconv.Quote("call "+c.Label()) + ")")
		show := "show"
		if c.Error != nil {
			show = "showFailure" // its error is expected: the script goes on
			g.helpers[show] = true
		}
		if c.Generator {
			g.helpers["follow"] = true
			w.put(show + "(follow(")
			g.invoke(w, c, "Submit")
			w.line("))")
		} else {
			w.put(show + "(")
			g.invoke(w, c, "Predict")
			w.line(")")
		}
	}
	w.close("}")
}

func (g *gen) scriptHelpers(f *jen.File) {
	f.Line()
	f.Comment("show prints a result's outputs as JSON. A call that fails, which did not in")
	f.Comment("the recording, ends the script with its error (exit status 1).")
	f.Func().Id("show").Params(jen.Id("res").Op("*").Add(qual("Result")), jen.Err().Error()).Block(
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Qual("fmt", "Fprintln").Call(jen.Qual("os", "Stderr"), jen.Lit("  error:"), g.redactedError(jen.Err())),
			jen.Qual("os", "Exit").Call(jen.Lit(1)),
		),
		jen.List(jen.Id("b"), jen.Err()).Op(":=").Add(g.marshal(jen.Id("res").Dot("Data"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Qual("fmt", "Println").Call(jen.Lit(" "), g.redacted(jen.Id("res").Dot("Data"))),
			jen.Return(),
		),
		jen.Qual("fmt", "Println").Call(jen.Lit(" "), jen.String().Call(jen.Id("b"))),
	)
	if g.helpers["showFailure"] {
		f.Line()
		f.Comment("showFailure shows a call that failed in the recording: its error, as")
		f.Comment("expected, or its outputs.")
		f.Func().Id("showFailure").Params(jen.Id("res").Op("*").Add(qual("Result")), jen.Err().Error()).Block(
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Qual("fmt", "Println").Call(jen.Lit("  error:"), g.redactedError(jen.Err())),
				jen.Return(),
			),
			jen.Id("show").Call(jen.Id("res"), jen.Nil()),
		)
	}
	if g.helpers["follow"] {
		f.Line()
		f.Comment("follow returns a generator's final result, printing each intermediate")
		f.Comment("output first with -stream.")
		f.Func().Id("follow").Params(jen.Id("job").Op("*").Add(qual("Job")), jen.Err().Error()).Params(jen.Op("*").Add(qual("Result")), jen.Error()).Block(
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.For(jen.Id("u").Op(":=").Range().Id("job").Dot("Updates").Call()).Block(
				jen.If(jen.Op("*").Id("stream").Op("&&").Id("u").Dot("Kind").Op("==").Add(qual("UpdateOutput"))).Block(
					jen.List(jen.Id("b"), jen.Id("_")).Op(":=").Add(g.marshal(jen.Id("u").Dot("Output"))),
					jen.Qual("fmt", "Println").Call(jen.Lit("  update:"), jen.String().Call(jen.Id("b"))),
				),
			),
			jen.Return(jen.Id("job").Dot("Result").Call(jen.Qual("context", "Background").Call())),
		)
	}
	if g.helpers["byIndex"] {
		f.Line()
		f.Comment("byIndex returns the endpoint with the given fn_index (private endpoints")
		f.Comment("have no usable name).")
		f.Func().Id("byIndex").Params(jen.Id("c").Op("*").Add(qual("Client")), jen.Id("fnIndex").Int()).Op("*").Add(qual("Endpoint")).Block(
			jen.List(jen.Id("e"), jen.Err()).Op(":=").Id("c").Dot("EndpointByIndex").Call(jen.Id("fnIndex")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Qual("log", "Fatal").Call(jen.Err())),
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
