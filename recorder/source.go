package recorder

import (
	"net/url"
	"strings"
	"time"
)

// This file is the vocabulary between the capture core and the sources of
// network events. The core (capture.go) turns these events into calls; it
// knows nothing of how they arrive. A source watches the page's HTTP traffic
// somewhere and hands each event to the core's handle method:
//
//   - cdp.go: the tab of a Chromium that chromedp drives, and the frames
//     of other sites its page embeds (each a target of its own);
//   - relay.go: the Network events gradiorec's browser extension relays
//     from a tab of the user's own browser (docs/extension-protocol.md);
//   - har.go: a HAR file (every event of an entry at once, at the times
//     the entry gives; the whole body of an event stream as one
//     dataReceived).
//
// Adding a source is a new file that produces these events. Its rules:
//
//  1. Events of one request arrive in order: requestSent, responseReceived,
//     any dataReceived, then loadingFinished or loadingFailed. Events of
//     different requests may interleave in any order; the core copes with a
//     queue message that arrives before the join response naming its event.
//  2. Only requests for which wanted(method, url) is true need to be sent;
//     the others are ignored anyway.
//  3. requestSent carries the whole request body (for an upload: the
//     multipart body with the file bytes). A source that cannot get it sends
//     a nil body; the core then fetches uploaded files back from the server.
//  4. A text/event-stream response (the queue's /queue/data stream) is
//     delivered as dataReceived chunks, split anywhere, as they arrive; a
//     source that cannot stream may instead put the whole body in
//     loadingFinished. Other responses carry their body in loadingFinished.
//  5. Times are wall-clock times of the page's traffic.

// requestID identifies one HTTP request within a source.
type requestID string

// netEvent is one thing that happened to an HTTP request of the page.
type netEvent interface {
	request() requestID
}

// requestSent: the page sent a request.
type requestSent struct {
	ID      requestID
	Time    time.Time
	Method  string
	URL     string
	Headers map[string]string // header names as the source has them
	Body    []byte            // nil when there is none or the source has none
}

// responseReceived: the response's status and headers arrived.
type responseReceived struct {
	ID       requestID
	Time     time.Time
	Status   int
	Headers  map[string]string
	MIMEType string // without parameters, e.g. "text/event-stream"
}

// dataReceived: a chunk of a streamed response body arrived.
type dataReceived struct {
	ID   requestID
	Time time.Time
	Data []byte
}

// loadingFinished: the response ended. Body is the whole body of a response
// that was not delivered as dataReceived chunks (nil otherwise).
type loadingFinished struct {
	ID   requestID
	Time time.Time
	Body []byte
}

// loadingFailed: the request failed or the page aborted it.
type loadingFailed struct {
	ID       requestID
	Time     time.Time
	Error    string // e.g. "net::ERR_ABORTED"
	Canceled bool   // the page canceled it (navigation, AbortController)
}

func (e requestSent) request() requestID      { return e.ID }
func (e responseReceived) request() requestID { return e.ID }
func (e dataReceived) request() requestID     { return e.ID }
func (e loadingFinished) request() requestID  { return e.ID }
func (e loadingFailed) request() requestID    { return e.ID }

// requestKind is what a request is to the core.
type requestKind int

const (
	kindOther  requestKind = iota
	kindJoin               // POST …/queue/join: a queued call
	kindData               // GET …/queue/data?session_hash=…: the session's event stream
	kindRun                // POST …/run/<name>: a call outside the queue
	kindUpload             // POST …/upload: files
	kindCancel             // POST …/cancel: cancel one queued event
)

// classify tells what a request is, by method and path. The path may carry a
// mount path and the /gradio_api prefix (absent in Gradio 4).
func classify(method, rawURL string) requestKind {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return kindOther
	}
	p := strings.TrimSuffix(u.Path, "/")
	switch method {
	case "POST":
		switch {
		case strings.HasSuffix(p, "/queue/join"):
			return kindJoin
		case strings.HasSuffix(p, "/upload"):
			return kindUpload
		case strings.HasSuffix(p, "/cancel"):
			return kindCancel
		}
		if i := strings.LastIndex(p, "/run/"); i >= 0 && !strings.Contains(p[i+len("/run/"):], "/") {
			return kindRun
		}
	case "GET":
		if strings.HasSuffix(p, "/queue/data") {
			return kindData
		}
	}
	return kindOther
}

// wanted reports whether the core uses a request; sources may drop the rest.
func wanted(method, rawURL string) bool { return classify(method, rawURL) != kindOther }
