// Package python generates Python code that replays a recording with the
// official client, gradio_client: a script that prints each result, a
// pytest module with one test per recorded session that checks each output,
// or a Locust load test (see Locust).
//
// One Client per session keeps gr.State between its calls. Public endpoints
// get keyword arguments; undocumented ones positional arguments, since
// gradio_client knows no parameter names for them; private and UI-only calls
// are left out with a comment. Generators are run with submit and iterated.
// gradio_client cannot send event data: the outputs of a call that reads
// gr.EventData, and of each later call that reads a State such a call or a
// left-out private call changed (plan.Session.Lost), are not checked, and a
// test with such calls ends with pytest.xfail once its other checks passed.
// Scripts print each result with json.dumps; tests compare each output with
// a check helper whose assert message names it, and pytest shows both
// values.
// Inputs recorded as fixture files are uploaded with handle_file, their paths
// resolved against the module's own folder (HERE; a one-session script makes
// that folder the working folder and gives short paths), so the code runs
// from any working folder. Secrets come from the environment: HF_TOKEN, GRADIO_USERNAME and GRADIO_PASSWORD, and
// each recorded "<redacted:NAME>" from os.environ["GRADIO_SECRET_NAME"], with
// outputs redacted before they are compared or printed. HF_TOKEN goes to an
// app on Hugging Face only (or anywhere with GRADIO_TOKEN_ANY_HOST=1), and
// only in code for a recording of a Space: other code passes token=False,
// since gradio_client would send HF_TOKEN to any host. The output is
// black-clean.
package python

import (
	"io/fs"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/layout"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

// Client is what gradio_client can send: no private calls, no event data.
var Client = plan.Client{Name: "gradio_client"}

// FileName returns the name of the file Generate writes for a base name.
func FileName(base, flavour string) string {
	if flavour == plan.Test {
		return "test_" + base + ".py"
	}
	return base + ".py"
}

// Generate writes the Python file for p.
func Generate(p *plan.Plan) ([]plan.File, error) {
	g := &gen{p: p, test: p.Opts.Flavour == plan.Test}
	g.flat = !g.test && len(p.Sessions) == 1 // as Gradio's own snippets are
	src := g.file()
	mode := 0o644
	if !g.test {
		mode = 0o755
	}
	return []plan.File{{Path: FileName(p.Opts.BaseName(), p.Opts.Flavour), Content: []byte(src), Mode: fs.FileMode(mode)}}, nil
}

type gen struct {
	p          *plan.Plan
	test       bool
	flat       bool // a script of one session: its calls at the top level, the client made in place
	b          strings.Builder
	sha        bool // the sha256 helper is needed
	handleFile bool // handle_file is used
	fixture    bool // HERE is needed (for recorded input files)
	json       bool // json.loads or json.dumps is used
	errors     bool // AppError is used
	pytest     bool // pytest is used
	masked     bool // the masked helper is needed
	checked    bool // the check helper is needed
	contextlib bool // contextlib is used
	show       bool // the show helper (a generator's result, or --stream) is needed
	sys        bool // sys is used
	locust     bool // a locustfile: checks raise Mismatch instead of asserting
	fails      bool // the fails helper of a locustfile is needed
	indent     int  // levels every session body line is indented by beyond its own (a locustfile method's with block, a try block)
}

// at is where a line of a session's body at level goes: a flat script's
// body is at the top level, every other one inside its function (a
// locustfile's, inside a method and a with block: g.indent).
func (g *gen) at(level int) int {
	if g.flat {
		return level - 1 + g.indent
	}
	return level + g.indent
}

func (g *gen) line(level int, s string) {
	if s == "" {
		g.b.WriteByte('\n')
		return
	}
	g.b.WriteString(strings.Repeat("    ", g.at(level)))
	g.b.WriteString(s)
	g.b.WriteByte('\n')
}

func (g *gen) comment(level int, s string) { g.line(level, "# "+s) }

// write lays out prefix, n and suffix from level, as line does.
func (g *gen) write(level int, prefix string, n layout.Node, suffix string) {
	style.Write(&g.b, g.at(level), prefix, n, suffix)
}

// comments writes s as comment lines no wider than black's, broken between
// words.
func (g *gen) comments(level int, s string) {
	for _, line := range plan.Wrap(s, style.Max-4*g.at(level)-2, width) {
		g.comment(level, line)
	}
}

// assign writes "name = value" as black does: a value that cannot be split
// and does not fit goes in parentheses on a line of its own when it fits
// there.
func assign(b *strings.Builder, level int, name string, v layout.Node) {
	prefix := name + " = "
	indent := strings.Repeat("    ", level)
	flat := layout.Flat(v)
	if _, ok := v.(layout.Text); ok && width(indent+prefix+flat) > style.Max && width(indent+"    "+flat) <= style.Max {
		b.WriteString(indent + prefix + "(\n" + indent + "    " + flat + "\n" + indent + ")\n")
		return
	}
	style.Write(b, level, prefix, v, "")
}
