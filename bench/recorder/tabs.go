package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gradiorec/gradiorec/extension"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// completion is a completed call as WithOnEvent saw it, and when.
type completion struct {
	call recording.Call
	at   time.Time // when the callback got it
}

// recorded is a recorder on the app with a WithOnEvent callback that hands
// completed calls to the harness and counts updates.
type recorded struct {
	rec       *recorder.Recorder
	completed chan completion
	updates   atomic.Int64 // CallUpdated events
	dropped   atomic.Int64 // completed calls the harness had no room for

	// track (set before New) keeps when each generator update arrived.
	track    bool
	mu       sync.Mutex
	seen     map[int]int // updates seen so far, by call ID
	arrivals []arrival
}

// arrival is a generator update as WithOnEvent saw it, and when.
type arrival struct {
	call   int // the call's ID
	index  int // 0 for the call's first update
	update []json.RawMessage
	at     time.Time // when the callback got the CallUpdated event that brought it
}

// maxPending is how many completed calls a recorded tab keeps until the
// harness takes them.
const maxPending = 4096

// record opens url in a new recorder in b, recording through b's source.
func record(ctx context.Context, b *browser, url string) (*recorded, error) {
	return open(ctx, b, url, &recorded{}, nil)
}

// recordWired is record, and it also watches what the recorder's tab
// receives (wire): for sourceCDP the Network events of the tab, for
// sourceExtension the messages the extension relays. With track, the
// recorder also keeps when each generator update arrived (takeArrivals).
func recordWired(ctx context.Context, b *browser, url string, track bool) (*recorded, *wire, error) {
	r := &recorded{track: track, seen: map[int]int{}}
	if b.via != nil {
		w := newWire(true)
		if _, err := open(ctx, b, url, r, w); err != nil {
			return nil, nil, err
		}
		return r, w, nil
	}
	if _, err := open(ctx, b, url, r, nil); err != nil {
		return nil, nil, err
	}
	w, err := watchWire(r.rec.Tab())
	if err != nil {
		r.rec.Stop()
		return nil, nil, err
	}
	return r, w, nil
}

// open starts the recorder of r. In a browser with the extension, the
// extension records the tab (WithVia), and w, when not nil, sees each
// relayed message before the recorder does.
func open(ctx context.Context, b *browser, url string, r *recorded, w *wire) (*recorded, error) {
	r.completed = make(chan completion, maxPending)
	opts := []recorder.Option{recorder.WithBrowser(b.rec), recorder.WithOnEvent(r.onEvent)}
	if b.via != nil {
		opts = append(opts, recorder.WithVia(func(ctx context.Context, target string) (*recorder.Relay, error) {
			relay := recorder.NewRelay()
			var f extension.Feeder = relay
			if w != nil {
				f = wiredFeeder{Feeder: relay, w: w}
			}
			return relay, b.via.Record(ctx, target, f)
		}))
	}
	rec, err := recorder.New(ctx, url, opts...)
	if err != nil {
		return nil, fmt.Errorf("open a recorder (%s): %w", b.source, err)
	}
	r.rec = rec
	return r, nil
}

// onEvent is the WithOnEvent callback. It takes the time first, and never
// blocks (a callback that blocks would hold up Stop).
func (r *recorded) onEvent(ev recorder.Event) {
	at := time.Now()
	switch ev.Kind {
	case recorder.CallUpdated:
		r.updates.Add(1)
		if r.track {
			r.keep(ev.Call, at)
		}
	case recorder.CallCompleted:
		select {
		case r.completed <- completion{call: ev.Call, at: at}:
		default:
			r.dropped.Add(1)
		}
	}
}

// keep notes the updates of call that are new since its last event (one,
// unless the recorder merged some): the event also comes for progress and
// log messages.
func (r *recorded) keep(call recording.Call, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := r.seen[call.ID]; k < len(call.Updates); k++ {
		r.arrivals = append(r.arrivals, arrival{call: call.ID, index: k, update: call.Updates[k], at: at})
	}
	r.seen[call.ID] = max(r.seen[call.ID], len(call.Updates))
}

// takeArrivals returns the updates kept since the last take, in the order
// they arrived.
func (r *recorded) takeArrivals() []arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.arrivals
	r.arrivals = nil
	return a
}

// next waits for the next completed call, which must be of the endpoint api.
func (r *recorded) next(ctx context.Context, api string) (completion, error) {
	select {
	case c := <-r.completed:
		if c.call.APIName != api {
			return c, fmt.Errorf("the recorder completed a call of %q (status %s), want %s", c.call.APIName, c.call.Status, api)
		}
		return c, nil
	case <-ctx.Done():
		return completion{}, fmt.Errorf("no completed call of %s reached the recorder (%d in flight): %w", api, r.rec.InFlight(), ctx.Err())
	}
}

// stop waits until the app is idle and stops the recorder.
func (r *recorded) stop(ctx context.Context) (*recording.Recording, error) {
	werr := r.rec.WaitIdle(ctx)
	rec, err := r.rec.Stop()
	if err == nil && werr != nil {
		err = werr
	}
	return rec, err
}

// script parses steps written in the steps file's YAML.
func script(name string, lines ...string) steps.Script {
	s, err := steps.Parse(name, []byte("steps:\n"+strings.Join(lines, "\n")+"\n"))
	if err != nil {
		panic(err) // the harness's own steps: a bug
	}
	return s
}

// sessionSteps is the session of the overhead phase: n times, fill the
// "text" box with "call <i>" and click Echo, then wait (the click's wait
// for idle) until the answer shows.
func sessionSteps(n int) steps.Script {
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf("  - fill: text\n    value: \"call %d\"\n  - click: Echo", i))
	}
	return script("session", lines...)
}
