package main

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/extension"
)

// wire watches what a recorder's tab receives of the queue's event stream,
// to tell when a chunk of it was received and when it reached this process.
// For sourceCDP it watches the tab's Network events (the recorder has
// enabled the domain): a chunk's received time is when Chromium's network
// stack got it, by the browser's own clock, and its arrival when its
// DevTools event reached this process. For sourceExtension it watches the
// messages the extension relays (wiredFeeder): received is the message's
// ts, when the extension's service worker got the chunk's DevTools event
// (its clock, in milliseconds), and arrival when the message reached this
// process.
//
// The chunks' bytes are not needed to find the chunk that completed a call
// (and a stream that ends before the recorder asks to stream it has none in
// its events): calls run one at a time, so the last chunk before a call
// completes is the one that completed it. A chunk's bytes do tell which
// stamps it carries: each server clock reading (19 digits, time.time_ns())
// in them is noted, to find the chunk of a generator's update by its stamp
// (byStamp).
type wire struct {
	mu      sync.Mutex
	relay   bool    // the messages of the extension, not DevTools events
	offset  float64 // the browser's wall time minus its monotonic time, in seconds; NaN until known (DevTools)
	data    map[string]bool
	sentTS  map[string][2]float64 // the ts of each request's requestSent and responseReceived (relay)
	queue   []relayed             // relayed messages not yet read (relay)
	last    chunk
	seen    bool            // last is a chunk not yet taken
	stamped map[int64]chunk // by the stamps in its bytes, until byStamp takes them
}

// chunk is a piece of the event stream.
type chunk struct {
	received time.Time // when Chromium's network stack (DevTools) or the extension (relay) got it
	arrived  time.Time // when its DevTools event or relayed message reached this process
}

// relayed is a message of the extension as it reached this process.
type relayed struct {
	raw []byte
	at  time.Time
}

func newWire(relay bool) *wire {
	return &wire{relay: relay, offset: math.NaN(), data: map[string]bool{}, sentTS: map[string][2]float64{}, stamped: map[int64]chunk{}}
}

// watchWire starts watching the Network events of a recorder's tab
// (sourceCDP).
func watchWire(tab context.Context) (*wire, error) {
	w := newWire(false)
	err := chromedp.Listen(tab, w.listen)
	return w, err
}

// listen runs in chromedp's read loop: it only takes notes.
func (w *wire) listen(ev any) {
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		w.mu.Lock()
		defer w.mu.Unlock()
		// Each request carries both clocks of the browser.
		w.offset = e.WallTime.Float64() - e.Timestamp.Float64()
		if e.Request != nil && strings.Contains(e.Request.URL, "/queue/data") {
			w.data[string(e.RequestID)] = true
		}
	case *network.EventDataReceived:
		arrived := time.Now()
		w.mu.Lock()
		defer w.mu.Unlock()
		if e.DataLength == 0 || !w.data[string(e.RequestID)] || math.IsNaN(w.offset) {
			return
		}
		secs := e.Timestamp.Float64() + w.offset
		w.note(chunk{received: time.Unix(0, int64(secs*1e9)), arrived: arrived}, e.Data, true)
	}
}

// note keeps c as the last chunk and, when its received time is the
// chunk's, by the stamps in data.
func (w *wire) note(c chunk, data []byte, stamps bool) {
	w.last, w.seen = c, true
	if !stamps {
		return
	}
	for _, ns := range clockReadings(data) {
		w.stamped[ns] = c
	}
}

// wiredFeeder hands each message of the extension to the recorder's relay
// after the wire has noted when it arrived: a time and an append, so that
// the recorder gets it as it would without the wire.
type wiredFeeder struct {
	extension.Feeder
	w *wire
}

func (f wiredFeeder) Feed(raw []byte) error {
	f.w.relayed(raw, time.Now())
	return f.Feeder.Feed(raw)
}

// relayed queues a relayed message; byStamp and take read the queue.
func (w *wire) relayed(raw []byte, at time.Time) {
	w.mu.Lock()
	w.queue = append(w.queue, relayed{raw: raw, at: at})
	w.mu.Unlock()
}

// readQueue reads the relayed messages queued so far, in order; w.mu is
// held. The data of a stream that Chromium had buffered before the
// extension asked to stream it comes in a dataReceived message with the ts
// of the request's requestSent or responseReceived (lib/capture.js), and a
// stream that ended before the extension could ask to stream it comes whole
// in the body of its loadingFinished message: their received time is not
// the chunk's, so they are kept as the last chunk but not by their stamps.
func (w *wire) readQueue() {
	for _, m := range w.queue {
		var v struct {
			T    string  `json:"t"`
			ID   string  `json:"id"`
			TS   float64 `json:"ts"`
			URL  string  `json:"url"`
			Data []byte  `json:"data"`
			Body []byte  `json:"body"`
		}
		if json.Unmarshal(m.raw, &v) != nil {
			continue
		}
		switch v.T {
		case "requestSent":
			if strings.Contains(v.URL, "/queue/data") {
				w.data[v.ID] = true
				w.sentTS[v.ID] = [2]float64{v.TS, math.NaN()}
			}
		case "responseReceived":
			if ts, ok := w.sentTS[v.ID]; ok {
				w.sentTS[v.ID] = [2]float64{ts[0], v.TS}
			}
		case "dataReceived":
			if len(v.Data) == 0 || !w.data[v.ID] {
				continue
			}
			ts := w.sentTS[v.ID]
			buffered := v.TS == ts[0] || v.TS == ts[1]
			w.note(chunk{received: msTime(v.TS), arrived: m.at}, v.Data, !buffered)
		case "loadingFinished":
			// A stream that ended before the extension could ask to stream
			// it comes whole, with the request's end: the last chunk, but
			// its ts is not a chunk's reception.
			if len(v.Body) > 0 && w.data[v.ID] {
				w.note(chunk{received: msTime(v.TS), arrived: m.at}, v.Body, false)
			}
		}
	}
	w.queue = nil
}

// msTime is a time in milliseconds since the epoch.
func msTime(ms float64) time.Time {
	whole, frac := math.Modf(ms)
	return time.UnixMilli(int64(whole)).Add(time.Duration(frac * float64(time.Millisecond)))
}

// clockReadings returns the numbers of exactly 19 digits in b: nanoseconds
// since 1970 until the year 2286.
func clockReadings(b []byte) []int64 {
	var out []int64
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j == i {
			i++
			continue
		}
		if j-i == 19 {
			var ns int64
			for _, c := range b[i:j] {
				ns = ns*10 + int64(c-'0')
			}
			out = append(out, ns)
		}
		i = j
	}
	return out
}

// byStamp returns the chunk whose bytes held the stamp ns, and forgets it;
// false when none did (the bytes came another way, e.g. with the answer to
// the recorder's request to stream the body).
func (w *wire) byStamp(ns int64) (chunk, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.readQueue()
	c, ok := w.stamped[ns]
	delete(w.stamped, ns)
	return c, ok
}

// take returns the last chunk of the event stream seen since the previous
// take; false when there was none.
func (w *wire) take() (chunk, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.readQueue()
	c, ok := w.last, w.seen
	w.seen = false
	return c, ok
}
