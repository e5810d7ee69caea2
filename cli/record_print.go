package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// How much of a value a call's line shows.
const (
	briefString = 40  // runes of a string
	briefValue  = 60  // runes of one input or output
	briefInputs = 140 // runes of all the inputs
)

// printer writes record's progress to stderr: its own messages and one line
// per call that ended. Calls arrive on the recorder's goroutine, so writes
// are serialised. Every line may quote the app (its version, names,
// values, errors): control characters are shown escaped and URL passwords
// hidden (term.EscapeText).
type printer struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printer) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w, term.EscapeText(fmt.Sprintf(format, args...)))
}

// event prints a call that ended; the recorder calls it (WithOnEvent),
// with the secrets it knows redacted already.
func (p *printer) event(ev recorder.Event) {
	if ev.Kind != recorder.CallCompleted {
		return
	}
	p.printf("  %s", callLine(ev.Call))
}

// callLine describes a call that ended in one line, its secrets redacted as
// in the recording:
//
//	#3 /calculate(num1=6, operation="multiply", num2=7) → 42  0.21s
//	#5 /calculate(num1=1, operation="divide", num2=0) → error: Cannot divide by zero!  0.10s
//	#7 /ticker(prefix="tick") → incomplete: still running when the recording ended (12 updates)  1.3s
//
// Strings are quoted and cut, files show their names: file(cat.png). What
// came from the app (names, values, messages) is shown with its control
// characters escaped (term.Escape), so the line stays one line and cannot
// drive the terminal.
func callLine(c recording.Call, secrets ...string) string {
	red, err := recording.RedactedCall(c, secrets...)
	if err != nil {
		// Show no value rather than one that may hold a secret.
		red = recording.Call{ID: c.ID, APIName: c.APIName, FnIndex: c.FnIndex, Status: c.Status, Duration: c.Duration}
	}
	c = red
	name := c.APIName
	if name == "" {
		name = "fn_index " + strconv.Itoa(c.FnIndex)
	}
	args := make([]string, 0, len(c.Inputs))
	for _, a := range c.Inputs {
		args = append(args, a.Name+"="+brief(a.Value))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s(%s) → %s", c.ID, name, cut(strings.Join(args, ", "), briefInputs), outcome(c))
	fmt.Fprintf(&b, "  %s", seconds(c.Duration))
	return term.Escape(b.String())
}

// outcome says how a call ended: its outputs, or its error.
func outcome(c recording.Call) string {
	updates := ""
	switch n := len(c.Updates); n {
	case 0:
	case 1:
		updates = " (1 update)"
	default:
		updates = fmt.Sprintf(" (%d updates)", n)
	}
	switch c.Status {
	case recording.Completed:
		return outputs(c.Outputs) + updates
	case recording.Failed:
		msg := "the app gave no reason"
		if c.Error != nil {
			msg = c.Error.Message
			if c.Error.Title != "" && c.Error.Title != "Error" {
				msg = c.Error.Title + ": " + msg
			}
			if c.Error.HTTP != 0 {
				msg = fmt.Sprintf("HTTP %d: %s", c.Error.HTTP, msg)
			}
		}
		return "error: " + cut(oneLine(msg), 2*briefValue)
	case recording.Cancelled:
		return "cancelled" + lastUpdate(c) + updates
	case recording.Incomplete:
		return "incomplete: still running when the recording ended" + lastUpdate(c) + updates
	}
	return c.Status
}

// lastUpdate shows the last output a generator gave before it stopped.
func lastUpdate(c recording.Call) string {
	if len(c.Updates) == 0 {
		return ""
	}
	return ", last " + outputs(c.Updates[len(c.Updates)-1])
}

// outputs shows a call's outputs: one bare, several in parentheses.
func outputs(out []json.RawMessage) string {
	switch len(out) {
	case 0:
		return "ok"
	case 1:
		return brief(out[0])
	}
	parts := make([]string, len(out))
	for i, o := range out {
		parts[i] = brief(o)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// brief shows a JSON value in at most briefValue runes.
func brief(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return cut(oneLine(string(raw)), briefValue)
	}
	var b strings.Builder
	writeBrief(&b, v)
	return cut(b.String(), briefValue)
}

func writeBrief(b *strings.Builder, v any) {
	if b.Len() > 4*briefValue {
		return // it will be cut anyway
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		b.WriteString(v.String())
	case string:
		b.WriteString(strconv.Quote(cut(v, briefString)))
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeBrief(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		if name, ok := fileName(v); ok {
			b.WriteString("file(" + name + ")")
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(cut(k, briefString)) + ": ")
			writeBrief(b, v[k])
		}
		b.WriteByte('}')
	}
}

// fileName returns the name of a Gradio FileData value.
func fileName(v map[string]any) (string, bool) {
	if !recording.IsFileData(v) {
		return "", false
	}
	for _, k := range []string{"orig_name", "path", "url"} {
		if s, _ := v[k].(string); s != "" {
			return cut(oneLine(path.Base(s)), briefString), true
		}
	}
	return "file", true
}

// cut shortens s to n runes, marking the cut with an ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// oneLine replaces line breaks and tabs by spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// seconds shows a duration in seconds: 0.21s, 12.3s, 2m5s.
func seconds(s float64) string {
	switch {
	case s < 10:
		return fmt.Sprintf("%.2fs", s)
	case s < 60:
		return fmt.Sprintf("%.1fs", s)
	}
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

// summary counts a recording's calls by status and its files:
// "5 calls (4 completed, 1 error) and 2 files".
func summary(rec *recording.Recording) string {
	counts := map[string]int{}
	for _, c := range rec.Calls {
		counts[c.Status]++
	}
	s := plural(len(rec.Calls), "call", "calls")
	var parts []string
	for _, st := range []string{recording.Completed, recording.Failed, recording.Cancelled, recording.Incomplete} {
		if n := counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	stored := 0
	for _, f := range rec.Files {
		if f.Stored {
			stored++
		}
	}
	if stored > 0 {
		s += " and " + plural(stored, "file", "files")
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
