package golang

import "github.com/dave/jennifer/jen"

// connectPrelude returns the statements that build the client options and
// the URL, shared by both flavours, and the options to pass to Connect:
// none, the one option itself, or "opts..." when they are built in steps.
func (g *gen) connectPrelude(test bool) (out, opts []jen.Code) {
	out = append(out,
		jen.Id("url").Op(":=").Qual("os", "Getenv").Call(jen.Lit("GRADIO_URL")),
		jen.If(jen.Id("url").Op("==").Lit("")).Block(jen.Id("url").Op("=").Lit(g.p.Src)),
	)
	if test {
		opts = append(opts, qual("WithJSONNumber").Call())
	}
	if g.p.SpaceID == "" && !g.p.Auth {
		return out, opts
	}
	out = append(out, jen.Id("opts").Op(":=").Index().Add(qual("Option")).Values(opts...))
	opts = []jen.Code{jen.Id("opts").Op("...")}
	if g.p.SpaceID != "" {
		out = append(out, jen.If(jen.Id("token").Op(":=").Qual("os", "Getenv").Call(jen.Lit("HF_TOKEN")), jen.Id("token").Op("!=").Lit("")).Block(
			jen.Comment("HF_TOKEN goes to Hugging Face hosts only, so that an app elsewhere"),
			jen.Comment("cannot collect it, unless GRADIO_TOKEN_ANY_HOST=1."),
			jen.Id("withToken").Op(":=").Add(qual("WithAmbientToken")),
			jen.If(jen.Qual("os", "Getenv").Call(jen.Lit("GRADIO_TOKEN_ANY_HOST")).Op("==").Lit("1")).Block(
				jen.Id("withToken").Op("=").Add(qual("WithToken")),
			),
			jen.Id("opts").Op("=").Append(jen.Id("opts"), jen.Id("withToken").Call(jen.Id("token"))),
		))
	}
	if g.p.Auth {
		out = append(out, jen.Id("opts").Op("=").Append(jen.Id("opts"), qual("WithAuth").Call(
			jen.Qual("os", "Getenv").Call(jen.Lit("GRADIO_USERNAME")),
			jen.Qual("os", "Getenv").Call(jen.Lit("GRADIO_PASSWORD")),
		)))
	}
	return out, opts
}
