// Package curl generates bash scripts that replay a recording with curl over
// Gradio's REST API: POST <root><api_prefix>/call/<name> with {"data": [...]},
// then GET .../call/<name>/<event_id> for the server-sent events of the
// result. The api prefix is the recorded one ("/gradio_api", or "" for
// Gradio 4.x). Input files are uploaded first (POST .../upload) and passed
// by their server path. Each recorded session gets its own session_hash, so
// gr.State carries over between its calls.
//
// Calls that /call cannot make go through the queue, as the app's page makes
// them: POST .../queue/join with the fn_index, all input slots, the event
// data, trigger id and session hash, then GET .../queue/data for the
// session's event stream, which jq turns into the events /call writes
// (generator changes applied, data written as Python's json.dumps). Those
// are calls of private endpoints, calls whose function reads gr.EventData,
// and, on Gradio 4.x and 5.x, whose /call keeps no session, every call of a
// session in which a call reads a State an earlier one changed.
//
// The script flavour prints each event stream. The test flavour compares the
// last event of each call with the recorded outcome: the event name
// (complete or error), the number of generating events (unless a mask of the
// recording covers "/updates"), and the final "data:" line with the recorded
// outputs as the server writes them (Python's json.dumps of the outputs,
// State slots as null). The data is compared as JSON with jq, so that key
// order and number spelling do not matter; outputs holding files (whose URLs
// differ between runs) and parts masked by the recording are set to null on
// both sides first, and a failure names the first output that differs; a file
// output is downloaded (from the app only) and its SHA-256 compared. It
// ends with "N passed, M failed" and a non-zero exit on failure. UI-only
// calls are comments. Secrets come from the environment: HF_TOKEN,
// GRADIO_USERNAME and GRADIO_PASSWORD, and each recorded "<redacted:NAME>"
// from GRADIO_SECRET_NAME, spliced into the request body as JSON made by jq;
// the data lines the script prints or compares have the secrets replaced by
// their placeholders. HF_TOKEN goes to an app on Hugging Face only, or
// anywhere with GRADIO_TOKEN_ANY_HOST=1, and never on curl's command line.
//
// Scripts run under set -euo pipefail. The api_name is one percent-encoded
// segment of the URL path, and so is the server's event id. A request that
// cannot be made (the app is down) stops the script at once, saying so; an
// HTTP error of the app is printed as an "error" event. In the script flavour
// a call that fails stops the script with exit status 1 unless the recorded
// call failed too.
package curl

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
)

// FileName returns the name of the script Generate writes.
func FileName(base, flavour string) string {
	if flavour == plan.Test {
		return base + "_test.sh"
	}
	return base + ".sh"
}

// Generate writes the bash script for p.
func Generate(p *plan.Plan) ([]plan.File, error) {
	v := major(p.Rec.App.Version)
	g := &gen{p: p, test: p.Opts.Flavour == plan.Test, noSession: v > 0 && v < 6, queued: map[*plan.Call]bool{}}
	for _, s := range p.Sessions {
		// Before Gradio 6, /call keeps no session: a session whose State
		// matters goes through the queue as a whole.
		whole := false
		for _, c := range s.Calls {
			whole = whole || g.noSession && c.ReadsState && c.Skip == ""
		}
		for _, c := range s.Calls {
			if c.Skip == "" && (whole || c.Mode == plan.Private || c.Event) {
				g.queued[c] = true
			}
		}
	}
	return []plan.File{{Path: FileName(p.Opts.BaseName(), p.Opts.Flavour), Content: []byte(g.file()), Mode: 0o755}}, nil
}

type gen struct {
	p    *plan.Plan
	test bool
	b    strings.Builder
	// noSession: the app's /call cannot share a session_hash between
	// calls (Gradio 4.x and 5.x).
	noSession bool
	// queued are the calls made through the queue, as the page makes them,
	// rather than /call.
	queued map[*plan.Call]bool
}

func (g *gen) line(s string) {
	g.b.WriteString(s)
	g.b.WriteByte('\n')
}

func (g *gen) comment(s string) { g.line("# " + s) }

// comments writes s as comment lines of at most 80 columns, broken between
// words.
func (g *gen) comments(s string) {
	for _, line := range plan.Wrap(s, 78, utf8.RuneCountInString) {
		g.comment(line)
	}
}

// major returns the major version of a Gradio version string, or 0.
func major(v string) int {
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}
