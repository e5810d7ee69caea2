package recording

import (
	"cmp"
	"slices"
)

// Endpoint returns the endpoint with this fn_index (the dependency id), or
// nil. It searches; it never indexes Endpoints by fn_index.
func (r *Recording) Endpoint(fnIndex int) *Endpoint { return r.App.Endpoint(fnIndex) }

// Endpoint returns the endpoint with this fn_index, or nil.
func (a *App) Endpoint(fnIndex int) *Endpoint {
	for i := range a.Endpoints {
		if a.Endpoints[i].FnIndex == fnIndex {
			return &a.Endpoints[i]
		}
	}
	return nil
}

// Call returns the call with this ID, or nil. Calls are in ascending ID
// order in a valid recording, where it searches by halves; it looks at
// every call of one that is not.
func (r *Recording) Call(id int) *Call {
	if i, ok := slices.BinarySearchFunc(r.Calls, id, func(c Call, id int) int { return cmp.Compare(c.ID, id) }); ok {
		return &r.Calls[i]
	}
	for i := range r.Calls {
		if r.Calls[i].ID == id {
			return &r.Calls[i]
		}
	}
	return nil
}

// SessionCalls returns the calls of one session (by Session.ID), in order.
// Generated code replays them through one client, so they share gr.State.
func (r *Recording) SessionCalls(sessionID string) []*Call {
	var calls []*Call
	for i := range r.Calls {
		if r.Calls[i].Session == sessionID {
			calls = append(calls, &r.Calls[i])
		}
	}
	return calls
}
