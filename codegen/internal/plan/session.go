package plan

import "fmt"

// Session is the calls of one browser session, in order.
type Session struct {
	ID    string // the recording's session id
	Ident string // ID as an identifier: letters, digits and underscores
	Calls []*Call
	// LeftOut is how many recorded calls of the session the intent form
	// leaves out, as they only changed how the page looks.
	LeftOut int
}

// Replayed returns the calls of s that are replayed.
func (s *Session) Replayed() []*Call {
	var out []*Call
	for _, c := range s.Calls {
		if c.Skip == "" {
			out = append(out, c)
		}
	}
	return out
}

// Replayable reports whether some call of s is replayed by a language that
// can make calls of the given modes.
func (s *Session) Replayable(private bool) bool {
	for _, c := range s.Calls {
		if c.Skip == "" && (private || c.Mode != Private) {
			return true
		}
	}
	return false
}

// LeftOutNote is the one comment on the calls of s that the intent form
// leaves out, or "".
func (s *Session) LeftOutNote() string {
	switch s.LeftOut {
	case 0:
		return ""
	case 1:
		return "1 recorded call that only changed how the page looks is left out."
	}
	return fmt.Sprintf("%d recorded calls that only changed how the page looks are left out.", s.LeftOut)
}

// A Client is what an official client can send.
type Client struct {
	Name      string // how reasons name it: "gradio_client"
	Private   bool   // it calls private endpoints, by fn_index
	EventData bool   // it sends a call's event data and trigger id
}

// Lost returns why the client cl cannot reproduce the outputs of calls of s,
// by call: those whose function reads gr.EventData when cl cannot send it,
// and those that read a gr.State that a call cl cannot make (a private one),
// or a call of this list, changed. The calls are still made, for the State
// they change; their outputs cannot be expected to match.
func (s *Session) Lost(cl Client) map[*Call]string {
	lost := map[*Call]string{}
	tainted := map[int]string{} // State component id -> why its value differs
	for _, c := range s.Calls {
		if c.Skip != "" || c.Endpoint == nil {
			continue
		}
		why, cause := "", "" // why its outputs differ; why the State it writes does
		for _, in := range c.Endpoint.Inputs {
			if r, ok := tainted[in.ID]; ok && in.Type == "state" {
				why, cause = "it reads a gr.State that "+r, r
				break
			}
		}
		made := cl.Private || c.Mode != Private
		switch {
		case !made:
			cause = fmt.Sprintf("call %s changed, a private endpoint that %s cannot call", c.Label(), cl.Name)
		case why != "":
		case c.ReadsEvent && !cl.EventData:
			why = fmt.Sprintf("it reads gr.EventData, and %s cannot send the event's data", cl.Name)
			if c.Rec.TriggerID != nil {
				why = fmt.Sprintf("it reads gr.EventData, and %s cannot send the trigger id", cl.Name)
			}
			cause = fmt.Sprintf("call %s changed from gr.EventData, which %s cannot send", c.Label(), cl.Name)
		}
		if made && why != "" {
			lost[c] = why
		}
		if cause == "" {
			continue
		}
		for _, out := range c.Endpoint.Outputs {
			if out.Type == "state" {
				tainted[out.ID] = cause
			}
		}
	}
	return lost
}
