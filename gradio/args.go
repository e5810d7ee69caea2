package gradio

import (
	"fmt"
	"slices"
	"strings"
)

// Named passes arguments by parameter name (keyword arguments), as listed in
// EndpointInfo.Parameters. Give it as the last argument of Predict or Submit,
// after any positional ones:
//
//	c.Predict(ctx, "/calculate", gradio.Named{"num1": 3, "operation": "add", "num2": 4})
//	c.Predict(ctx, "/calculate", 3, gradio.Named{"num2": 4}) // operation takes its default
//
// Parameters left out take their default from /info; a required one left out,
// an unknown name or a name also given positionally is an error.
type Named map[string]any

// Event is the UI event a call stands for, for functions that take
// gr.EventData (select, like, ... listeners). Pass it among the arguments of
// Predict or Submit; it is sent as the request's event_data and trigger_id,
// not as an input value. Calls without one send event_data null, like the
// official clients.
type Event struct {
	// Data is the event payload, e.g. {"index": 2, "value": "b",
	// "selected": true} for a select event.
	Data any
	// TriggerID is the id of the component whose event fired, or nil.
	TriggerID *int
}

// Trigger returns the Event of a UI event that component id fired, with
// data as its payload (nil for none): gradio.Trigger(7, nil) for a button's
// click that a gr.on listener tells apart by its trigger.
func Trigger(id int, data any) Event {
	return Event{Data: data, TriggerID: &id}
}

// callArgs are the arguments of one call, split by kind.
type callArgs struct {
	positional []any
	named      Named
	event      *Event
}

// splitArgs separates positional values from a Named and an Event.
func splitArgs(args []any) (callArgs, error) {
	var ca callArgs
	for i, a := range args {
		switch t := a.(type) {
		case Named:
			if ca.named != nil {
				return ca, fmt.Errorf("argument %d: only one Named may be given", i)
			}
			if i != len(args)-1 && !(i == len(args)-2 && isEvent(args[len(args)-1])) {
				return ca, fmt.Errorf("argument %d: Named must follow the positional arguments", i)
			}
			if t == nil {
				t = Named{}
			}
			ca.named = t
		case Event:
			if ca.event != nil {
				return ca, fmt.Errorf("argument %d: only one Event may be given", i)
			}
			ca.event = &t
		case *Event:
			if ca.event != nil {
				return ca, fmt.Errorf("argument %d: only one Event may be given", i)
			}
			ca.event = t
		default:
			ca.positional = append(ca.positional, a)
		}
	}
	return ca, nil
}

func isEvent(a any) bool {
	switch a.(type) {
	case Event, *Event:
		return true
	}
	return false
}

// buildData maps a call's arguments onto the dependency's inputs: values for
// the parameters in order (defaults filled, as gradio_client's
// construct_args), null for State and other skipped inputs.
func (e *Endpoint) buildData(ca callArgs) ([]any, error) {
	params := e.info.Parameters
	if len(params) != e.nParams {
		return nil, fmt.Errorf("the app's schema lists %d parameters but the dependency has %d inputs", len(params), e.nParams)
	}
	vals := make([]any, len(params))
	if len(ca.positional) > len(params) {
		return nil, fmt.Errorf("%d arguments given, the endpoint takes %d%s", len(ca.positional), len(params), paramList(params))
	}
	copy(vals, ca.positional)
	set := make([]bool, len(params))
	for i := range ca.positional {
		set[i] = true
	}
	if len(ca.named) > 0 {
		if !e.hasNames() { // private endpoints: parameters come from the config
			return nil, fmt.Errorf("the endpoint does not report parameter names (it is not in the app's /info); pass its %d arguments positionally", len(params))
		}
		var unknown []string
		for name, v := range ca.named {
			i := slices.IndexFunc(params, func(p Parameter) bool { return p.Name == name })
			switch {
			case i < 0:
				unknown = append(unknown, name)
			case set[i]:
				return nil, fmt.Errorf("parameter %q is already given as positional argument %d", name, i+1)
			default:
				vals[i], set[i] = v, true
			}
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			return nil, fmt.Errorf("unknown parameter %s; valid names: %s", quoteList(unknown), strings.Join(e.paramNames(), ", "))
		}
	}
	var missing []string
	for i, p := range params {
		if set[i] {
			continue
		}
		if p.HasDefault {
			vals[i] = p.Default
			continue
		}
		missing = append(missing, p.displayName())
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no value for required parameter %s%s", quoteList(missing), paramList(params))
	}
	data := make([]any, len(e.inSkip))
	k := 0
	for i, skip := range e.inSkip {
		if skip {
			continue
		}
		data[i] = vals[k]
		k++
	}
	return data, nil
}

// hasNames reports whether any parameter has a name for Named.
func (e *Endpoint) hasNames() bool {
	for _, p := range e.info.Parameters {
		if p.Name != "" {
			return true
		}
	}
	return len(e.info.Parameters) == 0
}

func (e *Endpoint) paramNames() []string {
	names := make([]string, len(e.info.Parameters))
	for i, p := range e.info.Parameters {
		names[i] = p.displayName()
	}
	return names
}

// paramList renders " (a, b, c)" for error messages.
func paramList(params []Parameter) string {
	if len(params) == 0 {
		return ""
	}
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.displayName()
		if p.HasDefault {
			names[i] += "?"
		}
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
