package recorder

import "github.com/gradiorec/gradiorec/recording"

// EventKind says what happened to a call.
type EventKind string

// The kinds of Event.
const (
	CallStarted   EventKind = "started"   // the page sent the call
	CallUpdated   EventKind = "updated"   // a generator update, a progress or a log message arrived
	CallCompleted EventKind = "completed" // the call ended (see Call.Status) and its files are in
)

// Event tells a live view about a call. Call is a copy of the call as it
// stands, safe to keep: for CallUpdated its Updates, Progress and Log end
// with what just arrived; for CallCompleted it is final.
type Event struct {
	Kind EventKind
	Call recording.Call
}
