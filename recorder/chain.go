package recorder

import (
	"slices"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// expectation is a call the page will make because a chain (.then,
// .success, .failure) continues after a call that ended.
type expectation struct {
	fn      int
	session string
	until   time.Time
}

// defaultChainWait bounds how long the core waits for an expected call of a
// chain to start (the page may, for instance, skip it).
const defaultChainWait = 5 * time.Second

// expectAfter notes the calls a chain starts after a call of dependency id
// (parent, or a listener chained to it) ended with status. A chained
// listener without a backend function runs in the page only; the chain goes
// on after it. The next call may have started before the core saw parent
// end (their events may overtake each other): a call of the session that
// started after parent and is not yet claimed by a chain counts.
func (c *capture) expectAfter(id int, status string, parent *callState) {
	if status != recording.Completed && status != recording.Failed {
		return // cancelled or cut short: the chain stops
	}
	for _, next := range c.app.then[id] {
		d := c.app.deps[next]
		if d == nil || d.TriggerOnlyOnSuccess && status != recording.Completed || d.TriggerOnlyOnFailure && status != recording.Failed {
			continue
		}
		if !d.BackendFn {
			c.expectAfter(next, recording.Completed, parent)
			continue
		}
		if i := slices.IndexFunc(c.calls, func(cs *callState) bool {
			return !cs.chained && cs.call.FnIndex == next && cs.hash == parent.hash && cs.call.ID > parent.call.ID
		}); i >= 0 {
			c.calls[i].chained = true
			continue
		}
		c.expected = append(c.expected, expectation{fn: next, session: parent.hash, until: time.Now().Add(c.chainWait)})
	}
}
