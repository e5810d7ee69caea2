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
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

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

# check_files DATA FILES downloads the file of each output of the data line
# DATA at the positions of FILES (a JSON array of [position, SHA-256, name])
# and prints what differs first, or nothing. Only files of the app are
# downloaded: curl sends the app's login and token with them.
check_files() {
  local pos want name url got
  while IFS=$'\t' read -r pos want name; do
    url=$(jq -r --argjson p "$pos" '.[$p] | objects | .url // empty' <<<"$1" 2>/dev/null) || url=''
    if [[ -z $url ]]; then
      printf '%s is no file' "$name"
      return
    fi
    if [[ $url != "${ROOT%/}/"* ]]; then
      printf '%s is at %s, not in the app at %s: not downloaded' "$name" "$url" "$ROOT"
      return
    fi
    if ! got=$("${CURL[@]}" "$url" | sha256sum); then
      printf 'downloading %s (%s) failed' "$name" "$url"
      return
    fi
    if [[ ${got%% *} != "$want" ]]; then
      printf '%s has SHA-256 %s, want %s' "$name" "${got%% *}" "$want"
      return
    fi
  done < <(jq -r '.[] | @tsv' <<<"$2")
}

# check LABEL EVENT UPDATES DATA [NAMES MASKS FILES] reads an event stream and
# compares its last event with EVENT, the number of "generating" events with
# UPDATES (unless it is -), and the last data line with DATA (unless it is
# -), as JSON, so that key order and number spelling do not matter; NAMES
# and MASKS are those of diff_data, FILES those of check_files. With EVENT
# "error", DATA is a text the error's data line must contain.
check() {
  local label=$1 want_event=$2 want_updates=$3 want_data=$4 names=${5:-[]} masks=${6:-[]} files=${7:-[]}
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
  if [[ -z $problem && $files != '[]' ]]; then
    problem=$(check_files "$data" "$files")
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
	queue := len(g.queued) > 0
	api, tools := "the app's /call API", "bash and curl"
	if queue {
		api = "the app's /call API and its queue"
	}
	if g.test || queue || len(g.p.Secrets) > 0 {
		tools = "bash, curl and jq"
	}
	if g.test {
		g.comments("Tests generated by gradiorec from a recorded Gradio session: replays each call with curl over " +
			api + " and compares the last event with the recorded outcome. GRADIO_URL selects the app. Needs " + tools + ".")
	} else {
		g.comments("Replays a recorded Gradio session with curl over " + api +
			" (generated by gradiorec). GRADIO_URL selects the app. Needs " + tools + ".")
	}
	prefix := ""
	if g.p.APIPrefix != "" {
		prefix = Quote(prefixPath(g.p.APIPrefix))
	}
	fmt.Fprintf(&g.b, header, Quote(urlText(g.p.URL)), prefix)
	secrets := len(g.p.Secrets) > 0
	switch {
	case secrets:
		g.b.WriteString(g.secrets()) // with the jq definitions
	case queue:
		g.b.WriteString(jqNeeded("read the app's queue"))
		g.b.WriteString("\n" + jqDefs)
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
	if g.test {
		g.b.WriteString("\n# The checks read every event of a call.\nSTREAM=1\n")
	} else {
		g.b.WriteString("\n# --stream prints every event of a call, not only its result.\nSTREAM=0\nif [[ ${1:-} == --stream ]]; then STREAM=1; fi\n")
	}
	g.b.WriteString(eventsFunc)
	g.b.WriteString(lastEventFunc)
	filter := ""
	if secrets {
		filter = " | redact"
	}
	fmt.Fprintf(&g.b, callFunc, filter)
	if queue {
		fmt.Fprintf(&g.b, queueFunc, filter)
		g.b.WriteString("\n" + jqQueue)
	}
	if !g.noSession || queue {
		g.b.WriteString(sessionFunc)
	}
	if g.test {
		if !secrets && !queue {
			g.b.WriteString(jqNeeded("compare JSON outputs")) // else checked above
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
	defer g.p.Values(s)()
	g.line("")
	replayed, queued := 0, 0
	for _, c := range s.Calls {
		if c.Skip == "" {
			replayed++
		}
		if g.queued[c] {
			queued++
		}
	}
	switch {
	case g.noSession && queued > 0 && queued == replayed:
		g.comment("Session " + plan.Text(s.ID, 40) + ": its calls go through the queue with one session hash, so")
		g.comment("gr.State carries over (Gradio " + plan.Text(g.p.Rec.App.Version, 20) + " keeps no session between /call requests).")
	case g.noSession && queued == 0:
		g.comment("Session " + plan.Text(s.ID, 40) + ": Gradio " + plan.Text(g.p.Rec.App.Version, 20) + " keeps no session between /call")
		g.comment("requests, so each call starts from the app's initial gr.State.")
	default:
		g.comment("Session " + plan.Text(s.ID, 40) + ": one session hash, so gr.State carries over.")
	}
	if replayed > 0 && (!g.noSession || queued > 0) {
		g.line(`session=$(new_session)`)
	}
	if note := s.LeftOutNote(); note != "" {
		g.comment(note)
	}
	for _, c := range s.Calls {
		if c.Skip != "" {
			g.comment("Call " + c.Label() + " is skipped: " + c.Skip + ".")
			continue
		}
		g.call(c)
	}
}

// data returns the values a call sends: its arguments, and for the queue
// and the /call of Gradio 4.x and 5.x, which expect a value for every
// input, all its input slots (Gradio 6's /call fills in State itself).
func (g *gen) data(c *plan.Call) []value.Value {
	if g.queued[c] || g.noSession {
		return c.Slots
	}
	args := make([]value.Value, len(c.Args))
	for i, a := range c.Args {
		args[i] = a.Value
	}
	return args
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
	if g.queued[c] {
		b = fmt.Appendf(b, ", \"fn_index\": %d, \"event_data\": ", c.FnIndex)
		b = j.Append(b, c.EventData)
		b = append(b, ", \"trigger_id\": "...)
		if t := c.Rec.TriggerID; t != nil {
			b = strconv.AppendInt(b, int64(*t), 10)
		} else {
			b = append(b, "null"...)
		}
	}
	if g.queued[c] || !g.noSession {
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
	send := "printf '%s' " + g.body(c, files) + " | call " + Quote(pathPart(strings.TrimPrefix(c.APIName, "/")))
	if g.queued[c] {
		if why := why(c); why != "" {
			g.comment(why)
		}
		send = "printf '%s' " + g.body(c, files) + " | queue " + Quote(plan.Text(c.Label(), 60))
	}
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
	if c.CheckUpdates || c.Generator && c.Updates == 0 && g.p.Opts.Trace {
		updates = strconv.Itoa(c.Updates)
	}
	switch {
	case c.Error != nil:
		event, updates = "error", "-"
		// A refused call (an HTTP error) has the server's body as data.
		if c.Error.Message != "" && c.Error.HTTP == 0 && (g.queued[c] || major(g.p.Rec.App.Version) >= 6) {
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
		switch {
		case want.files != "[]":
			data += " " + Quote(want.masks) + " " + Quote(want.files)
		case want.masks != "[]":
			data += " " + Quote(want.masks)
		}
	}
	g.line("stream=$(" + send + " any)")
	g.line("check " + Quote(c.Label()) + " " + event + " " + updates + " " + data + ` <<<"$stream"`)
}

// why says why call c goes through the queue, unless it is its session's
// (said once, for the session).
func why(c *plan.Call) string {
	switch {
	case c.Mode == plan.Private:
		return "Through the queue, by fn_index: a private endpoint, which /call does not serve."
	case c.Event:
		return "Through the queue, with the event data and trigger id, which /call does not take."
	}
	return ""
}

// want is what a call's data line is compared with.
type want struct {
	data  string   // the data line /call writes for the recorded outputs
	names string   // a JSON array naming the outputs by position (null for State)
	masks string   // a JSON array of the jq paths not compared
	files string   // a JSON array of [position, SHA-256, name] of the files compared by their bytes
	notes []string // comments on outputs not compared
}

// expected returns the data line /call writes for the recorded outputs,
// with the names and masks of its positions, or why it cannot be compared.
// Outputs that are not compared (files, masked ones) are null in the data
// and masked.
func (g *gen) expected(c *plan.Call) (want, string) {
	var w want
	compared, files := 0, 0
	for _, o := range c.Outputs {
		switch o.Check {
		case plan.Equal:
			compared++
		case plan.FileHash:
			files++
		}
	}
	if compared+files == 0 {
		if len(c.Outputs) == 0 {
			return w, "the call has no outputs"
		}
		return w, fmt.Sprintf("output 0 is %s", describe(c.Outputs[0]))
	}
	ep := c.Endpoint
	if ep == nil {
		return w, "the recording has no schema for the endpoint"
	}
	var all, names, masks, hashes []value.Value
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
		case plan.FileHash:
			// Its URL differs between runs: its bytes are compared.
			all = append(all, value.Value{})
			masks = append(masks, jqPath(pos, nil))
			hashes = append(hashes, value.Value{Kind: value.Array, Items: []value.Value{
				{Kind: value.Number, Text: strconv.Itoa(pos)},
				{Kind: value.String, Text: o.SHA256},
				{Kind: value.String, Text: o.Name},
			}})
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
	w.files = value.JSON{}.String(value.Value{Kind: value.Array, Items: hashes})
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
