package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// secretExpr is a string built from literal text and secrets read from the
// environment: "Bearer " + os.Getenv("GRADIO_SECRET_API_KEY").
func secretExpr(parts []value.Part) *jen.Statement {
	var s *jen.Statement
	for _, p := range parts {
		var term *jen.Statement
		if p.Secret != "" {
			term = jen.Qual("os", "Getenv").Call(jen.Lit(recording.SecretEnv(p.Secret)))
		} else {
			term = jen.Lit(value.Go(p.Text))
		}
		if s == nil {
			s = term
		} else {
			s = s.Op("+").Add(term)
		}
	}
	return s
}

// hasSecrets reports whether the recording's arguments hold named secrets.
func (g *gen) hasSecrets() bool { return len(g.p.Secrets) > 0 }

// redacted wraps an output in the redact helper when the recording has
// secrets.
func (g *gen) redacted(v jen.Code) jen.Code {
	if !g.hasSecrets() {
		return v
	}
	return jen.Id("redact").Call(v)
}

// marshal is jsonText(v), or with secrets jsonText(redact(v)).
func (g *gen) marshal(v jen.Code) jen.Code {
	g.helpers["jsonText"] = true
	return jen.Id("jsonText").Call(g.redacted(v))
}

// redactedError is an error's text, redacted when the recording has
// secrets.
func (g *gen) redactedError(err jen.Code) jen.Code {
	if !g.hasSecrets() {
		return err
	}
	return jen.Id("redactString").Call(jen.Add(err).Dot("Error").Call())
}

// secretsCheck returns the statements that stop at once, naming the
// variables to set, when a secret's variable is unset or empty.
func secretsCheck() jen.Code {
	return jen.If(jen.Id("unset").Op(":=").Id("unsetSecrets").Call(), jen.Len(jen.Id("unset")).Op(">").Lit(0)).Block(
		jen.Qual("fmt", "Fprintf").Call(jen.Qual("os", "Stderr"), jen.Lit("set %s: the code reads the recorded secrets from them\n"),
			jen.Qual("strings", "Join").Call(jen.Id("unset"), jen.Lit(", "))),
		jen.Qual("os", "Exit").Call(jen.Lit(2)),
	)
}

// secretsHelpers defines the secrets table, unsetSecrets, and the redact
// helpers that replace the secrets in an output by their placeholders, by
// the rules of the recording (see recording.MinSecretInText).
func (g *gen) secretsHelpers(f *jen.File) {
	f.Line()
	f.Comment("secrets are the recorded secrets, <redacted:NAME> in the recording, by the")
	f.Comment("environment variable that holds each one's value.")
	d := jen.Dict{}
	for _, name := range g.p.Secrets {
		d[jen.Lit(recording.SecretEnv(name))] = jen.Lit(recording.Placeholder(name))
	}
	f.Var().Id("secrets").Op("=").Map(jen.String()).String().Values(d)

	f.Line()
	f.Comment("unsetSecrets returns the variables of secrets that are unset or empty.")
	f.Func().Id("unsetSecrets").Params().Index().String().Block(
		jen.Var().Id("unset").Index().String(),
		jen.For(jen.Id("name").Op(":=").Range().Id("secrets")).Block(
			jen.If(jen.Qual("os", "Getenv").Call(jen.Id("name")).Op("==").Lit("")).Block(
				jen.Id("unset").Op("=").Append(jen.Id("unset"), jen.Id("name")),
			),
		),
		jen.Qual("slices", "Sort").Call(jen.Id("unset")),
		jen.Return(jen.Id("unset")),
	)

	f.Line()
	f.Comment("redact returns v with each secret replaced by its placeholder, as the")
	f.Comment("recording holds it: a string that is a secret's whole value, and secrets")
	f.Comment(fmt.Sprintf("of at least %d bytes inside longer strings (map keys too).", recording.MinSecretInText))
	f.Func().Id("redact").Params(jen.Id("v").Any()).Any().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(
			jen.Case(jen.String()).Block(jen.Return(jen.Id("redactString").Call(jen.Id("v")))),
			jen.Case(jen.Index().Any()).Block(
				jen.Id("out").Op(":=").Make(jen.Index().Any(), jen.Len(jen.Id("v"))),
				jen.For(jen.List(jen.Id("i"), jen.Id("x")).Op(":=").Range().Id("v")).Block(
					jen.Id("out").Index(jen.Id("i")).Op("=").Id("redact").Call(jen.Id("x")),
				),
				jen.Return(jen.Id("out")),
			),
			jen.Case(jen.Map(jen.String()).Any()).Block(
				jen.Id("out").Op(":=").Make(jen.Map(jen.String()).Any(), jen.Len(jen.Id("v"))),
				jen.For(jen.List(jen.Id("k"), jen.Id("x")).Op(":=").Range().Id("v")).Block(
					jen.Id("out").Index(jen.Id("redactString").Call(jen.Id("k"))).Op("=").Id("redact").Call(jen.Id("x")),
				),
				jen.Return(jen.Id("out")),
			),
		),
		jen.Return(jen.Id("v")),
	)

	f.Line()
	f.Comment("redactString is redact for a string.")
	pair := func(a, b string) jen.Code { return jen.Id(a).Dot(b) }
	f.Func().Id("redactString").Params(jen.Id("s").String()).String().Block(
		jen.Type().Id("secret").Struct(jen.List(jen.Id("value"), jen.Id("placeholder")).String()),
		jen.Var().Id("all").Index().Id("secret"),
		jen.For(jen.List(jen.Id("name"), jen.Id("placeholder")).Op(":=").Range().Id("secrets")).Block(
			jen.Id("all").Op("=").Append(jen.Id("all"), jen.Id("secret").Values(jen.Qual("os", "Getenv").Call(jen.Id("name")), jen.Id("placeholder"))),
		),
		jen.Comment("Longest first, so that a secret holding another is replaced whole."),
		jen.Qual("slices", "SortFunc").Call(jen.Id("all"), jen.Func().Params(jen.List(jen.Id("a"), jen.Id("b")).Id("secret")).Int().Block(
			jen.Return(jen.Qual("cmp", "Or").Call(
				jen.Len(pair("b", "value")).Op("-").Len(pair("a", "value")),
				jen.Qual("strings", "Compare").Call(pair("a", "placeholder"), pair("b", "placeholder")),
			)),
		)),
		jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("all")).Block(
			jen.If(jen.Id("s").Op("==").Id("x").Dot("value")).Block(jen.Return(jen.Id("x").Dot("placeholder"))),
		),
		jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("all")).Block(
			jen.If(jen.Len(jen.Id("x").Dot("value")).Op(">=").Lit(recording.MinSecretInText)).Block(
				jen.Id("s").Op("=").Qual("strings", "ReplaceAll").Call(jen.Id("s"), jen.Id("x").Dot("value"), jen.Id("x").Dot("placeholder")),
			),
		),
		jen.Return(jen.Id("s")),
	)
}

// redactedNote is the comment on a call whose arguments hold the
// anonymous placeholder, which no variable can restore.
const redactedNote = "An input was redacted when recorded: it is sent as the text " + recording.Redacted + "."

// jsonTextHelper defines jsonText, which writes JSON as it is: without
// json.Marshal's escapes of <, > and &, which HTML outputs are full of, and
// placeholders hold.
func (g *gen) jsonTextHelper(f *jen.File) {
	f.Line()
	f.Comment("jsonText returns the JSON text of v without escaping <, > and &, so that")
	f.Comment("HTML and placeholders read as they are.")
	encode := []jen.Code{
		jen.Var().Id("buf").Qual("bytes", "Buffer"),
		jen.Id("enc").Op(":=").Qual("encoding/json", "NewEncoder").Call(jen.Op("&").Id("buf")),
		jen.Id("enc").Dot("SetEscapeHTML").Call(jen.False()),
	}
	text := jen.Qual("bytes", "TrimSpace").Call(jen.Id("buf").Dot("Bytes").Call())
	if g.test {
		// The value was decoded from JSON: it encodes.
		f.Func().Id("jsonText").Params(jen.Id("v").Any()).Index().Byte().Block(append(encode,
			jen.Id("_").Op("=").Id("enc").Dot("Encode").Call(jen.Id("v")),
			jen.Return(text),
		)...)
	} else {
		f.Func().Id("jsonText").Params(jen.Id("v").Any()).Params(jen.Index().Byte(), jen.Error()).Block(append(encode,
			jen.Err().Op(":=").Id("enc").Dot("Encode").Call(jen.Id("v")),
			jen.Return(text, jen.Err()),
		)...)
	}

}
