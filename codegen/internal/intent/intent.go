// Package intent rewrites a recording into the calls a person would make
// through the app's public API after reading its "Use via API" page, rather
// than the calls its page made:
//
//   - A turn of a gr.ChatInterface (the page's eight or so calls to internal
//     endpoints) becomes one call to the app's public chat endpoint, with
//     the message (with its files, in a multimodal chat) and the additional
//     inputs; the endpoint keeps the history in its session, so one client
//     per session carries it over. Its output is the turn's reply.
//   - A call that only changed how the page looks (outputs that are updates
//     without a value: interactivity, visibility, buttons) and wrote no State
//     that a later call reads is left out.
//
// Every rule is safe or not applied: a turn whose reply cannot be read from
// the recording (a reply that is not text, a failed call, an additional
// input whose value is unknown), or whose calls touch components beyond the
// chat, keeps its recorded calls.
package intent

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/recording"
)

// A Change says what became of a recorded call in the intent form.
type Change struct {
	Call   int    // the recorded call's id
	Into   int    // the intent call that makes it, or 0 when it is left out
	Reason string // why, for a person: "a ChatInterface turn, made by one call to /chat"
}

// Reasons of changes.
const (
	ChatTurn = "part of a ChatInterface turn, made by one call to the public chat endpoint"
	UIOnly   = "it only changed how the page looks (no value)"
)

// Rewrite returns the intent form of rec, a copy that shares what it does
// not change (rec itself when no rule applies), and what became of each
// recorded call it changed.
func Rewrite(rec *recording.Recording) (*recording.Recording, []Change) {
	chat := findChat(rec)
	if chat == nil && !slices.ContainsFunc(rec.Calls, func(c recording.Call) bool { return uiOnly(rec, c) }) {
		return rec, nil // no rule applies: no copy of a recording that may be huge
	}
	out := *rec
	var changes []Change
	out.Calls = make([]recording.Call, 0, len(rec.Calls))
	for _, calls := range bySession(rec) {
		if chat != nil {
			var ch []Change
			calls, ch = chat.rewrite(rec, calls)
			changes = append(changes, ch...)
		}
		kept, ch := dropUIOnly(rec, calls)
		changes = append(changes, ch...)
		out.Calls = append(out.Calls, kept...)
	}
	slices.SortStableFunc(out.Calls, func(a, b recording.Call) int { return a.ID - b.ID })
	return &out, changes
}

// bySession groups rec's calls by session, the sessions in the order of
// their first call, in one pass.
func bySession(rec *recording.Recording) [][]recording.Call {
	var out [][]recording.Call
	at := map[string]int{}
	for _, c := range rec.Calls {
		i, ok := at[c.Session]
		if !ok {
			i = len(out)
			at[c.Session] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], c)
	}
	return out
}

// chat is the public endpoint of a gr.ChatInterface.
type chat struct {
	ep      *recording.Endpoint
	message int   // the component id of the message box
	extra   []int // the additional inputs, in order
}

// findChat returns the public chat endpoint of rec's app, or nil: a public
// endpoint with a backend function and parameter names, which the page
// never called, whose first input is a (multimodal) textbox that recorded
// calls read, whose other inputs are additional inputs and one State (the
// history) that it also outputs, in an app whose page shows a chatbot.
func findChat(rec *recording.Recording) *chat {
	called := map[int]bool{}
	for _, c := range rec.Calls {
		called[c.FnIndex] = true
	}
	chatbot := false
	for _, e := range rec.App.Endpoints {
		for _, o := range e.Outputs {
			chatbot = chatbot || o.Type == "chatbot"
		}
	}
	if !chatbot {
		return nil
	}
	for i := range rec.App.Endpoints {
		e := &rec.App.Endpoints[i]
		if e.Visibility != recording.Public || !e.BackendFn || called[e.FnIndex] || len(e.Inputs) == 0 {
			continue
		}
		first := e.Inputs[0]
		if first.Type != "textbox" && first.Type != "multimodaltextbox" {
			continue
		}
		ch := &chat{ep: e, message: first.ID}
		histories, others := 0, 0 // State inputs it also outputs; other State or non-API inputs
		for _, in := range e.Inputs[1:] {
			switch {
			case in.Type == "state" && slices.ContainsFunc(e.Outputs, func(o recording.Component) bool { return o.ID == in.ID }):
				histories++
			case in.Type == "state" || in.Skip:
				others++
			default:
				ch.extra = append(ch.extra, in.ID)
			}
		}
		if histories == 1 && others == 0 && len(e.Parameters) == 1+len(ch.extra) {
			return ch
		}
	}
	return nil
}

// rewrite replaces each turn of calls (one session's, in order) by one call
// of the chat endpoint, where it can. A session with a call of the chat's
// machinery outside a turn (retry, undo, edit, like) keeps its calls: those
// read the States that the turns' recorded calls write.
func (ch *chat) rewrite(rec *recording.Recording, calls []recording.Call) ([]recording.Call, []Change) {
	var out []recording.Call
	var changes []Change
	var history []any // the chatbot's messages before the turn
	for i := 0; i < len(calls); {
		msg, ok := ch.messageOf(rec, calls[i])
		if !ok {
			if ch.internal(rec, calls[i]) {
				// Retry, undo, edit, like: no public call does them, and
				// they read what the turns' own calls wrote.
				return calls, nil
			}
			if h, ok := chatbotOf(rec, calls[i]); ok {
				history = h
			}
			out = append(out, calls[i])
			i++
			continue
		}
		end := i + 1
		for end < len(calls) {
			if _, next := ch.messageOf(rec, calls[end]); next || !ch.internal(rec, calls[end]) || !sameTrigger(calls[i], calls[end]) {
				break
			}
			end++
		}
		turn := calls[i:end]
		call, after, ok := ch.call(rec, turn, msg, history)
		if !ok {
			out = append(out, turn...)
			for _, c := range turn {
				if h, ok := chatbotOf(rec, c); ok {
					history = h
				}
			}
			i = end
			continue
		}
		history = after
		out = append(out, call)
		for _, c := range turn {
			changes = append(changes, Change{Call: c.ID, Into: call.ID, Reason: ChatTurn})
		}
		i = end
	}
	return out, changes
}

// sameTrigger reports whether two calls come from one UI event, as a
// turn's chained calls do (the page sends the event's trigger with each):
// a retry or undo button's calls have another.
func sameTrigger(a, b recording.Call) bool {
	return a.TriggerID == nil || b.TriggerID == nil || *a.TriggerID == *b.TriggerID
}

// messageOf returns the message a call sends from the chat's message box: a
// call that starts a turn.
func (ch *chat) messageOf(rec *recording.Recording, c recording.Call) (json.RawMessage, bool) {
	ep := rec.Endpoint(c.FnIndex)
	if ep == nil || c.Status != recording.Completed {
		return nil, false
	}
	for i, in := range ep.Inputs {
		if in.ID != ch.message || i >= len(c.Data) {
			continue
		}
		var v any
		if json.Unmarshal(c.Data[i], &v) != nil {
			return nil, false
		}
		switch v := v.(type) {
		case string:
			return c.Data[i], v != ""
		case map[string]any: // a multimodal message: {"text": ..., "files": [...]}
			text, _ := v["text"].(string)
			files, _ := v["files"].([]any)
			return c.Data[i], text != "" || len(files) > 0
		}
	}
	return nil, false
}

// internal reports whether c is a call of the ChatInterface's own machinery:
// not public, and touching no component but the message box, the
// additional inputs, chatbots, States (in the server or the browser) and
// components outside the API (buttons).
func (ch *chat) internal(rec *recording.Recording, c recording.Call) bool {
	ep := rec.Endpoint(c.FnIndex)
	if ep == nil || ep.Visibility == recording.Public {
		return false
	}
	chatPart := func(comp recording.Component) bool {
		switch comp.Type {
		case "chatbot", "state", "browserstate": // browserstate: saved conversations
			return true
		}
		return comp.ID == ch.message || comp.Skip || slices.Contains(ch.extra, comp.ID)
	}
	return !slices.ContainsFunc(ep.Inputs, func(comp recording.Component) bool { return !chatPart(comp) }) &&
		!slices.ContainsFunc(ep.Outputs, func(comp recording.Component) bool { return !chatPart(comp) })
}

// call returns the chat endpoint's call that makes a turn, and the chatbot's
// messages after it; ok is false when the turn cannot be made so: a call
// that did not complete, an additional input whose value no call of the
// turn sent, or a reply that is not one text message.
func (ch *chat) call(rec *recording.Recording, turn []recording.Call, msg json.RawMessage, before []any) (recording.Call, []any, bool) {
	first := turn[0]
	extra := make([]json.RawMessage, len(ch.extra))
	var after []any
	for _, c := range turn {
		if c.Status != recording.Completed {
			return recording.Call{}, nil, false
		}
		ep := rec.Endpoint(c.FnIndex)
		for i, in := range ep.Inputs {
			if k := slices.Index(ch.extra, in.ID); k >= 0 && i < len(c.Data) && extra[k] == nil {
				extra[k] = c.Data[i]
			}
		}
		if h, ok := chatbotOf(rec, c); ok {
			after = h
		}
	}
	if slices.ContainsFunc(extra, func(v json.RawMessage) bool { return v == nil }) || !oneReply(before, after) {
		return recording.Call{}, nil, false
	}
	reply, ok := text(after[len(after)-1])
	if !ok {
		return recording.Call{}, nil, false
	}
	replyJSON, _ := json.Marshal(reply)
	call := recording.Call{
		ID: first.ID, Session: first.Session, FnIndex: ch.ep.FnIndex, APIName: ch.ep.APIName,
		Via: recording.ViaQueue, Status: recording.Completed, Outputs: []json.RawMessage{replyJSON},
		Started: first.Started,
	}
	values := append([]json.RawMessage{msg}, extra...)
	for i, p := range ch.ep.Parameters {
		call.Inputs = append(call.Inputs, recording.Arg{Name: p.Name, Value: values[i]})
	}
	k := 0
	for _, in := range ch.ep.Inputs {
		if in.Type == "state" {
			call.Data = append(call.Data, json.RawMessage("null"))
			continue
		}
		call.Data = append(call.Data, values[k])
		k++
	}
	return call, after, true
}

// oneReply reports whether a turn took the chatbot's messages from before
// to after by adding the user's messages (one, or one per file and one for
// the text of a multimodal message) and then one of the assistant's.
func oneReply(before, after []any) bool {
	if len(after) < len(before)+2 {
		return false
	}
	for _, m := range after[len(before) : len(after)-1] {
		if msg, ok := m.(map[string]any); !ok || msg["role"] != "user" {
			return false
		}
	}
	return true
}

// chatbotOf returns the messages of the chatbot that call c outputs last.
func chatbotOf(rec *recording.Recording, c recording.Call) ([]any, bool) {
	ep := rec.Endpoint(c.FnIndex)
	if ep == nil || c.Status != recording.Completed {
		return nil, false
	}
	var out []any
	found := false
	k := 0 // c.Outputs has the outputs without State
	for _, o := range ep.Outputs {
		if o.Type == "state" {
			continue
		}
		if k >= len(c.Outputs) {
			break
		}
		raw := c.Outputs[k]
		k++
		if o.Type != "chatbot" {
			continue
		}
		var msgs []any
		if json.Unmarshal(raw, &msgs) == nil {
			out, found = msgs, true
		}
	}
	return out, found
}

// text returns the text of an assistant message: its content when that is a
// string, or its one text part (Gradio 6 writes content as parts).
func text(m any) (string, bool) {
	msg, ok := m.(map[string]any)
	if !ok || msg["role"] != "assistant" {
		return "", false
	}
	switch c := msg["content"].(type) {
	case string:
		return c, true
	case []any:
		if len(c) != 1 {
			return "", false
		}
		part, _ := c[0].(map[string]any)
		if t, ok := part["text"].(string); ok && part["type"] == "text" {
			return t, true
		}
	}
	return "", false
}

// dropUIOnly leaves out the calls (one session's, in order) whose outputs
// only change how the page looks and that write no State a later call
// reads.
func dropUIOnly(rec *recording.Recording, calls []recording.Call) ([]recording.Call, []Change) {
	var out []recording.Call
	var changes []Change
	for i, c := range calls {
		if !uiOnly(rec, c) || writesReadState(rec, c, calls[i+1:]) {
			out = append(out, c)
			continue
		}
		changes = append(changes, Change{Call: c.ID, Reason: UIOnly})
	}
	return out, changes
}

// uiOnly reports whether a call ran in the page alone (no backend
// function), or completed with outputs that all only change how the page
// looks: components outside the API (buttons, layout), and updates without
// a value ({"__type__": "update", "interactive": ...}). A call without
// outputs but State, which may act on the world, is not.
func uiOnly(rec *recording.Recording, c recording.Call) bool {
	ep := rec.Endpoint(c.FnIndex)
	switch {
	case ep == nil:
		return false
	case !ep.BackendFn:
		return true
	case c.Status != recording.Completed:
		return false
	}
	shown, api := 0, 0 // outputs other than State; those in the API
	for _, o := range ep.Outputs {
		if o.Type != "state" {
			shown++
			if !o.Skip {
				api++
			}
		}
	}
	if shown == 0 || api != len(c.Outputs) {
		return false
	}
	for _, raw := range c.Outputs {
		var v map[string]json.RawMessage
		if json.Unmarshal(raw, &v) != nil || strings.TrimSpace(string(v["__type__"])) != `"update"` {
			return false
		}
		if _, ok := v["value"]; ok {
			return false
		}
	}
	return true
}

// writesReadState reports whether c writes a State that one of the later
// calls reads.
func writesReadState(rec *recording.Recording, c recording.Call, later []recording.Call) bool {
	ep := rec.Endpoint(c.FnIndex)
	for _, o := range ep.Outputs {
		if o.Type != "state" {
			continue
		}
		for _, l := range later {
			if le := rec.Endpoint(l.FnIndex); le != nil && slices.ContainsFunc(le.Inputs, func(in recording.Component) bool { return in.ID == o.ID }) {
				return true
			}
		}
	}
	return false
}
