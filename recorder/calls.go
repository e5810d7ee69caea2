package recorder

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// predictBody is the body of queue/join and run/<name>.
type predictBody struct {
	Data        []json.RawMessage `json:"data"`
	FnIndex     *int              `json:"fn_index"`
	SessionHash string            `json:"session_hash"`
	EventData   json.RawMessage   `json:"event_data"`
	TriggerID   *int              `json:"trigger_id"`
}

// startCall begins a call for a join or run request; it reports false for a
// body that is not a Gradio call.
func (c *capture) startCall(r *request) bool {
	var body predictBody
	if err := json.Unmarshal(r.sent.Body, &body); err != nil || body.Data == nil {
		return false
	}
	var dep *dependency
	if body.FnIndex != nil {
		if dep = c.app.deps[*body.FnIndex]; dep == nil {
			dep = c.rendered(*body.FnIndex, r.kind != kindRun)
		}
	} else if r.kind == kindRun {
		dep = c.app.byName(runName(r.sent.URL))
	}
	if body.FnIndex == nil && dep == nil {
		return false
	}
	cs := &callState{dep: dep, hash: body.SessionHash, last: r.sent.Time}
	call := &cs.call
	call.ID = len(c.calls) + 1
	call.Session = c.sessionID(body.SessionHash)
	if body.FnIndex != nil {
		call.FnIndex = *body.FnIndex
	} else {
		call.FnIndex = dep.ID
	}
	if dep != nil {
		call.APIName = dep.endpoint.APIName
	}
	call.Via = recording.ViaQueue
	if r.kind == kindRun {
		call.Via = recording.ViaRun
	}
	call.Data = make([]json.RawMessage, len(body.Data))
	for i, v := range body.Data {
		call.Data[i] = rawOrNull(v)
	}
	call.Inputs = namedInputs(dep, call.Data)
	call.EventData = nonNull(body.EventData)
	call.TriggerID = body.TriggerID
	call.Status = recording.Incomplete
	call.Started = r.sent.Time
	c.annotateCall(cs)
	c.fetchInputs(cs)
	if dep != nil && dep.Types.Cancel {
		// Gradio 4 cancels through a helper dependency listing the
		// dependencies whose running events it ends.
		for _, other := range c.calls {
			if other.hash == cs.hash && !other.finished && slices.Contains(dep.Cancels, other.call.FnIndex) {
				other.cancel = true
			}
		}
	}
	r.call = cs
	c.calls = append(c.calls, cs)
	if i := slices.IndexFunc(c.expected, func(e expectation) bool { return e.fn == call.FnIndex && e.session == cs.hash }); i >= 0 {
		c.expected = slices.Delete(c.expected, i, i+1)
		cs.chained = true
	}
	c.inflight++
	c.touch()
	c.emitEvent(CallStarted, call)
	return true
}

// rendered adds the dependency fn, which the config the page loaded does not
// list, to the app: a gr.render function made it in the page (the app's
// config lists only what is rendered at launch). Its components and name
// are not known: its calls name their inputs by position.
func (c *capture) rendered(fn int, queue bool) *dependency {
	m := c.app
	// A new slice: snapshots of the app given out before share the old one.
	eps := append(slices.Clone(m.app.Endpoints), recording.Endpoint{
		FnIndex: fn, Visibility: recording.Undocumented, BackendFn: true, Queue: queue, Rendered: true,
		Inputs: []recording.Component{}, Outputs: []recording.Component{},
	})
	slices.SortStableFunc(eps, func(a, b recording.Endpoint) int { return a.FnIndex - b.FnIndex })
	m.app.Endpoints = eps
	m.deps[fn] = &dependency{Dependency: &gradio.Dependency{ID: fn}}
	for i := range eps { // each dependency points into the new slice
		if d := m.deps[eps[i].FnIndex]; d != nil {
			d.endpoint = &eps[i]
		}
	}
	ep := *m.deps[fn].endpoint
	c.emit(notice{endpoint: &ep})
	return m.deps[fn]
}

// runName is the <name> of a run/<name> URL.
func runName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	p := strings.TrimSuffix(u.Path, "/")
	return p[strings.LastIndex(p, "/")+1:]
}

// byName finds a dependency by api_name (without its slash).
func (m *appModel) byName(name string) *dependency {
	for _, d := range m.deps {
		if d.endpoint != nil && d.endpoint.APIName == "/"+name {
			return d
		}
	}
	return nil
}

// namedInputs names a call's input values, dropping State (skipped) slots.
func namedInputs(dep *dependency, data []json.RawMessage) []recording.Arg {
	args := make([]recording.Arg, 0, len(data))
	k := 0 // position among the API inputs
	for i, v := range data {
		var name string
		if dep != nil && i < len(dep.paramName) {
			if name = dep.paramName[i]; name == "" {
				continue // a State or other skipped slot
			}
		} else {
			name = fmt.Sprintf("param_%d", k)
		}
		args = append(args, recording.Arg{Name: name, Value: v})
		k++
	}
	return args
}

// sessionID returns the recording's id for a session hash.
func (c *capture) sessionID(hash string) string {
	if id, ok := c.sessByID[hash]; ok {
		return id
	}
	s := recording.Session{ID: fmt.Sprintf("s%d", len(c.sessions)+1), Hash: hash}
	c.sessions = append(c.sessions, s)
	c.sessByID[hash] = s.ID
	c.emit(notice{session: &s})
	return s.ID
}

// joinAnswered binds a queued call to its event id, or fails it.
func (c *capture) joinAnswered(r *request, body []byte, t time.Time) {
	cs := r.call
	if cs == nil || cs.finished {
		return
	}
	if r.status >= 300 || r.status == 0 && body == nil {
		c.finish(cs, recording.Failed, httpError(r.status, body), t)
		return
	}
	if body == nil {
		// The source lost the answer: find the event id on the stream.
		cs.eventless = true
		c.bindEventless(cs.hash)
		return
	}
	var ans struct {
		EventID string `json:"event_id"`
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.EventID == "" {
		c.finish(cs, recording.Failed, &recording.Error{Message: "the queue answered without an event id: " + clip(string(body))}, t)
		return
	}
	c.bind(cs, ans.EventID)
}

// bind gives a queued call its event id and applies the messages that came
// for it before.
func (c *capture) bind(cs *callState, eventID string) {
	cs.eventless = false
	cs.call.EventID = eventID
	c.byEvent[eventID] = cs
	if c.canceled[eventID] {
		delete(c.canceled, eventID)
		cs.cancel = true
	}
	pending := c.orphans[eventID]
	delete(c.orphans, eventID)
	for _, o := range pending {
		c.apply(cs, o.msg, o.time)
	}
}

// bindEventless pairs a session's call whose join answer was lost with the
// messages of an event nobody claimed, when there is exactly one of each.
func (c *capture) bindEventless(session string) {
	var waiting []*callState
	for _, cs := range c.calls {
		if cs.eventless && !cs.finished && cs.hash == session {
			waiting = append(waiting, cs)
		}
	}
	var ids []string
	for id, msgs := range c.orphans {
		if len(msgs) > 0 && msgs[0].session == session {
			ids = append(ids, id)
		}
	}
	if len(waiting) == 1 && len(ids) == 1 {
		c.bind(waiting[0], ids[0])
	}
}

// runAnswered completes a call made outside the queue: the answer is the
// output object itself.
func (c *capture) runAnswered(r *request, body []byte, t time.Time) {
	cs := r.call
	if cs == nil || cs.finished {
		return
	}
	cs.last = t
	if r.status == 200 {
		c.completed(cs, body, true, nil, t)
		return
	}
	var payload struct {
		Error *string `json:"error"`
	}
	if r.status == 500 && json.Unmarshal(body, &payload) == nil && payload.Error != nil {
		c.completed(cs, body, false, nil, t)
		return
	}
	c.finish(cs, recording.Failed, httpError(r.status, body), t)
}

// httpError describes a refused request from its status and body.
func httpError(status int, body []byte) *recording.Error {
	e := &recording.Error{HTTP: status}
	var detail struct {
		Detail json.RawMessage `json:"detail"`
		Error  *string         `json:"error"`
	}
	var s string
	switch {
	case json.Unmarshal(body, &detail) == nil && json.Unmarshal(detail.Detail, &s) == nil:
		e.Message = s
	case len(detail.Detail) > 0:
		e.Message = string(detail.Detail) // e.g. a validation list
	case detail.Error != nil:
		e.Message = *detail.Error
	default:
		e.Message = strings.TrimSpace(clip(string(body)))
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("HTTP %d", status)
	}
	return e
}

// clip shortens a text for an error message.
func clip(s string) string {
	if len(s) > 500 {
		return s[:500] + "…"
	}
	return s
}

// cancelSent notes that the page asked the server to cancel an event.
func (c *capture) cancelSent(body []byte) {
	var req struct {
		EventID string `json:"event_id"`
	}
	if json.Unmarshal(body, &req) != nil || req.EventID == "" {
		return
	}
	if cs := c.byEvent[req.EventID]; cs != nil {
		if !cs.finished {
			cs.cancel = true
		}
		return
	}
	c.canceled[req.EventID] = true
}

// outputObject is the output of process_generating, process_completed and
// of a run/<name> answer.
type outputObject struct {
	Data     []json.RawMessage `json:"data"`
	Duration *float64          `json:"duration"`
	Error    json.RawMessage   `json:"error"`
	Title    *string           `json:"title"`
}

// completed finishes a call from an output object (process_completed or a
// run answer). extra carries the message's title.
func (c *capture) completed(cs *callState, raw json.RawMessage, success bool, extra *recording.Error, t time.Time) {
	var out outputObject
	_ = json.Unmarshal(raw, &out) // an absent or odd output leaves it empty
	if !success {
		// out.Duration of an error is how long the page shows it.
		e := &recording.Error{}
		var s string
		if json.Unmarshal(out.Error, &s) == nil {
			e.Message = s
		}
		if out.Title != nil {
			e.Title = *out.Title
		} else if extra != nil {
			e.Title = extra.Title
		}
		c.finish(cs, recording.Failed, e, t)
		return
	}
	if out.Duration != nil {
		cs.call.ServerTime = *out.Duration
	}
	if out.Data != nil {
		vals := make([]json.RawMessage, len(out.Data))
		for i, v := range out.Data {
			vals[i] = normalize(v)
		}
		cs.call.Outputs = apiOutputs(cs.dep, vals)
	}
	status := recording.Completed
	if cs.cancel {
		status = recording.Cancelled
	}
	c.finish(cs, status, nil, t)
}

// normalize re-encodes a JSON value the way generator updates are encoded,
// so that outputs and updates compare byte for byte.
func normalize(raw json.RawMessage) json.RawMessage {
	v, err := decodeValue(raw)
	if err != nil {
		return rawOrNull(raw)
	}
	return encodeValue(v)
}

func encodeAll(vals []any) []json.RawMessage {
	out := make([]json.RawMessage, len(vals))
	for i, v := range vals {
		out[i] = encodeValue(v)
	}
	return out
}

// apiOutputs drops the State (skipped) slots of an output list.
func apiOutputs(dep *dependency, vals []json.RawMessage) []json.RawMessage {
	out := make([]json.RawMessage, 0, len(vals))
	for i, v := range vals {
		if dep != nil && i < len(dep.endpoint.Outputs) && dep.endpoint.Outputs[i].Skip {
			continue
		}
		out = append(out, v)
	}
	return out
}

// finish records how a call ended and starts downloading its output files;
// the call settles when they are in.
func (c *capture) finish(cs *callState, status string, e *recording.Error, t time.Time) {
	if cs.finished {
		return
	}
	cs.finished = true
	if t.After(cs.last) {
		cs.last = t
	}
	cs.call.Status = status
	cs.call.Error = e
	cs.call.Duration = cs.last.Sub(cs.call.Started).Seconds()
	if status == recording.Completed || status == recording.Cancelled {
		c.fetchOutputs(cs)
	}
	if cs.waiting == 0 {
		c.settle(cs)
	}
}

// settle reports a finished call whose files are in.
func (c *capture) settle(cs *callState) {
	if cs.settled {
		return
	}
	cs.settled = true
	c.annotateCall(cs)
	if cs.dep != nil && !c.stopped {
		c.expectAfter(cs.dep.ID, cs.call.Status, cs)
	}
	c.inflight--
	c.touch()
	c.emitEvent(CallCompleted, &cs.call)
}

// copyCall copies a call so that later changes to the original (appended
// updates, fixture keys) do not show in the copy. The updates are shared, in
// constant time, so that a generator's n updates do not cost n² copies:
// captured updates are only ever appended to, beyond the copy's capacity,
// and the fixture keys go into new slices (annotateCall).
func copyCall(c *recording.Call) recording.Call {
	out := *c
	out.Inputs = slices.Clone(c.Inputs)
	out.Data = slices.Clone(c.Data)
	out.Outputs = slices.Clone(c.Outputs)
	out.Updates = c.Updates[:len(c.Updates):len(c.Updates)]
	out.Log = slices.Clone(c.Log)
	out.Progress = slices.Clone(c.Progress)
	if c.Error != nil {
		e := *c.Error
		out.Error = &e
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func toInt(f *float64) *int {
	if f == nil {
		return nil
	}
	n := int(*f)
	return &n
}
