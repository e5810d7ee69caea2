// Package javascript generates ES modules for Node 20.11+ that replay a
// recording with the official client, @gradio/client 2.x: a script that logs
// each result, or a node:test file with one test per recorded session and
// one subtest per call that checks each output with node:assert.
//
// One Client per session keeps gr.State between its calls. Public endpoints
// get an object of named parameters, undocumented ones an array of positional
// values; private endpoints are called by their fn_index, which the client
// accepts; UI-only calls are left out with a comment. A script prints each
// call's result through a one-line print helper; it calls a generator with
// predict, which resolves to its final output, and only with --stream
// iterates its outputs (generate). Calls that carried event data (select,
// like) are made with submit, which can send it (run). Recorded input files
// are read into File objects, so that the app sees their names (handle_file
// with a path would upload them as "blob"), from paths relative to the
// module's own folder (import.meta.dirname), so the code runs from any
// working folder. A script closes the app's heartbeat stream, which would
// keep Node running, only where the recording says the app has one. Tests
// compare each output with a check helper whose failures name it. Secrets
// come from the environment: HF_TOKEN, GRADIO_USERNAME and GRADIO_PASSWORD,
// and each recorded "<redacted:NAME>" from process.env.GRADIO_SECRET_NAME,
// with outputs redacted before they are compared or printed. HF_TOKEN goes
// to an app on Hugging Face only, or anywhere with GRADIO_TOKEN_ANY_HOST=1.
package javascript

import (
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

// FileName returns the name of the file Generate writes for a base name.
func FileName(base, flavour string) string {
	if flavour == plan.Test {
		return base + ".test.mjs"
	}
	return base + ".mjs"
}

// Generate writes the JavaScript module for p.
func Generate(p *plan.Plan) ([]plan.File, error) {
	g := &gen{p: p, test: p.Opts.Flavour == plan.Test, dir: fixtureDir(p)}
	// A script of one session is flat, as Gradio's own snippets are: its
	// calls at the top level of the module, the client connected in place.
	g.flat = !g.test && len(p.Sessions) == 1 && p.Sessions[0].Replayable(true)
	return []plan.File{{Path: FileName(p.Opts.BaseName(), p.Opts.Flavour), Content: []byte(g.file()), Mode: 0o644}}, nil
}

type gen struct {
	p          *plan.Plan
	test       bool
	flat       bool   // a script of one session, with no session function
	dir        string // the one folder of the input files, given to the fixture helper: fixtureDir
	declared   bool   // the script's session has declared its result variable
	b          strings.Builder
	handleFile bool // handle_file is used (for files the app downloads)
	fixture    bool // the fixture helper is needed (for recorded input files)
	sha        bool // the sha256 helper is needed
	event      bool // the run helper (submit with event data) is needed
	connect    bool // the connect helper is needed
	show       bool // the show helper (a generator with event data: its result, or --stream) is needed
	generate   bool // the generate helper (a generator's result, or --stream) is needed
	print      bool // the print helper is needed
	checked    bool // the check helper is needed
	masked     bool // the masked helper is needed
	failsWith  bool // the failsWith helper is needed
	redacting  bool // the redacting helper is needed
}

func (g *gen) line(level int, s string) {
	if s == "" {
		g.b.WriteByte('\n')
		return
	}
	g.b.WriteString(strings.Repeat("  ", level))
	g.b.WriteString(s)
	g.b.WriteByte('\n')
}

func (g *gen) comment(level int, s string) { g.line(level, "// "+s) }
