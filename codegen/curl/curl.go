// Package curl generates bash scripts that replay a recording with curl over
// Gradio's REST API: POST <root><api_prefix>/call/<name> with {"data": [...]},
// then GET .../call/<name>/<event_id> for the server-sent events of the
// result. The api prefix is the recorded one ("/gradio_api", or "" for
// Gradio 4.x). Input files are uploaded first (POST .../upload) and passed
// by their server path. Each recorded session gets its own session_hash, so
// gr.State carries over between its calls. Gradio 4.x and 5.x serve the
// result of a /call only to a request without a session_hash: code for them
// sends none, so each call starts from the app's initial gr.State, and a
// call that reads a State an earlier call of its session changed is left out
// with a comment.
//
// The script flavour prints each event stream. The test flavour compares the
// last event of each call with the recorded outcome: the event name
// (complete or error), the number of generating events, and the final
// "data:" line with the recorded outputs as the server writes them (Python's
// json.dumps of the outputs, State slots as null). The data is compared as
// JSON with jq, so that key order and number spelling do not matter; outputs
// holding files (whose URLs differ between runs) and parts masked by the
// recording are set to null on both sides first, and a failure names the
// first output that differs. It ends with "N passed, M failed" and a non-zero
// exit on failure. Private and UI-only calls, which /call cannot make, are
// comments. Secrets come from the environment: HF_TOKEN, GRADIO_USERNAME and
// GRADIO_PASSWORD, and each recorded "<redacted:NAME>" from
// GRADIO_SECRET_NAME, spliced into the request body as JSON made by jq; the
// data lines the script prints or compares have the secrets replaced by their
// placeholders. HF_TOKEN goes to an app on Hugging Face only, or anywhere with
// GRADIO_TOKEN_ANY_HOST=1, and never on curl's command line.
//
// Scripts run under set -euo pipefail. The api_name is one percent-encoded
// segment of the URL path, and so is the server's event id. A request that
// cannot be made (the app is down) stops the script at once, saying so; an
// HTTP error of the app is printed as an "error" event. In the script flavour
// a call that fails stops the script with exit status 1 unless the recorded
// call failed too.
package curl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
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
	g := &gen{p: p, test: p.Opts.Flavour == plan.Test, noSession: v > 0 && v < 6}
	return []plan.File{{Path: FileName(p.Opts.BaseName(), p.Opts.Flavour), Content: []byte(g.file()), Mode: 0o755}}, nil
}

type gen struct {
	p    *plan.Plan
	test bool
	b    strings.Builder
	// noSession: the app's /call cannot share a session_hash between
	// calls (Gradio 4.x and 5.x).
	noSession bool
}

func (g *gen) line(s string) {
	g.b.WriteString(s)
	g.b.WriteByte('\n')
}

func (g *gen) comment(s string) { g.line("# " + s) }

const header = `set -euo pipefail

ROOT=${GRADIO_URL:-%s}
API=${ROOT%%/}%s
CURL=(curl --silent --show-error --fail-with-body)
`

// tokenCode sends HF_TOKEN to an app on Hugging Face only (the rule of
// gradio.WithAmbientToken), or anywhere with GRADIO_TOKEN_ANY_HOST=1. curl
// reads the header from a pipe (-H @file, curl 7.55+), opened anew for each
// request: a command line, which other users can see, never holds the token.
const tokenCode = `
# on_hf reports whether the URL $1 is on Hugging Face: https and huggingface.co,
# *.huggingface.co or *.hf.space. HF_TOKEN goes only there (so that an app
# elsewhere cannot collect it) unless GRADIO_TOKEN_ANY_HOST=1, and curl reads it
# from a pipe: a command line, which other users can see, never holds it.
on_hf() {
  local re='^https://(([a-z0-9-]+\.)*huggingface\.co|([a-z0-9-]+\.)+hf\.space)(:443)?([/?#].*)?$'
  (LC_ALL=C; shopt -s nocasematch; [[ $1 =~ $re ]])
}
if [[ -n ${HF_TOKEN:-} ]] && { [[ ${GRADIO_TOKEN_ANY_HOST:-} == 1 ]] || on_hf "$ROOT"; }; then
  hf_curl() { curl -H @<(printf 'Authorization: Bearer %s\n' "$HF_TOKEN") "$@"; }
  CURL[0]=hf_curl
fi
`

const sessionFunc = `
# new_session prints a random session hash.
new_session() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}
`

const checkFunc = `
passed=0
failed=0

# diff_data compares the JSON texts got and want ($1 and $2) after setting
# to null the parts of got at each path of $4 (a JSON array of jq paths),
# and prints what differs first, naming the output by $3 (a JSON array of
# names by position); it prints nothing when they are equal.
diff_data() {
  jq -rn --slurpfile got <(printf '%s' "$1") --slurpfile want <(printf '%s' "$2") \
    --argjson names "$3" --argjson masks "$4" '
    ($got[0] | reduce $masks[] as $p (.;
      if (try getpath($p) catch null) != null then setpath($p; null) else . end)) as $g
    | $want[0] as $w
    | if $g == $w then empty
      elif ($g | type) != "array" or ($w | type) != "array" or ($g | length) != ($w | length)
      then "data \($g | tojson), want \($w | tojson)"
      else first(range($w | length) as $i | select($g[$i] != $w[$i])
        | "\($names[$i] // "output \($i)") = \($g[$i] | tojson), want \($w[$i] | tojson)")
      end'
}

# check LABEL EVENT UPDATES DATA [NAMES MASKS] reads an event stream and
# compares its last event with EVENT, the number of "generating" events with
# UPDATES (unless it is -), and the last data line with DATA (unless it is
# -), as JSON, so that key order and number spelling do not matter; NAMES
# and MASKS are those of diff_data. With EVENT "error", DATA is a text the
# error's data line must contain.
check() {
  local label=$1 want_event=$2 want_updates=$3 want_data=$4 names=${5:-[]} masks=${6:-[]}
  local line name='' event='' data='' updates=0 problem=''
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in
      'event: '*)
        name=${line#event: }
        if [[ $name != heartbeat ]]; then event=$name; fi
        if [[ $name == generating ]]; then updates=$((updates + 1)); fi
        ;;
      'data: '*)
        if [[ $name != heartbeat ]]; then data=${line#data: }; fi
        ;;
    esac
  done
  if [[ $event != "$want_event" ]]; then
    problem="last event \"$event\"${data:+ (data $data)}, want \"$want_event\""
  elif [[ $want_updates != - && $updates != "$want_updates" ]]; then
    problem="generating events: got $updates, want $want_updates"
  elif [[ $want_data != - && $want_event == error && $data != *"$want_data"* ]]; then
    problem="error data $data, want it to contain $want_data"
  elif [[ $want_data != - && $want_event != error && $data != "$want_data" ]]; then
    problem=$(diff_data "$data" "$want_data" "$names" "$masks" 2>&1) || problem="data $data, want $want_data"
  fi
  if [[ -z $problem ]]; then
    passed=$((passed + 1))
    echo "ok   $label"
  else
    failed=$((failed + 1))
    echo "FAIL $label: $problem"
  fi
}
`

func (g *gen) file() string {
	g.line("#!/usr/bin/env bash")
	if g.test {
		g.comment("Tests generated by gradiorec from a recorded Gradio session: replays each")
		g.comment("call with curl over the app's /call API and compares the last event with")
		g.comment("the recorded outcome. GRADIO_URL selects the app. Needs bash, curl and jq.")
	} else {
		g.comment("Replays a recorded Gradio session with curl over the app's /call API")
		g.comment("(generated by gradiorec). GRADIO_URL selects the app. Needs bash and curl.")
	}
	prefix := ""
	if g.p.APIPrefix != "" {
		prefix = Quote(prefixPath(g.p.APIPrefix))
	}
	fmt.Fprintf(&g.b, header, Quote(urlText(g.p.URL)), prefix)
	secrets := len(g.p.Secrets) > 0
	if secrets {
		g.b.WriteString(g.secrets())
	}
	if g.p.SpaceID != "" {
		g.b.WriteString(tokenCode)
	}
	if g.p.Auth {
		g.line("")
		g.comment("Log in with GRADIO_USERNAME and GRADIO_PASSWORD (through standard input, not")
		g.comment("the command line, which other users can see); curl keeps the cookie.")
		g.line(`COOKIES=$(mktemp)`)
		g.line(`trap 'rm -f "$COOKIES"' EXIT`)
		g.line(`CURL+=(--cookie "$COOKIES" --cookie-jar "$COOKIES")`)
		g.line(`if ! printf '%s' "$GRADIO_PASSWORD" | "${CURL[@]}" -o /dev/null --data-urlencode "username=$GRADIO_USERNAME" --data-urlencode password@- "${ROOT%/}/login"; then`)
		g.line(`  echo "$0: logging in to $ROOT failed: check GRADIO_USERNAME and GRADIO_PASSWORD, and that the app runs there (set GRADIO_URL)" >&2`)
		g.line(`  exit 1`)
		g.line(`fi`)
	}
	g.b.WriteString(failFunc)
	if len(g.p.Fixtures) > 0 {
		g.b.WriteString(uploadFunc)
	}
	g.b.WriteString(urlencodeFunc)
	g.b.WriteString(lastEventFunc)
	filter := ""
	if secrets {
		filter = " | redact"
	}
	fmt.Fprintf(&g.b, callFunc, filter)
	if !g.noSession {
		g.b.WriteString(sessionFunc)
	}
	if g.test {
		if !secrets {
			g.b.WriteString(jqCheck) // else checked with the secrets
		}
		g.b.WriteString(checkFunc)
	}
	for _, s := range g.p.Sessions {
		g.session(s)
	}
	if g.test {
		g.line("")
		g.line(`echo "$passed passed, $failed failed"`)
		g.line(`if ((failed > 0)); then exit 1; fi`)
	}
	return g.b.String()
}

func (g *gen) session(s *plan.Session) {
	g.line("")
	if g.noSession {
		g.comment("Session " + plan.Text(s.ID, 40) + ": Gradio " + plan.Text(g.p.Rec.App.Version, 20) + " keeps no session between /call")
		g.comment("requests, so each call starts from the app's initial gr.State.")
	} else {
		g.comment("Session " + plan.Text(s.ID, 40) + ": one session hash, so gr.State carries over.")
	}
	replayed := false
	for _, c := range s.Calls {
		replayed = replayed || g.skipReason(c) == ""
	}
	if !replayed {
		for _, c := range s.Calls {
			g.skip(c)
		}
		return
	}
	if !g.noSession {
		g.line(`session=$(new_session)`)
	}
	for _, c := range s.Calls {
		if g.skipReason(c) != "" {
			g.skip(c)
			continue
		}
		g.call(c)
	}
}

// skipReason says why the script does not make call c, or "".
func (g *gen) skipReason(c *plan.Call) string {
	switch {
	case c.Skip != "":
		return c.Skip
	case c.Mode == plan.Private:
		return "a private endpoint, which /call does not serve by name"
	case g.noSession && c.ReadsState:
		return "it reads a gr.State that an earlier call changed, and this Gradio's /call cannot keep a session"
	}
	return ""
}

func (g *gen) skip(c *plan.Call) {
	g.comment("Call " + c.Label() + " is skipped: " + g.skipReason(c) + ".")
}

// data returns the values a call sends: its arguments, and for Gradio 4.x
// and 5.x, whose /call expects a value for every input, null for each State
// input too (Gradio 6 fills those in itself).
func (g *gen) data(c *plan.Call) []value.Value {
	var args []value.Value
	for _, a := range c.Args {
		args = append(args, a.Value)
	}
	ep := c.Endpoint
	if !g.noSession || ep == nil || len(ep.Inputs) <= len(args) {
		return args
	}
	var all []value.Value
	k := 0
	for _, in := range ep.Inputs {
		if in.Skip {
			all = append(all, value.Value{})
			continue
		}
		if k >= len(args) {
			return args
		}
		all = append(all, args[k])
		k++
	}
	if k != len(args) {
		return args
	}
	return all
}

// body returns the bash word holding the call's JSON body, with the server
// paths of uploaded files spliced in from variables.
func (g *gen) body(c *plan.Call, files map[string]string) string {
	// Files are written as NUL-delimited variable names (JSON text never
	// holds a raw NUL), then the text is cut there.
	j := value.JSON{Spaced: true, File: func(b []byte, f *value.FileRef) []byte {
		b = append(b, `{"path": `...)
		if f.URL != "" {
			b = value.JSON{}.AppendString(b, f.URL)
			b = append(b, `, "url": `...)
			b = value.JSON{}.AppendString(b, f.URL)
		} else {
			b = append(b, 0)
			b = append(b, files[f.Path]...)
			b = append(b, 0)
		}
		if f.OrigName != "" {
			b = append(b, `, "orig_name": `...)
			b = value.JSON{}.AppendString(b, f.OrigName)
		}
		return append(b, `, "meta": {"_type": "gradio.FileData"}}`...)
	}, Secret: func(b []byte, parts []value.Part) []byte {
		// The secret's JSON text is spliced in from its variable.
		b = append(b, '"')
		for _, p := range parts {
			if p.Secret != "" {
				b = append(b, 0)
				b = append(b, "secret_"+p.Secret...)
				b = append(b, 0)
				continue
			}
			lit := value.JSON{}.AppendString(nil, p.Text)
			b = append(b, lit[1:len(lit)-1]...)
		}
		return append(b, '"')
	}}
	b := []byte(`{"data": [`)
	for i, v := range g.data(c) {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = j.Append(b, v)
	}
	b = append(b, ']')
	if !g.noSession {
		b = append(b, ", \"session_hash\": \"\x00session\x00\""...)
	}
	b = append(b, '}')
	var word strings.Builder
	for i, part := range strings.Split(string(b), "\x00") {
		switch {
		case i%2 == 1:
			word.WriteString(`"$` + part + `"`)
		case part != "":
			word.WriteString(Quote(part))
		}
	}
	return word.String()
}

func (g *gen) call(c *plan.Call) {
	g.line("")
	g.comment("Call " + c.Label())
	files := map[string]string{}
	for _, a := range c.Args {
		collectFiles(a.Value, files)
	}
	for _, fx := range g.p.Fixtures {
		if v, ok := files[fx.Path]; ok {
			g.line(v + "=$(upload " + Quote(fx.Path) + ")")
		}
	}
	if c.Redacted {
		g.comment(redactedNote)
	}
	// The api_name is one segment of the URL path: a space, # or ? in it
	// must not end the path.
	name := pathPart(strings.TrimPrefix(c.APIName, "/"))
	send := "printf '%s' " + g.body(c, files) + " | call " + Quote(name)
	if !g.test {
		if c.Error != nil {
			if c.Error.Message != "" {
				g.comment("It failed in the recording: " + plan.Text(c.Error.Message, 60))
			}
			g.line(send + " error")
			return
		}
		g.line(send)
		return
	}
	event, updates, data := "complete", "-", "-"
	if c.Generator {
		updates = strconv.Itoa(c.Updates)
	}
	switch {
	case c.Error != nil:
		event, updates = "error", "-"
		// A refused call (an HTTP error) has the server's body as data.
		if c.Error.Message != "" && c.Error.HTTP == 0 && major(g.p.Rec.App.Version) >= 6 {
			data = Quote(string(pyJSON.AppendString([]byte(`"error": `), c.Error.Message)))
		}
	default:
		want, why := g.expected(c)
		if why != "" {
			g.comment("Outputs compared by event only: " + why + ".")
			break
		}
		for _, n := range want.notes {
			g.comment(n)
		}
		data = Quote(want.data) + " " + Quote(want.names)
		if want.masks != "[]" {
			data += " " + Quote(want.masks)
		}
	}
	g.line("stream=$(" + send + " any)")
	g.line("check " + Quote(c.Label()) + " " + event + " " + updates + " " + data + ` <<<"$stream"`)
}

// want is what a call's data line is compared with.
type want struct {
	data  string   // the data line /call writes for the recorded outputs
	names string   // a JSON array naming the outputs by position (null for State)
	masks string   // a JSON array of the jq paths not compared
	notes []string // comments on outputs not compared
}

// expected returns the data line /call writes for the recorded outputs,
// with the names and masks of its positions, or why it cannot be compared.
// Outputs that are not compared (files, masked ones) are null in the data
// and masked.
func (g *gen) expected(c *plan.Call) (want, string) {
	var w want
	compared := 0
	for _, o := range c.Outputs {
		if o.Check == plan.Equal {
			compared++
		}
	}
	if compared == 0 {
		if len(c.Outputs) == 0 {
			return w, "the call has no outputs"
		}
		return w, fmt.Sprintf("output 0 is %s", describe(c.Outputs[0]))
	}
	ep := c.Endpoint
	if ep == nil {
		return w, "the recording has no schema for the endpoint"
	}
	var all, names, masks []value.Value
	k := 0
	for pos, comp := range ep.Outputs {
		if comp.Skip {
			all, names = append(all, value.Value{}), append(names, value.Value{})
			continue
		}
		if k >= len(c.Outputs) {
			return w, "the recorded outputs do not match the endpoint's schema"
		}
		o := c.Outputs[k]
		k++
		names = append(names, value.Value{Kind: value.String, Text: o.Name})
		switch o.Check {
		case plan.Equal:
			all = append(all, o.Value)
			for _, p := range o.Masked {
				masks = append(masks, jqPath(pos, p))
			}
		default:
			all = append(all, value.Value{})
			masks = append(masks, jqPath(pos, nil))
			w.notes = append(w.notes, capitalize(o.Name)+" is not compared: "+describe(o)+".")
		}
	}
	if k != len(c.Outputs) {
		return w, "the recorded outputs do not match the endpoint's schema"
	}
	w.data = pyJSON.String(value.Value{Kind: value.Array, Items: all})
	w.names = value.JSON{}.String(value.Value{Kind: value.Array, Items: names})
	w.masks = value.JSON{}.String(value.Value{Kind: value.Array, Items: masks})
	return w, ""
}

// jqPath is the jq path of a part of the output at position pos of the data.
func jqPath(pos int, p plan.Path) value.Value {
	path := value.Value{Kind: value.Array, Items: []value.Value{{Kind: value.Number, Text: strconv.Itoa(pos)}}}
	for _, k := range p {
		switch k := k.(type) {
		case string:
			path.Items = append(path.Items, value.Value{Kind: value.String, Text: k})
		case int:
			path.Items = append(path.Items, value.Value{Kind: value.Number, Text: strconv.Itoa(k)})
		}
	}
	return path
}

// capitalize upper-cases the first letter of an ASCII name.
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func describe(o plan.Output) string {
	if o.Check == plan.FileHash {
		return "a file"
	}
	return o.Reason
}

// collectFiles assigns a variable to each uploaded file of v.
func collectFiles(v value.Value, files map[string]string) {
	switch v.Kind {
	case value.File:
		if v.File.URL == "" {
			if _, ok := files[v.File.Path]; !ok {
				files[v.File.Path] = fmt.Sprintf("file%d", len(files)+1)
			}
		}
	case value.Array:
		for _, it := range v.Items {
			collectFiles(it, files)
		}
	case value.Object:
		for _, f := range v.Fields {
			collectFiles(f.Value, files)
		}
	}
}

// major returns the major version of a Gradio version string, or 0.
func major(v string) int {
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}
