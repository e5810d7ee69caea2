package main

import (
	"context"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// wire watches the Network events of a recorder's tab (the recorder has
// enabled the domain) to tell when Chromium's network stack received a
// chunk of the queue's event stream, by the browser's own clock, and when
// the chunk's DevTools event reached this process. The chunks' bytes are
// not needed to find the chunk that completed a call (and a stream that
// ends before the recorder asks to stream it has none in its events): calls
// run one at a time, so the last chunk before a call completes is the one
// that completed it. A chunk's bytes do tell which stamps it carries: each
// server clock reading (19 digits, time.time_ns()) in them is noted, to find
// the chunk of a generator's update by its stamp (byStamp).
type wire struct {
	mu      sync.Mutex
	offset  float64 // the browser's wall time minus its monotonic time, in seconds; NaN until known
	data    map[network.RequestID]bool
	last    chunk
	seen    bool            // last is a chunk not yet taken
	stamped map[int64]chunk // by the stamps in its bytes, until byStamp takes them
}

// chunk is a piece of the event stream.
type chunk struct {
	received time.Time // when Chromium's network stack got it (wall clock, by the browser)
	arrived  time.Time // when its DevTools event reached this process
}

// watchWire starts watching the tab.
func watchWire(tab context.Context) (*wire, error) {
	w := &wire{offset: math.NaN(), data: map[network.RequestID]bool{}, stamped: map[int64]chunk{}}
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
			w.data[e.RequestID] = true
		}
	case *network.EventDataReceived:
		arrived := time.Now()
		w.mu.Lock()
		defer w.mu.Unlock()
		if e.DataLength == 0 || !w.data[e.RequestID] || math.IsNaN(w.offset) {
			return
		}
		secs := e.Timestamp.Float64() + w.offset
		w.last = chunk{received: time.Unix(0, int64(secs*1e9)), arrived: arrived}
		w.seen = true
		for _, ns := range clockReadings(e.Data) {
			w.stamped[ns] = w.last
		}
	}
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
	c, ok := w.stamped[ns]
	delete(w.stamped, ns)
	return c, ok
}

// take returns the last chunk of the event stream seen since the previous
// take; false when there was none.
func (w *wire) take() (chunk, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.last, w.seen
	w.seen = false
	return c, ok
}
