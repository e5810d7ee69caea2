package curl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

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
