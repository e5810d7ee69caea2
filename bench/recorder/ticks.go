package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/steps"
)

// ticksAPI yields {"i": i, "time_ns": the server's clock just before the
// yield} for i = 0 .. n-1, 20 ms apart (testdata/ticks.py).
const ticksAPI = "/ticks"

// ticksPerCall is n of every /ticks call: half a second of updates.
const ticksPerCall = 25

// streamed are what the latency phase measured on open event streams, one
// value per update. An update counts when the server stamped it after the
// call's first update had reached the receiver (the recorder's callback or
// the Go client): the stream was open then, so the delay is the stream's
// and not the wait for the stream to open, which /stamp measures. Whether
// an update counts does not depend on its own delay.
type streamed struct {
	// recorder are the delays from the stamp to the CallUpdated event that
	// brought the update to the WithOnEvent callback; goClient to the Go
	// client's Update.Time (when it had read and decoded the message), on
	// calls of its own.
	recorder, goClient []time.Duration
	// wired are those of the recorder's updates whose chunk of the event
	// stream the harness saw in the tab's Network events, by the stamp in
	// its bytes.
	wired []wiredTick
	// calls are the /ticks calls made each way, not counting the warm-up.
	calls int
}

// wiredTick is one update's path through the browser, each a delay from
// its stamp: to Chromium's network stack receiving the chunk that carried
// it (by the browser's clock; for sourceExtension, to the extension's
// service worker getting its DevTools event, by its clock in milliseconds),
// to that chunk's DevTools event (for sourceExtension, the relayed message)
// reaching this process, and to the recorder's CallUpdated event.
type wiredTick struct {
	network, arrival, recorder time.Duration
	k                          int // its index in streamed.recorder
}

// ticker makes /ticks calls in a recorder's tab and with the Go client.
type ticker struct {
	r     *recorded
	wire  *wire
	tab   context.Context
	click steps.Script
	c     *gradio.Client
}

// ticks makes /ticks calls of ticksPerCall updates, in a recorder's tab of b
// (set n, click Ticks) and with the Go client in turn, one warm-up call
// each way and then until each way has n updates that count (see
// streamed), and returns the first n of each.
func ticks(ctx context.Context, b *browser, c *gradio.Client, url string, n int) (streamed, error) {
	var s streamed
	r, w, err := recordWired(ctx, b, url, true)
	if err != nil {
		return s, err
	}
	defer r.rec.Stop()
	tab := r.rec.Tab()
	if err := script("ticks", fmt.Sprintf("  - set: n\n    value: %d", ticksPerCall)).Run(tab, r.rec.WaitIdle); err != nil {
		return s, err
	}
	t := ticker{r: r, wire: w, tab: tab, click: script("ticks", "  - click: Ticks\n    idle: false"), c: c}

	// Each call should give some 20 updates that count; one that gives none
	// (a stream that opens only after the call's last update) repeated
	// this often means the measure cannot be made.
	maxCalls := 4*(n/ticksPerCall+1) + 1
	for i := 0; len(s.recorder) < n || len(s.goClient) < n; i++ {
		if i > maxCalls {
			return s, fmt.Errorf("%d /ticks calls each way gave only %d (recorder) and %d (Go client) of %d updates on an open stream; is the machine overloaded?",
				i-1, len(s.recorder), len(s.goClient), n)
		}
		warm := i == 0
		err := alternate(i,
			func() error {
				if !warm && len(s.recorder) >= n {
					return nil
				}
				ds, wired, err := t.recorded(ctx)
				if !warm {
					for _, w := range wired {
						w.k += len(s.recorder)
						s.wired = append(s.wired, w)
					}
					s.recorder = append(s.recorder, ds...)
				}
				return err
			},
			func() error {
				if !warm && len(s.goClient) >= n {
					return nil
				}
				ds, err := t.goClient(ctx)
				if !warm {
					s.goClient = append(s.goClient, ds...)
				}
				return err
			},
		)
		if err != nil {
			return s, err
		}
		if !warm {
			s.calls++
		}
	}
	s.recorder, s.goClient = s.recorder[:n], s.goClient[:n]
	s.wired = slices.DeleteFunc(s.wired, func(w wiredTick) bool { return w.k >= n })
	return s, nil
}

// recorded clicks Ticks in the recorder's tab, waits for the completed
// call and returns the delays of the updates that count, and their paths
// through the browser where the harness saw them.
func (t *ticker) recorded(ctx context.Context) ([]time.Duration, []wiredTick, error) {
	ctx, cancel := context.WithTimeout(ctx, stampTimeout)
	defer cancel()
	t.r.takeArrivals()
	if err := t.click.Run(t.tab, nil); err != nil {
		return nil, nil, err
	}
	done, err := t.r.next(ctx, ticksAPI)
	if err != nil {
		return nil, nil, err
	}
	// The events come in order: every update is in before the completed call.
	var ds []time.Duration
	var wired []wiredTick
	var open time.Time
	k := 0
	for _, a := range t.r.takeArrivals() {
		if a.call != done.call.ID {
			continue
		}
		if len(a.update) != 1 {
			return nil, nil, fmt.Errorf("recorded update %d has %d outputs, want 1", a.index+1, len(a.update))
		}
		i, stamp, err := readTick(a.update[0])
		if err != nil {
			return nil, nil, fmt.Errorf("recorded update %d: %w", a.index+1, err)
		}
		if a.index != k || i != k {
			return nil, nil, fmt.Errorf("recorded update %d is tick %d, want %d (updates lost, repeated or out of order)", a.index+1, i, k)
		}
		k++
		ch, seen := t.wire.byStamp(stamp.UnixNano())
		if i == 0 {
			open = a.at
			continue
		}
		if !stamp.After(open) {
			continue
		}
		d := a.at.Sub(stamp)
		if seen {
			wired = append(wired, wiredTick{network: ch.received.Sub(stamp), arrival: ch.arrived.Sub(stamp), recorder: d, k: len(ds)})
		}
		ds = append(ds, d)
	}
	if k != ticksPerCall {
		return nil, nil, fmt.Errorf("WithOnEvent got %d updates of the recorded %s call (status %s), want %d", k, ticksAPI, done.call.Status, ticksPerCall)
	}
	return ds, wired, nil
}

// goClient makes the call with the Go client and returns the delays of the
// updates that count.
func (t *ticker) goClient(ctx context.Context) ([]time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, stampTimeout)
	defer cancel()
	job, err := t.c.Submit(ctx, ticksAPI, ticksPerCall)
	if err != nil {
		return nil, fmt.Errorf("the Go client: %w", err)
	}
	var ds []time.Duration
	var open time.Time
	k := 0
	for u := range job.Updates() {
		if u.Kind != gradio.UpdateOutput {
			continue
		}
		if len(u.Output) != 1 {
			return nil, fmt.Errorf("the Go client's update %d has %d outputs, want 1", k+1, len(u.Output))
		}
		raw, err := json.Marshal(u.Output[0])
		if err != nil {
			return nil, err
		}
		i, stamp, err := readTick(raw)
		if err != nil {
			return nil, fmt.Errorf("the Go client's update %d: %w", k+1, err)
		}
		if i != k {
			return nil, fmt.Errorf("the Go client's update %d is tick %d, want %d", k+1, i, k)
		}
		k++
		if i == 0 {
			open = u.Time
		} else if stamp.After(open) {
			ds = append(ds, u.Time.Sub(stamp))
		}
	}
	if _, err := job.Result(ctx); err != nil {
		return nil, fmt.Errorf("the Go client: %w", err)
	}
	if k != ticksPerCall {
		return nil, fmt.Errorf("the Go client got %d updates of %s, want %d", k, ticksAPI, ticksPerCall)
	}
	return ds, nil
}

// readTick reads a /ticks update: its index and its stamp.
func readTick(out json.RawMessage) (int, time.Time, error) {
	var v struct {
		I      *int        `json:"i"`
		TimeNS json.Number `json:"time_ns"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || v.I == nil {
		return 0, time.Time{}, fmt.Errorf("read the %s update %s: not {\"i\": …, \"time_ns\": …} (%v)", ticksAPI, out, err)
	}
	ns, err := clockNS(v.TimeNS)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("the %s update %s: %w", ticksAPI, out, err)
	}
	return *v.I, time.Unix(0, ns), nil
}
