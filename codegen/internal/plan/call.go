package plan

import (
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// Mode says how a call can be made by the official clients.
type Mode int

// The ways to make a call.
const (
	Keywords   Mode = iota // a public endpoint with named parameters
	Positional             // named, but the clients know no parameter names (undocumented)
	Private                // private or unnamed: only by fn_index (JS, Go)
	UIOnly                 // no backend function: nothing to call
)

// Rendered is why a call of an endpoint that a gr.render function made is
// not replayed: it exists only in the page's session, by a number the
// clients cannot call.
const Rendered = "made by gr.render in the page, which the clients cannot call"

// Call is one recorded call, ready to render. Its values (the Value of
// each Arg and Output, Slots, EventData) are there only between Plan.Values
// and its release.
type Call struct {
	Rec      *recording.Call
	Endpoint *recording.Endpoint // nil when the recording has no schema for it
	APIName  string              // with its leading slash, or ""
	FnIndex  int
	Mode     Mode
	Named    bool   // the recorded schema names every argument (public or undocumented)
	Skip     string // why the call is not replayed in any language, or ""
	Args     []Arg
	// Slots are the values of every input of the endpoint, in order, as the
	// queue takes them: the arguments, with null for each State input and
	// the recorded value of each other input that is not an API parameter
	// (a button's label). Args when the recording has no schema.
	Slots     []value.Value
	EventData value.Value // Null when the call carried none
	// Event reports that a client must send the call's event data and
	// trigger id to reproduce it: it carried event data, or a trigger id
	// that its function reads (gr.EventData).
	Event bool
	// ReadsEvent reports that the call's function reads gr.EventData and
	// the call carried a trigger or event data: a client that cannot send
	// them gets other outputs.
	ReadsEvent bool
	Generator  bool
	Queued     bool
	Updates    int // intermediate outputs of a generator
	// CheckUpdates reports that the number of intermediate outputs is
	// checked: in the trace form, when the call has some and no mask of the
	// recording covers "/updates" (a stream whose chunks vary: only its
	// final output is compared). The intent form checks final outputs
	// only: how a reply is cut into chunks changes with a Gradio upgrade.
	CheckUpdates bool
	Error        *recording.Error // the recorded failure, or nil
	Outputs      []Output         // one per API output (State removed); nil after an error
	Note         string           // a short human description: "/calculate", "fn_index 7"
	// ReadsState reports that the call reads a gr.State that an earlier call
	// of its session may have changed: only a client that keeps the
	// session reproduces it.
	ReadsState bool
	// Redacted reports that an argument holds the anonymous placeholder
	// recording.Redacted: a secret removed at record time, which the code
	// sends as that text.
	Redacted bool
}

// Arg is one argument.
type Arg struct {
	Name  string // the parameter name ("param_<i>" when unknown)
	Value value.Value
}

// builder makes a Plan's calls from the recorded ones. It names the
// fixtures and notes the named secrets of their arguments as it meets them.
type builder struct {
	p         *Plan
	endpoints map[int]*recording.Endpoint
	files     map[string]*recording.File
	fixtures  map[string]string // recording file name -> fixture path
	used      map[string]bool   // fixture paths taken
	secrets   map[string]bool   // the named secrets in arguments
	redacted  bool              // an argument of the current call holds recording.Redacted
}

// call makes the Call of rc, with its values.
func (b *builder) call(rc *recording.Call) (*Call, error) {
	c := &Call{Rec: rc, FnIndex: rc.FnIndex, APIName: rc.APIName, Queued: rc.Via != "run", Note: describe(rc)}
	ep := b.endpoints[rc.FnIndex]
	c.Endpoint = ep
	if c.APIName == "" && ep != nil && ep.APIName != "" {
		c.APIName = ep.APIName
	}
	if c.APIName != "" && !strings.HasPrefix(c.APIName, "/") {
		c.APIName = "/" + c.APIName
	}
	if ep != nil {
		c.Generator = ep.Generator
		c.Queued = ep.Queue
	}
	c.Named = namesMatch(ep, rc)
	c.Mode = b.mode(c, ep)
	switch {
	case c.Mode == UIOnly:
		c.Skip = "a UI-only event (no backend function)"
	case ep != nil && ep.Rendered:
		c.Skip = Rendered
	case rc.Status == recording.Cancelled:
		c.Skip = "cancelled during the recording"
	case rc.Status == recording.Incomplete:
		c.Skip = "still running when the recording ended"
	}
	var err error
	b.redacted = false
	if c.Args, err = b.args(rc, ep); err != nil {
		return nil, err
	}
	c.Redacted = b.redacted
	if c.Slots, err = b.slots(rc, ep, c.Args); err != nil {
		return nil, err
	}
	collects := ep != nil && ep.EventData
	// The intent form sends no event data that the function does not read
	// (a change event's new value, say): it cannot change the outputs.
	if len(rc.EventData) > 0 && (collects || ep == nil || b.p.Opts.Trace) {
		if c.EventData, err = value.Parse(rc.EventData); err != nil {
			return nil, fmt.Errorf("event_data: %w", err)
		}
	}
	c.Event = c.EventData.Kind != value.Null || rc.TriggerID != nil && collects
	c.ReadsEvent = c.Event && collects
	c.Updates = len(rc.Updates)
	if c.Updates > 0 {
		c.Generator = true
	}
	c.CheckUpdates = b.p.Opts.Trace && c.Updates > 0 && !b.masked(c, "/updates")
	if rc.Status == recording.Failed {
		c.Error = rc.Error
		if c.Error == nil {
			c.Error = &recording.Error{}
		}
		return c, nil
	}
	c.Outputs = make([]Output, 0, len(rc.Outputs))
	for i, raw := range rc.Outputs {
		o, err := b.output(c, i, raw)
		if err != nil {
			return nil, fmt.Errorf("output %d: %w", i, err)
		}
		c.Outputs = append(c.Outputs, o)
	}
	return c, nil
}

// mode returns how c, a call of ep (nil when the schema is unknown), can be
// made.
func (b *builder) mode(c *Call, ep *recording.Endpoint) Mode {
	switch {
	case ep != nil && !ep.BackendFn:
		return UIOnly
	case c.APIName == "" || ep != nil && ep.Visibility == recording.Private:
		return Private
	case ep != nil && ep.Visibility == recording.Public && c.Named:
		return Keywords
	}
	return Positional
}

// namesMatch reports whether the recorded inputs are the endpoint's
// parameters, by name and in order.
func namesMatch(ep *recording.Endpoint, rc *recording.Call) bool {
	if ep == nil || len(ep.Parameters) != len(rc.Inputs) {
		return false
	}
	for i, p := range ep.Parameters {
		if p.Name == "" || p.Name != rc.Inputs[i].Name {
			return false
		}
	}
	return true
}

// shed leaves out the call's values (see Values), keeping how many
// arguments and outputs it has, their names, and how each output is checked
// (its masked paths included).
func (c *Call) shed() {
	for i := range c.Args {
		c.Args[i].Value = value.Value{}
	}
	for i := range c.Outputs {
		c.Outputs[i].Value = value.Value{}
	}
	c.Slots, c.EventData = nil, value.Value{}
}

// describe names the endpoint of c for a person: its API name, or its
// fn_index.
func describe(c *recording.Call) string {
	if c.APIName != "" {
		return c.APIName
	}
	return fmt.Sprintf("fn_index %d", c.FnIndex)
}

// Positions returns where each output of c is in a list of the outputs of
// its dependency without those for which drop is true: c.Outputs[i] is at
// pos[i] of a list of n. /call keeps every output (State as null) and
// @gradio/client drops only State, while c.Outputs holds the API outputs
// alone (the recording's schema marks the others skip). ok is false when
// the schema is unknown or does not fit the outputs.
func (c *Call) Positions(drop func(recording.Component) bool) (pos []int, n int, ok bool) {
	if c.Endpoint == nil {
		return nil, 0, false
	}
	for _, comp := range c.Endpoint.Outputs {
		if drop(comp) {
			if !comp.Skip {
				return nil, 0, false // an API output would be lost
			}
			continue
		}
		if !comp.Skip {
			pos = append(pos, n)
		}
		n++
	}
	if len(pos) != len(c.Outputs) {
		return nil, 0, false
	}
	return pos, n, true
}

// Label is how comments name a call: "3 /calculate" or "3 fn_index 7".
func (c *Call) Label() string { return fmt.Sprintf("%d %s", c.Rec.ID, Text(c.Note, 60)) }
