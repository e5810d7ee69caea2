package recorder

import (
	"encoding/json"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// feedStream parses a chunk of a queue/data stream.
func (c *capture) feedStream(r *request, chunk []byte, t time.Time) {
	for _, ev := range r.parser.feed(chunk) {
		if ev.Data == "" {
			continue
		}
		var m queueMessage
		if err := json.Unmarshal([]byte(ev.Data), &m); err != nil {
			continue // not a Gradio message
		}
		if m.Msg == "close_stream" {
			r.closed = true
		}
		c.message(r.session, m, t)
	}
}

// streamEnded handles the end of a queue/data stream. Without close_stream
// the calls of the session that still wait on it will never hear back: they
// are incomplete, since nobody knows how they ended; after a broken
// connection (the app went away) their Error says so.
func (c *capture) streamEnded(r *request, errText string, canceled bool, t time.Time) {
	r.parser.end()
	if r.closed {
		return
	}
	for _, other := range c.reqs {
		if other.kind == kindData && other.session == r.session {
			return // another stream of the session carries on
		}
	}
	for _, cs := range c.calls {
		if cs.finished || cs.hash != r.session || cs.call.Via != recording.ViaQueue || cs.call.EventID == "" {
			continue
		}
		switch {
		case cs.cancel:
			c.finish(cs, recording.Cancelled, nil, t)
		case canceled:
			c.finish(cs, recording.Incomplete, nil, t)
		default:
			msg := "the event stream ended before the call completed"
			if errText != "" {
				msg += " (" + errText + ")"
			}
			c.finish(cs, recording.Incomplete, &recording.Error{Message: msg}, t)
		}
	}
}

// queueMessage is one message of the queue/data stream.
type queueMessage struct {
	Msg          string          `json:"msg"`
	EventID      *string         `json:"event_id"`
	Output       json.RawMessage `json:"output"`
	Success      *bool           `json:"success"`
	Title        *string         `json:"title"`
	Message      *string         `json:"message"`
	Log          *string         `json:"log"`
	Level        string          `json:"level"`
	ProgressData []progressUnit  `json:"progress_data"`
}

type progressUnit struct {
	Index    *float64 `json:"index"`
	Length   *float64 `json:"length"`
	Unit     *string  `json:"unit"`
	Progress *float64 `json:"progress"`
	Desc     *string  `json:"desc"`
}

// message routes one queue message to its call.
func (c *capture) message(session string, m queueMessage, t time.Time) {
	if m.EventID == nil || *m.EventID == "" {
		if m.Msg == "close_stream" {
			// Every event of the session is over: a call still without its
			// event id will not get one.
			for _, cs := range c.calls {
				if cs.eventless && !cs.finished && cs.hash == session {
					c.finish(cs, recording.Failed, &recording.Error{Message: "the queue's answer (the event id) was not captured"}, t)
				}
			}
		}
		if m.Msg == "unexpected_error" {
			// Not tied to one event: every pending call of the session.
			for _, cs := range c.calls {
				if !cs.finished && cs.hash == session && cs.call.Via == recording.ViaQueue {
					c.finish(cs, recording.Failed, &recording.Error{Message: deref(m.Message)}, t)
				}
			}
		}
		return
	}
	cs := c.byEvent[*m.EventID]
	if cs == nil {
		c.orphans[*m.EventID] = append(c.orphans[*m.EventID], orphan{m, t, session})
		c.bindEventless(session)
		return
	}
	c.apply(cs, m, t)
}

// apply applies one queue message to its call.
func (c *capture) apply(cs *callState, m queueMessage, t time.Time) {
	if cs.finished {
		return
	}
	cs.last = t
	call := &cs.call
	switch m.Msg {
	case "progress":
		p := recording.Progress{Bars: []recording.Bar{}}
		for _, u := range m.ProgressData {
			p.Bars = append(p.Bars, recording.Bar{
				Index: toInt(u.Index), Length: toInt(u.Length), Unit: deref(u.Unit),
				Progress: u.Progress, Desc: deref(u.Desc),
			})
		}
		call.Progress = append(call.Progress, p)
		c.emitEvent(CallUpdated, call)
	case "log":
		call.Log = append(call.Log, recording.Log{Level: m.Level, Message: deref(m.Log), Title: deref(m.Title)})
		c.emitEvent(CallUpdated, call)
	case "process_generating", "process_streaming":
		var out outputObject
		if json.Unmarshal(m.Output, &out) != nil || out.Data == nil {
			return
		}
		c.generate(cs, out.Data, m.Msg == "process_generating")
		call.Updates = append(call.Updates, apiOutputs(cs.dep, encodeAll(cs.gen)))
		c.emitEvent(CallUpdated, call)
	case "process_completed":
		var title *recording.Error
		if m.Title != nil {
			title = &recording.Error{Title: *m.Title}
		}
		c.completed(cs, m.Output, m.Success == nil || *m.Success, title, t)
	case "unexpected_error":
		c.finish(cs, recording.Failed, &recording.Error{Message: deref(m.Message)}, t)
	}
}

// generate folds one generator update into the call's full values: the
// first update holds full values, later ones diffs (sse_v2 and later, not
// for streaming events).
func (c *capture) generate(cs *callState, data []json.RawMessage, diffs bool) {
	first := !cs.generated
	cs.generated = true
	for i, raw := range data {
		v, err := decodeValue(raw)
		if err != nil {
			v = nil
		}
		for len(cs.gen) <= i {
			cs.gen = append(cs.gen, nil)
		}
		if first || !diffs || !c.app.diffs {
			cs.gen[i] = v
			continue
		}
		nv, err := gradio.ApplyDiff(cs.gen[i], v)
		if err != nil {
			nv = v // not a diff after all: take it as the full value
		}
		cs.gen[i] = nv
	}
}
