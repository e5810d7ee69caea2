package curl

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// The bash functions every script defines. A request that cannot be made at
// all (the app is down, a network error) stops the script with a message
// that says so; an HTTP error of the app is printed as an "error" event.
const (
	failFunc = `
# fail prints why the script cannot go on, and stops it.
fail() {
  echo "$0: $*" >&2
  exit 1
}
`
	// eventsFunc prints the events a call shows.
	eventsFunc = `
# events copies the event stream read from standard input, or with STREAM=0
# only its last event but heartbeats (the call's result).
events() {
  if ((STREAM)); then
    cat
    return
  fi
  local line event='' data='' heartbeat=0
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in
      'event: heartbeat') heartbeat=1 ;;
      'event: '*) heartbeat=0 event=$line data='' ;;
      'data: '*) if ((!heartbeat)); then data=$line; fi ;;
    esac
  done
  if [[ -n $event ]]; then printf '%s\n%s\n' "$event" "$data"; fi
}
`
	lastEventFunc = `
# last_event prints the name of the last event but heartbeats of the event
# stream read from standard input.
last_event() {
  local line event=''
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in
      'event: heartbeat') ;;
      'event: '*) event=${line#event: } ;;
    esac
  done
  printf '%s' "$event"
}
`
	// callFunc has one %s: what the events are piped through ("" or
	// " | redact").
	callFunc = `
# call NAME [EXPECT] posts the JSON body read from standard input to
# /call/NAME (NAME percent-encoded) and prints the server-sent events of the
# result; an HTTP error is printed as an "error" event. EXPECT is "ok" (the
# default: a failed call stops the script), "error" (the call failed in the
# recording too) or "any" (the caller checks the events).
call() {
  local expect=${2:-ok} id stream status
  id=$("${CURL[@]}" -H 'Content-Type: application/json' --data-binary @- "$API/call/$1") || {
    status=$?
    http_error POST "call/$1" "$status" "$id" "$expect"
    return 0
  }
  id=${id#*\"event_id\":}
  id=${id#*\"}
  id=${id%%%%\"*}
  if [[ ! $id =~ ^[A-Za-z0-9_-]+$ ]]; then
    fail "POST $API/call/$1 answered no usable event_id: is $ROOT a Gradio app? Set GRADIO_URL to its URL"
  fi
  stream=$("${CURL[@]}" --no-buffer "$API/call/$1/$id") || {
    status=$?
    http_error GET "call/$1" "$status" "$stream" "$expect"
    return 0
  }
  printf '%%s\n' "$stream" | events%[1]s
  if [[ $expect == ok && $(last_event <<<"$stream") == error ]]; then
    fail "call $1 failed (the error event above), but not in the recording"
  fi
}

# http_error METHOD PATH STATUS BODY EXPECT handles a request to $API/PATH
# that failed: curl's exit status 22 is an HTTP error, printed as an "error"
# event with the body; any other status means the app cannot be reached.
http_error() {
  if (($3 != 22)); then
    fail "$1 $API/$2 failed (curl exit status $3): is the app running at $ROOT? Start it, or set GRADIO_URL to where it runs"
  fi
  printf 'event: error\ndata: %%s\n' "${4//$'\n'/ }"%[1]s
  if [[ $5 == ok ]]; then
    fail "$1 $API/$2 failed with an HTTP error (above), but not in the recording"
  fi
}
`
	// queueFunc has one %s, like callFunc.
	queueFunc = `
# queue LABEL [EXPECT] joins the app's queue with the JSON body read from
# standard input (the call's fn_index, data, event data, trigger id and the
# session hash), reads the session's event stream until the call is done,
# and prints its events as call does: "generating" with each intermediate
# output (the server sends changes, which jq applies), then "complete" with
# the outputs or "error" with the message. EXPECT is that of call. This is
# the protocol of the app's own page: it keeps gr.State between the calls
# of a session on every Gradio version, and makes calls that /call cannot
# (private endpoints, and those that read the event data or trigger).
queue() {
  local expect=${2:-ok} id stream status
  id=$("${CURL[@]}" -H 'Content-Type: application/json' --data-binary @- "$API/queue/join") || {
    status=$?
    http_error POST queue/join "$status" "$id" "$expect"
    return 0
  }
  id=${id#*\"event_id\":}
  id=${id#*\"}
  id=${id%%%%\"*}
  if [[ -z $id ]]; then
    fail "POST $API/queue/join answered no event_id for call $1: is $ROOT a Gradio app? Set GRADIO_URL to its URL"
  fi
  stream=$("${CURL[@]}" --no-buffer "$API/queue/data?session_hash=$session") || {
    status=$?
    http_error GET "queue/data?session_hash=$session" "$status" "$stream" "$expect"
    return 0
  }
  stream=$(jq -nrR --arg id "$id" "$JQ_DEFS$JQ_QUEUE" <<<"$stream")
  printf '%%s\n' "$stream" | events%[1]s
  if [[ $expect == ok && $(last_event <<<"$stream") == error ]]; then
    fail "call $1 failed (the error event above), but not in the recording"
  fi
}
`
	// jqQueue turns the messages of a queue's event stream into the events
	// of /call: the messages of one event ($id), its intermediate outputs
	// with the changes applied, the data written as Python's json.dumps
	// does (pyjson, as /call writes it).
	jqQueue = `JQ_QUEUE='
def pyjson: if type == "object" then
    "{" + (to_entries | map("\"" + (.key | pyjson_text) + "\": " + (.value | pyjson)) | join(", ")) + "}"
  elif type == "array" then "[" + (map(pyjson) | join(", ")) + "]"
  elif type == "string" then "\"" + pyjson_text + "\""
  else tojson end;
def edit($e): $e[0] as $action | $e[1] as $p | $e[2] as $v
  | if $action == "replace" then setpath($p; $v)
    elif $action == "append" then setpath($p; getpath($p) + $v)
    elif $action == "add" and ($p | length) > 0 and (getpath($p[:-1]) | type) == "array"
      then getpath($p[:-1]) as $list | setpath($p[:-1]; $list[:$p[-1]] + [$v] + $list[$p[-1]:])
    elif $action == "add" then setpath($p; $v)
    elif $action == "delete" then delpaths([$p])
    else error("unknown change \($action)") end;
foreach (inputs | select(startswith("data:")) | ltrimstr("data:") | ltrimstr(" ") | fromjson
    | select(.event_id == $id or .msg == "unexpected_error")) as $m
  ({data: null, out: null};
    if $m.msg == "process_generating" and .data != null then
      .data = ([.data, $m.output.data] | transpose | map(. as [$old, $edits] | reduce $edits[] as $e ($old; edit($e))))
      | .out = "event: generating\ndata: \(.data | pyjson)"
    elif $m.msg == "process_generating" or $m.msg == "process_streaming" then
      .data = $m.output.data | .out = "event: generating\ndata: \(.data | pyjson)"
    elif $m.msg == "process_completed" and $m.success then
      .out = "event: complete\ndata: \($m.output.data | pyjson)"
    elif $m.msg == "process_completed" then
      .out = "event: error\ndata: \({error: $m.output.error} | pyjson)"
    elif $m.msg == "unexpected_error" then
      .out = "event: error\ndata: \({error: $m.message} | pyjson)"
    else .out = null end;
  .out // empty)'
`
	uploadFunc = `
# HERE is the folder of this script: the recorded input files are found
# from there, whatever the working folder.
HERE=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

# upload FILE uploads a file, FILE relative to HERE, and prints its server
# path as a JSON string.
upload() {
  local out status path=$HERE/$1
  # In curl's quoted file name, a backslash or a double quote is escaped.
  path=${path//\\/\\\\}
  path=${path//\"/\\\"}
  out=$("${CURL[@]}" -F "files=@\"$path\"" "$API/upload") || {
    status=$?
    fail "uploading $1 to $API/upload failed (curl exit status $status): is the app running at $ROOT? Start it, or set GRADIO_URL to where it runs"
  }
  out=${out#\[}
  printf '%s' "${out%\]}"
}
`
	// jqDefs are jq functions: pyjson_text writes a string as Python's
	// json.dumps does between its quotes (ASCII only, \uXXXX escapes), which
	// is how the app writes strings in its data lines and a valid JSON text
	// to send.
	jqDefs = `JQ_DEFS='
def hex4: [(. / 4096 | floor) % 16, (. / 256 | floor) % 16, (. / 16 | floor) % 16, . % 16]
  | map("0123456789abcdef"[.:.+1]) | add;
def pyjson_text: tojson | .[1:-1] | explode
  | map(if . < 128 then [.] | implode
    elif . < 65536 then "\\u" + hex4
    else (. - 65536) as $c | "\\u" + (55296 + ($c / 1024 | floor) | hex4) + "\\u" + (56320 + $c % 1024 | hex4)
    end)
  | add // "";'
`
)

// secrets returns the code that reads the recorded secrets: a check that
// stops at once, naming the variables to set, when one is unset or empty;
// the variables holding each secret as JSON text, spliced into request
// bodies; and redact, which replaces the secrets in the app's data lines by
// their placeholders, by the rules of the recording.
func (g *gen) secrets() string {
	var b strings.Builder
	var envs, names []string
	for _, name := range g.p.Secrets {
		envs = append(envs, recording.SecretEnv(name))
		names = append(names, value.JSON{}.String(value.Value{Kind: value.String, Text: name}))
	}
	b.WriteString("\n# The recorded secrets, <redacted:NAME> in the recording: the script reads\n")
	b.WriteString("# each one's value from the environment variable GRADIO_SECRET_NAME.\n")
	b.WriteString("unset_secrets=()\n")
	b.WriteString("for name in " + strings.Join(envs, " ") + "; do\n")
	b.WriteString("  if [[ -z ${!name:-} ]]; then unset_secrets+=(\"$name\"); fi\n")
	b.WriteString("done\n")
	b.WriteString("if ((${#unset_secrets[@]} > 0)); then\n")
	b.WriteString("  echo \"set ${unset_secrets[*]}: the code reads the recorded secrets from them\" >&2\n")
	b.WriteString("  exit 2\n")
	b.WriteString("fi\n")
	b.WriteString(jqNeeded("send and redact the recorded secrets"))
	b.WriteString("\n")
	b.WriteString(jqDefs)
	b.WriteString("# Each secret as JSON text, read from the environment (not from arguments,\n")
	b.WriteString("# which other users can see).\n")
	for _, name := range g.p.Secrets {
		fmt.Fprintf(&b, "secret_%s=$(jq -rn \"$JQ_DEFS\"'$ENV.%s | pyjson_text')\n", name, recording.SecretEnv(name))
	}
	fmt.Fprintf(&b, `
# redact copies standard input to standard output with each secret in its
# "data:" lines replaced by its placeholder, as the recording holds it: a
# JSON string that is a secret's whole value, and secrets of at least %d
# bytes inside longer text.
redact() {
  jq -Rr "$JQ_DEFS"'
    ([%s[] | {name: ., value: $ENV["GRADIO_SECRET_" + .]}
      | {text: (.value | pyjson_text), placeholder: "<redacted:\(.name)>", bytes: (.value | utf8bytelength)}]
      | sort_by(-.bytes)) as $secrets
    | if startswith("data: ") then
        reduce $secrets[] as $s (.;
          split("\"" + $s.text + "\"") | join("\"" + $s.placeholder + "\"")
          | if $s.bytes >= %d then split($s.text) | join($s.placeholder) else . end)
      else . end'
}
`, recording.MinSecretInText, "["+strings.Join(names, ", ")+"]", recording.MinSecretInText)
	return b.String()
}

// jqNeeded is the code that stops the script at once when jq is missing,
// saying what the script needs it for.
func jqNeeded(what string) string {
	return `
if ! command -v jq >/dev/null; then
  echo "$0 needs jq to ` + what + `: install it (for example apt-get install jq)" >&2
  exit 2
fi
`
}

// pathPart percent-encodes s as one segment of a URL path, as
// url.PathEscape does.
func pathPart(s string) string { return url.PathEscape(s) }

// urlText makes a recorded URL or path usable in a script: characters that
// no URL holds as they are (controls, spaces) are percent-encoded, so that
// neither bash nor curl reads them.
func urlText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// prefixPath percent-encodes each segment of an api prefix such as
// "/gradio_api", which starts with a slash.
func prefixPath(p string) string {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		segs[i] = pathPart(s)
	}
	return "/" + strings.Join(segs, "/")
}

// redactedNote is the comment on a call whose arguments hold the
// anonymous placeholder, which no variable can restore.
const redactedNote = "An input was redacted when recorded: it is sent as the text " + recording.Redacted + "."
