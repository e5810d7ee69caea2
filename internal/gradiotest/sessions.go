package gradiotest

import (
	"fmt"
	"slices"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// Sessions returns a copy of rec whose calls are those of rec's first
// session n times over, as sessions s1 … sn that each start a second after
// the previous one: n users doing the same thing, for tests and benchmarks
// of many sessions. The calls interleave by their start, numbered anew;
// rec's masks, which name calls by number, are left out.
func Sessions(rec *recording.Recording, n int) *recording.Recording {
	out := *rec
	out.Sessions, out.Calls, out.Masks = nil, nil, nil
	var first []recording.Call
	for _, c := range rec.Calls {
		if c.Session == rec.Calls[0].Session {
			first = append(first, c)
		}
	}
	for s := range n {
		id := fmt.Sprintf("s%d", s+1)
		out.Sessions = append(out.Sessions, recording.Session{ID: id, Hash: "session-" + id})
		for _, c := range first {
			c.Session, c.EventID = id, ""
			c.Started = c.Started.Add(time.Duration(s) * time.Second)
			out.Calls = append(out.Calls, c)
		}
	}
	slices.SortStableFunc(out.Calls, func(a, b recording.Call) int { return a.Started.Compare(b.Started) })
	for i := range out.Calls {
		out.Calls[i].ID = i + 1
	}
	return &out
}
