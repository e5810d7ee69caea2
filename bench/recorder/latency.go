package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
)

// stampAPI returns {"tag": tag, "time_ns": the server's clock just before
// returning}.
const stampAPI = "/stamp"

// stampTimeout bounds the wait for one stamp call.
const stampTimeout = time.Minute

// latencies are what the latency phase measured, one value per call.
type latencies struct {
	// recorder are the delays from the server's stamp to the recorder's
	// CallCompleted event; goClient to the Go client's result for a call
	// of its own.
	recorder, goClient []time.Duration
	// network are the delays from the server's stamp to Chromium's network
	// stack receiving the call's last chunk of the event stream, by the
	// timestamp of its dataReceived event (the browser's clock; sourceCDP
	// only); arrival the delays to that event reaching this process, as a
	// listener of the harness's own saw it, or for sourceExtension to the
	// relayed message reaching this process. The rest of the recorder's
	// delay is the recorder's.
	network, arrival []time.Duration
	// pageRecorded and pagePlain are the times from the click to the page
	// showing the result, in the recorder's tab and in a plain tab.
	pageRecorded, pagePlain []time.Duration
}

// stamps makes warmup+n /stamp calls each way, in turn: in a recorder's tab
// of b (fill the tag, click Stamp), in a plain tab of b, and with the Go
// client. It returns the measures of the last n.
func stamps(ctx context.Context, b *browser, c *gradio.Client, url string, n, warmup int) (latencies, error) {
	var l latencies
	r, wire, err := recordWired(ctx, b, url, false)
	if err != nil {
		return l, err
	}
	defer r.rec.Stop()
	rtab := r.rec.Tab()
	ptab, closePlain, err := b.plainTab(ctx, url)
	if err != nil {
		return l, err
	}
	defer closePlain()

	st := stamper{r: r, wire: wire, rtab: rtab, ptab: ptab, c: c}
	for i := range warmup + n {
		m, err := st.once(ctx, fmt.Sprintf("s%05d", i)) // fixed width: no tag holds another
		if err != nil {
			return l, err
		}
		if i >= warmup {
			l.recorder = append(l.recorder, m.recorder)
			l.goClient = append(l.goClient, m.goClient)
			if !wire.relay {
				l.network = append(l.network, m.network)
			}
			l.arrival = append(l.arrival, m.arrival)
			l.pageRecorded = append(l.pageRecorded, m.pageRecorded)
			l.pagePlain = append(l.pagePlain, m.pagePlain)
		}
	}
	return l, nil
}

// stamper makes one /stamp call each way.
type stamper struct {
	r          *recorded
	wire       *wire
	rtab, ptab context.Context
	c          *gradio.Client
}

// stampMeasures are the measures of one call each way (see latencies).
type stampMeasures struct {
	recorder, goClient, network, arrival, pageRecorded, pagePlain time.Duration
}

func (st *stamper) once(ctx context.Context, tag string) (stampMeasures, error) {
	var m stampMeasures
	ctx, cancel := context.WithTimeout(ctx, stampTimeout)
	defer cancel()
	s := script("stamp", "  - fill: tag\n    value: "+tag, "  - click: Stamp\n    idle: false")

	// In the recorder's tab.
	if err := s[0].Run(st.rtab, nil); err != nil {
		return m, err
	}
	clicked := time.Now()
	if err := s[1].Run(st.rtab, nil); err != nil {
		return m, err
	}
	shown := timeShown(clicked, func() error { return waitShown(st.rtab, tag) })
	done, err := st.r.next(ctx, stampAPI)
	if err != nil {
		return m, err
	}
	sh := <-shown
	if sh.err != nil {
		return m, sh.err
	}
	m.pageRecorded = sh.after
	if len(done.call.Outputs) != 1 {
		return m, fmt.Errorf("the recorded %s call has %d outputs (status %s), want 1", stampAPI, len(done.call.Outputs), done.call.Status)
	}
	out := done.call.Outputs[0]
	if m.recorder, err = stampDelay(out, tag, done.at); err != nil {
		return m, fmt.Errorf("recorded call: %w", err)
	}
	ch, ok := st.wire.take()
	if !ok {
		return m, fmt.Errorf("the call with the tag %q completed with no chunk of the event stream seen", tag)
	}
	if !st.wire.relay {
		// The extension's time of the chunk is not the chunk's when Chromium
		// held it until the extension asked to stream it (see wire).
		m.network, _ = stampDelay(out, tag, ch.received)
	}
	m.arrival, _ = stampDelay(out, tag, ch.arrived)

	// In the plain tab.
	if err := s[0].Run(st.ptab, nil); err != nil {
		return m, err
	}
	clicked = time.Now()
	if err := s[1].Run(st.ptab, nil); err != nil {
		return m, err
	}
	if err := waitShown(st.ptab, tag); err != nil {
		return m, err
	}
	m.pagePlain = time.Since(clicked)

	// With the Go client.
	res, err := st.c.Predict(ctx, stampAPI, tag)
	at := time.Now()
	if err != nil {
		return m, fmt.Errorf("the Go client: %w", err)
	}
	gout, err := json.Marshal(res.Value())
	if err != nil {
		return m, err
	}
	if m.goClient, err = stampDelay(gout, tag, at); err != nil {
		return m, fmt.Errorf("the Go client: %w", err)
	}
	return m, nil
}

// stampDelay reads a /stamp output and returns the time from its time_ns to
// at. The tag must be the one sent.
func stampDelay(out json.RawMessage, tag string, at time.Time) (time.Duration, error) {
	var v struct {
		Tag    string      `json:"tag"`
		TimeNS json.Number `json:"time_ns"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return 0, fmt.Errorf("read the %s output %s: %w", stampAPI, out, err)
	}
	if v.Tag != tag {
		return 0, fmt.Errorf("the %s output has the tag %q, want %q", stampAPI, v.Tag, tag)
	}
	ns, err := clockNS(v.TimeNS)
	if err != nil {
		return 0, fmt.Errorf("the %s output: %w", stampAPI, err)
	}
	return at.Sub(time.Unix(0, ns)), nil
}

// clockNS reads a time_ns value.
func clockNS(n json.Number) (int64, error) {
	ns, err := n.Int64()
	if err != nil {
		// A float, e.g. 1.7e18 written back from a float64: µs precision is kept.
		f, ferr := n.Float64()
		if ferr != nil {
			return 0, fmt.Errorf("time_ns %q is not a number", n)
		}
		ns = int64(f)
	}
	return ns, nil
}
