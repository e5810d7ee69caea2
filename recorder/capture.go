package recorder

import (
	"context"
	"io"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// fetchFunc downloads url into w and returns the response's MIME type. The
// capture core uses it for output files and for uploads whose bytes the
// source could not see.
type fetchFunc func(ctx context.Context, url string, w io.Writer) (mimeType string, err error)

// capture is the core of the recorder: it turns the network events of the
// page (source.go) into the calls of a recording. It does not know where the
// events come from and never blocks on I/O while holding its lock: file
// downloads run in goroutines of their own and report back.
type capture struct {
	mu      sync.Mutex
	app     *appModel  // nil until setApp; events wait in backlog until then
	backlog []netEvent // events that arrived before the app was known
	hosts   []string   // the hosts whose requests count; empty: any

	reqs     map[requestID]*request
	calls    []*callState
	byEvent  map[string]*callState   // by queue event id
	orphans  map[string][]orphan     // queue messages for event ids not known yet
	canceled map[string]bool         // event ids canceled before their join answered
	sessions []recording.Session     // in order of first call
	sessByID map[string]string       // session_hash → Session.ID
	files    *fixtures               // fixture files and their bytes
	fetching map[string][]*callState // server path → calls waiting for its download

	fetch       fetchFunc
	maxFileSize int64        // output files above this are hashed, not stored
	emit        func(notice) // must not block
	logf        func(format string, args ...any)
	ctx         context.Context
	cancel      context.CancelFunc
	downloads   sync.WaitGroup

	expected  []expectation // calls a chain will start next
	chainWait time.Duration // how long an expected call may take to start
	inflight  int           // calls not yet settled
	uploading int           // uploads not yet answered
	last      time.Time
	changed   chan struct{} // closed and replaced whenever the idle state may change
	stopped   bool
}

// request is one HTTP request the core follows.
type request struct {
	kind    requestKind
	sent    requestSent
	status  int
	call    *callState   // kindJoin, kindRun
	session string       // kindData: the session hash of the stream
	parser  sseParser    // kindData
	chunks  bool         // kindData: a dataReceived arrived
	closed  bool         // kindData: the server sent close_stream
	parts   []uploadPart // kindUpload
}

// orphan is a queue message that arrived before the join answer naming its
// event id.
type orphan struct {
	msg     queueMessage
	time    time.Time
	session string
}

// callState is a call while it is captured.
type callState struct {
	call      recording.Call
	dep       *dependency // nil for an fn_index the config does not have
	hash      string      // the session hash
	gen       []any       // a generator's full output values, every slot
	generated bool        // a process_generating was seen
	cancel    bool        // the page asked to cancel it
	eventless bool        // joined, but the source could not read the event id
	chained   bool        // it is the expected next call of a chain
	finished  bool        // the server has said its last word
	settled   bool        // finished and its output files fetched: reported
	waiting   int         // downloads it waits for
	last      time.Time   // the time of its last message
}

// notice is what the core reports, in order, as it happens: a call event,
// a new session, a new endpoint (made by gr.render), or a new fixture file
// (data nil when not stored). Sessions, endpoints and files come before the
// call events that refer to them.
type notice struct {
	event    *Event
	session  *recording.Session
	endpoint *recording.Endpoint // one the page made at run time (gr.render)
	file     *recording.File
	data     []byte
}

// newCapture returns a core that downloads files with fetch (nil: never)
// and reports to emit (nil: nobody), which must not block.
func newCapture(fetch fetchFunc, emit func(notice), maxFileSize int64) *capture {
	ctx, cancel := context.WithCancel(context.Background())
	if emit == nil {
		emit = func(notice) {}
	}
	c := &capture{
		reqs:        map[requestID]*request{},
		byEvent:     map[string]*callState{},
		orphans:     map[string][]orphan{},
		canceled:    map[string]bool{},
		sessByID:    map[string]string{},
		files:       newFixtures(),
		fetching:    map[string][]*callState{},
		fetch:       fetch,
		maxFileSize: maxFileSize,
		emit:        emit,
		ctx:         ctx,
		cancel:      cancel,
		last:        time.Now(),
		changed:     make(chan struct{}),
		chainWait:   defaultChainWait,
		logf:        func(string, ...any) {},
	}
	c.files.onAdd = func(data []byte, f recording.File) { c.emit(notice{file: &f, data: data}) }
	return c
}

// emitEvent reports a call event with a copy of the call.
func (c *capture) emitEvent(kind EventKind, call *recording.Call) {
	c.emit(notice{event: &Event{Kind: kind, Call: copyCall(call)}})
}

// setApp tells the core what the app is, and processes the events that
// waited for it. hosts limits the requests that count to those hosts.
func (c *capture) setApp(m *appModel, hosts ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.app = m
	c.hosts = hosts
	backlog := c.backlog
	c.backlog = nil
	for _, ev := range backlog {
		c.process(ev)
	}
	c.touch()
}

// handle takes one network event from a source.
func (c *capture) handle(ev netEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	if c.app == nil {
		c.backlog = append(c.backlog, ev)
		return
	}
	c.process(ev)
}

func (c *capture) process(ev netEvent) {
	switch e := ev.(type) {
	case requestSent:
		c.requestSent(e)
	case responseReceived:
		if r := c.reqs[e.ID]; r != nil {
			r.status = e.Status
		}
	case dataReceived:
		if r := c.reqs[e.ID]; r != nil && r.kind == kindData {
			r.chunks = true
			c.feedStream(r, e.Data, e.Time)
		}
	case loadingFinished:
		r := c.reqs[e.ID]
		if r == nil {
			return
		}
		delete(c.reqs, e.ID)
		switch r.kind {
		case kindJoin:
			c.joinAnswered(r, e.Body, e.Time)
		case kindRun:
			c.runAnswered(r, e.Body, e.Time)
		case kindData:
			if len(e.Body) > 0 && !r.chunks {
				c.feedStream(r, e.Body, e.Time)
			}
			c.streamEnded(r, "", false, e.Time)
		case kindUpload:
			c.uploadAnswered(r, e.Body)
		}
	case loadingFailed:
		r := c.reqs[e.ID]
		if r == nil {
			return
		}
		delete(c.reqs, e.ID)
		switch r.kind {
		case kindJoin, kindRun:
			if r.call != nil && !r.call.finished {
				if e.Canceled {
					c.finish(r.call, recording.Incomplete, nil, e.Time)
				} else {
					c.finish(r.call, recording.Failed, &recording.Error{Message: "request failed: " + e.Error}, e.Time)
				}
			}
		case kindData:
			c.streamEnded(r, e.Error, e.Canceled, e.Time)
		case kindUpload:
			c.uploading--
			c.touch()
		}
	}
}

// requestSent starts following a request the core cares about.
func (c *capture) requestSent(e requestSent) {
	kind := classify(e.Method, e.URL)
	if kind == kindOther || !c.ourHost(e.URL) {
		return
	}
	r := &request{kind: kind, sent: e}
	switch kind {
	case kindJoin, kindRun:
		if !c.startCall(r) {
			return
		}
	case kindData:
		u, _ := url.Parse(e.URL)
		r.session = u.Query().Get("session_hash")
	case kindUpload:
		if e.Body != nil {
			// A body that does not parse leaves no parts: the files are
			// then fetched back from the server.
			r.parts, _ = parseUpload(header(e.Headers, "Content-Type"), e.Body)
		}
		c.uploading++
		c.touch()
	case kindCancel:
		c.cancelSent(e.Body)
		return
	}
	c.reqs[e.ID] = r
}

func (c *capture) ourHost(raw string) bool {
	if len(c.hosts) == 0 {
		return true
	}
	u, err := url.Parse(raw)
	return err == nil && slices.Contains(c.hosts, u.Host)
}

// touch notes a change of the idle state.
func (c *capture) touch() {
	c.last = time.Now()
	close(c.changed)
	c.changed = make(chan struct{})
}

// idle returns whether nothing is in flight or expected, when that last
// changed, a channel closed at the next change, and when the first expected
// call stops being waited for (zero when none is expected).
func (c *capture) idle() (idle bool, since time.Time, changed <-chan struct{}, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	c.expected = slices.DeleteFunc(c.expected, func(e expectation) bool {
		if now.After(e.until) {
			c.logf("recorder: the chained call of fn_index %d did not start within %s", e.fn, c.chainWait)
			return true
		}
		return false
	})
	for _, e := range c.expected {
		if expires.IsZero() || e.until.Before(expires) {
			expires = e.until
		}
	}
	return c.inflight == 0 && c.uploading == 0 && len(c.fetching) == 0 && len(c.expected) == 0, c.last, c.changed, expires
}

// appSnapshot returns the app as known (zero before setApp).
func (c *capture) appSnapshot() recording.App {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.app == nil {
		return recording.App{}
	}
	return c.app.app
}

// secrets returns the secrets a call's inputs hold: the values typed into
// the app's password boxes.
func (c *capture) secrets(call *recording.Call) []recording.Secret {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.app == nil {
		return nil
	}
	return c.app.secrets(call)
}

// inFlight returns the number of calls not yet settled.
func (c *capture) inFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inflight
}

// stop ends capture: it waits up to grace for running downloads, then marks
// the calls still running incomplete (or cancelled, when the page asked).
func (c *capture) stop(grace time.Duration) {
	c.mu.Lock()
	c.stopped = true // no new events, so no new downloads
	c.mu.Unlock()
	done := make(chan struct{})
	go func() { c.downloads.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		c.cancel()
		<-done
	}
	c.cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cs := range c.calls {
		if cs.settled {
			continue
		}
		if !cs.finished {
			status := recording.Incomplete
			if cs.cancel {
				status = recording.Cancelled
			}
			c.finish(cs, status, nil, cs.last)
		}
		cs.waiting = 0
		c.settle(cs)
	}
}

// recording returns the recording as it stands (calls in flight included,
// as they are). It holds the bytes of the stored fixtures, for
// recording.Save.
func (c *capture) recording() *recording.Recording {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := *c.files.rec // shares the held fixture bytes
	rec.Format = recording.Format
	rec.Sessions = slices.Clone(c.sessions)
	rec.Calls = make([]recording.Call, 0, len(c.calls))
	rec.Files = slices.Clone(c.files.rec.Files)
	if rec.Sessions == nil {
		rec.Sessions = []recording.Session{}
	}
	if c.app != nil {
		rec.App = c.app.app
	}
	for _, cs := range c.calls {
		rec.Calls = append(rec.Calls, copyCall(&cs.call))
	}
	return &rec
}
