package curl

import (
	"fmt"
	"strconv"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

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
# downloaded: curl sends the app's login and token with them. A file whose
# URL is not the app's but that has a server path is fetched from the app by
# that path (Gradio 4.x's /call writes some URLs with a wrong port).
check_files() {
  local pos want name url got
  while IFS=$'\t' read -r pos want name; do
    url=$(jq -r --argjson p "$pos" --arg root "${ROOT%/}/" --arg api "$API" '.[$p] | objects
      | if (.url // "" | startswith($root)) or (.path // "" | startswith("/") | not) then .url // empty
        else "\($api)/file=\(.path | split("/") | map(@uri) | join("/"))" end' <<<"$1" 2>/dev/null) || url=''
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
