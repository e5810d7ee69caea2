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
// not needed (and a stream that ends before the recorder asks to stream it
// has none in its events): calls run one at a time, so the last chunk
// before a call completes is the one that completed it.
type wire struct {
	mu     sync.Mutex
	offset float64 // the browser's wall time minus its monotonic time, in seconds; NaN until known
	data   map[network.RequestID]bool
	last   chunk
	seen   bool // last is a chunk not yet taken
}

// chunk is a piece of the event stream.
type chunk struct {
	received time.Time // when Chromium's network stack got it (wall clock, by the browser)
	arrived  time.Time // when its DevTools event reached this process
}

// watchWire starts watching the tab.
func watchWire(tab context.Context) (*wire, error) {
	w := &wire{offset: math.NaN(), data: map[network.RequestID]bool{}}
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
	}
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
