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
	switch {
	case c.Error != nil:
		g.helpers["wantError"] = true
		w.put("_, err := ")
		g.invoke(w, c, "Predict")
		w.end()
		w.line("wantError(t, err, " + strconv.Quote(c.Error.Message) + ")")
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
	g.helpers["wantCount"] = true
	w.line("wantCount(t, res, " + strconv.Itoa(len(c.Outputs)) + ")")
	for i, o := range c.Outputs {
		got := "res.Data[" + strconv.Itoa(i) + "]"
		switch o.Check {
		case plan.Skipped:
			w.comment(fmt.Sprintf("%s is not checked: %s.", capitalize(o.Name), o.Reason))
		case plan.FileHash:
			g.helpers["wantFile"] = true
			w.line("wantFile(t, " + strconv.Quote(o.Name) + ", " + got + ", " + strconv.Quote(o.SHA256) + ")")
		default:
			g.helpers["wantJSON"] = true
			w.put("wantJSON(t, " + strconv.Quote(o.Name) + ", " + got + ", " + rawString(valueJSON(o)))
			for _, p := range o.Masked {
				g.helpers["mask"] = true
				w.put(", []any{")
				for i, k := range p {
					if i > 0 {
						w.put(", ")
					}
					w.put(fmt.Sprintf("%#v", k))
				}
				w.put("}")
			}
			w.line(")")
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
	if g.helpers["wantError"] {
		f.Line()
		f.Comment("wantError checks that a call failed as recorded: with a gr.Error carrying")
		f.Comment("msg, or any error when msg is empty.")
		var message jen.Code = jen.Id("appErr").Dot("Message")
		if g.hasSecrets() {
			f.Comment("The error's secrets are replaced by their placeholders first.")
			message = jen.Id("redactString").Call(message)
		}
		f.Func().Id("wantError").Params(tParam(), jen.Err().Error(), jen.Id("msg").String()).Block(
			jen.Id("t").Dot("Helper").Call(),
			jen.If(jen.Err().Op("==").Nil()).Block(
				jen.Id("t").Dot("Fatal").Call(jen.Lit("the call succeeded; the recorded call failed")),
			),
			jen.Var().Id("appErr").Op("*").Add(qual("AppError")),
			jen.If(jen.Id("msg").Op("!=").Lit("").Op("&&").Op("!").Parens(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("appErr")).Op("&&").Add(message).Op("==").Id("msg"))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("error %v, want a gr.Error %q"), g.redactedError(jen.Err()), jen.Id("msg")),
			),
		)
	}
	if g.helpers["wantCount"] {
		f.Line()
		f.Comment("wantCount checks the number of outputs.")
		f.Func().Id("wantCount").Params(tParam(), jen.Id("res").Op("*").Add(qual("Result")), jen.Id("n").Int()).Block(
			jen.Id("t").Dot("Helper").Call(),
			jen.If(jen.Len(jen.Id("res").Dot("Data")).Op("!=").Id("n")).Block(
				jen.Id("t").Dot("Fatalf").Call(jen.Lit("outputs: got %d, want %d"), jen.Len(jen.Id("res").Dot("Data")), jen.Id("n")),
			),
		)
	}
	if g.helpers["wantFile"] {
		f.Line()
		f.Comment("wantFile checks that an output is a file whose bytes hash to sum.")
		f.Func().Id("wantFile").Params(tParam(), jen.Id("name").String(), jen.Id("got").Any(), jen.Id("sum").String()).Block(
			jen.Id("t").Dot("Helper").Call(),
			jen.List(jen.Id("file"), jen.Id("ok")).Op(":=").Id("got").Assert(jen.Op("*").Add(qual("FileData"))),
			jen.If(jen.Op("!").Id("ok")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s is %T, want a file"), jen.Id("name"), jen.Id("got")),
				jen.Return(),
			),
			jen.Id("h").Op(":=").Qual("crypto/sha256", "New").Call(),
			jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("file").Dot("CopyTo").Call(jen.Id("t").Dot("Context").Call(), jen.Id("h")), jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: %v"), jen.Id("name"), jen.Err()),
				jen.Return(),
			),
			jen.If(jen.Id("hex").Op(":=").Qual("encoding/hex", "EncodeToString").Call(jen.Id("h").Dot("Sum").Call(jen.Nil())), jen.Id("hex").Op("!=").Id("sum")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: file %s has SHA-256 %s, want %s"), jen.Id("name"), jen.Id("file").Dot("Name").Call(), jen.Id("hex"), jen.Id("sum")),
			),
		)
	}
	if g.helpers["wantJSON"] {
		f.Line()
		maskParam := []jen.Code{tParam(), jen.Id("name").String(), jen.Id("got").Any(), jen.Id("want").String()}
		gotValue := jen.Id("decode").Call(jen.Id("b"))
		var maskLoop []jen.Code
		switch {
		case g.hasSecrets():
			f.Comment("wantJSON checks that an output, its secrets replaced by their placeholders,")
			if g.helpers["mask"] {
				f.Comment("equals the recorded JSON, but for the parts at the masked paths (keys and")
				f.Comment("indexes), which differ on every call and are null in want; numbers compare")
				f.Comment("by value (3 equals 3.0). A failure shows the redacted output.")
				maskParam = append(maskParam, jen.Id("masked").Op("...").Index().Any())
			} else {
				f.Comment("equals the recorded JSON; numbers compare by value (3 equals 3.0). A failure")
				f.Comment("shows the redacted output.")
			}
			gotValue = jen.Id("v")
			maskLoop = []jen.Code{jen.Id("v").Op(":=").Id("redact").Call(jen.Id("decode").Call(jen.Id("b")))}
			if g.helpers["mask"] {
				maskLoop = append(maskLoop, jen.For(jen.List(jen.Id("_"), jen.Id("path")).Op(":=").Range().Id("masked")).Block(
					jen.Id("v").Op("=").Id("mask").Call(jen.Id("v"), jen.Id("path")),
				))
			}
		case g.helpers["mask"]:
			f.Comment("wantJSON checks that an output equals the recorded JSON, but for the parts")
			f.Comment("at the masked paths (keys and indexes), which differ on every call and are")
			f.Comment("null in want; numbers compare by value (3 equals 3.0).")
			maskParam = append(maskParam, jen.Id("masked").Op("...").Index().Any())
			gotValue = jen.Id("v")
			maskLoop = []jen.Code{
				jen.Id("v").Op(":=").Id("decode").Call(jen.Id("b")),
				jen.For(jen.List(jen.Id("_"), jen.Id("path")).Op(":=").Range().Id("masked")).Block(
					jen.Id("v").Op("=").Id("mask").Call(jen.Id("v"), jen.Id("path")),
				),
			}
		default:
			f.Comment("wantJSON checks that an output equals the recorded JSON; numbers compare by")
			f.Comment("value (3 equals 3.0).")
		}
		body := []jen.Code{
			jen.Id("t").Dot("Helper").Call(),
			jen.List(jen.Id("b"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("got")),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: %v"), jen.Id("name"), jen.Err()),
				jen.Return(),
			),
		}
		body = append(body, maskLoop...)
		body = append(body,
			jen.If(jen.Op("!").Id("sameJSON").Call(gotValue, jen.Id("decode").Call(jen.Index().Byte().Call(jen.Id("want"))))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s = %s, want %s"), jen.Id("name"), jen.Id("jsonText").Call(gotValue), jen.Id("want")),
			),
		)
		f.Func().Id("wantJSON").Params(maskParam...).Block(body...)
		f.Line()
		f.Comment("decode reads JSON with numbers as json.Number.")
		f.Func().Id("decode").Params(jen.Id("b").Index().Byte()).Any().Block(
			jen.Id("dec").Op(":=").Qual("encoding/json", "NewDecoder").Call(jen.Qual("bytes", "NewReader").Call(jen.Id("b"))),
			jen.Id("dec").Dot("UseNumber").Call(),
			jen.Var().Id("v").Any(),
			jen.If(jen.Err().Op(":=").Id("dec").Dot("Decode").Call(jen.Op("&").Id("v")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Err()),
			),
			jen.Return(jen.Id("v")),
		)
		f.Line()
		f.Comment("sameJSON compares decoded JSON values, numbers by their exact value.")
		f.Func().Id("sameJSON").Params(jen.List(jen.Id("a"), jen.Id("b")).Any()).Bool().Block(
			jen.Switch(jen.Id("a").Op(":=").Id("a").Assert(jen.Type())).Block(
				jen.Case(jen.Qual("encoding/json", "Number")).Block(
					jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("b").Assert(jen.Qual("encoding/json", "Number")),
					jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.False())),
					jen.List(jen.Id("x"), jen.Id("okx")).Op(":=").New(jen.Qual("math/big", "Rat")).Dot("SetString").Call(jen.String().Call(jen.Id("a"))),
					jen.List(jen.Id("y"), jen.Id("oky")).Op(":=").New(jen.Qual("math/big", "Rat")).Dot("SetString").Call(jen.String().Call(jen.Id("b"))),
					jen.Return(jen.Id("a").Op("==").Id("b").Op("||").Id("okx").Op("&&").Id("oky").Op("&&").Id("x").Dot("Cmp").Call(jen.Id("y")).Op("==").Lit(0)),
				),
				jen.Case(jen.Index().Any()).Block(
					jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("b").Assert(jen.Index().Any()),
					jen.If(jen.Op("!").Id("ok").Op("||").Len(jen.Id("a")).Op("!=").Len(jen.Id("b"))).Block(jen.Return(jen.False())),
					jen.For(jen.Id("i").Op(":=").Range().Id("a")).Block(
						jen.If(jen.Op("!").Id("sameJSON").Call(jen.Id("a").Index(jen.Id("i")), jen.Id("b").Index(jen.Id("i")))).Block(jen.Return(jen.False())),
					),
					jen.Return(jen.True()),
				),
				jen.Case(jen.Map(jen.String()).Any()).Block(
					jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("b").Assert(jen.Map(jen.String()).Any()),
					jen.If(jen.Op("!").Id("ok").Op("||").Len(jen.Id("a")).Op("!=").Len(jen.Id("b"))).Block(jen.Return(jen.False())),
					jen.For(jen.List(jen.Id("k"), jen.Id("x")).Op(":=").Range().Id("a")).Block(
						jen.List(jen.Id("y"), jen.Id("ok")).Op(":=").Id("b").Index(jen.Id("k")),
						jen.If(jen.Op("!").Id("ok").Op("||").Op("!").Id("sameJSON").Call(jen.Id("x"), jen.Id("y"))).Block(jen.Return(jen.False())),
					),
					jen.Return(jen.True()),
				),
			),
			jen.Return(jen.Id("a").Op("==").Id("b")),
		)
	}
	if g.helpers["mask"] {
		f.Line()
		f.Comment("mask returns v with nil at path (string keys and int indexes) when v has")
		f.Comment("that part.")
		f.Func().Id("mask").Params(jen.Id("v").Any(), jen.Id("path").Index().Any()).Any().Block(
			jen.If(jen.Len(jen.Id("path")).Op("==").Lit(0)).Block(jen.Return(jen.Nil())),
			jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(
				jen.Case(jen.Map(jen.String()).Any()).Block(
					jen.If(jen.List(jen.Id("k"), jen.Id("ok")).Op(":=").Id("path").Index(jen.Lit(0)).Assert(jen.String()), jen.Id("ok")).Block(
						jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Index(jen.Id("k")), jen.Id("ok")).Block(
							jen.Id("v").Index(jen.Id("k")).Op("=").Id("mask").Call(jen.Id("x"), jen.Id("path").Index(jen.Lit(1), jen.Empty())),
						),
					),
				),
				jen.Case(jen.Index().Any()).Block(
					jen.If(jen.List(jen.Id("i"), jen.Id("ok")).Op(":=").Id("path").Index(jen.Lit(0)).Assert(jen.Int()), jen.Id("ok").Op("&&").Id("i").Op(">=").Lit(0).Op("&&").Id("i").Op("<").Len(jen.Id("v"))).Block(
						jen.Id("v").Index(jen.Id("i")).Op("=").Id("mask").Call(jen.Id("v").Index(jen.Id("i")), jen.Id("path").Index(jen.Lit(1), jen.Empty())),
					),
				),
			),
			jen.Return(jen.Id("v")),
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
	if g.helpers["wantJSON"] {
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
