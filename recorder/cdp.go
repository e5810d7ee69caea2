package recorder

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// cdpSource is the source (source.go) that watches the Network domain of a
// chromedp tab, and of the frames of other sites its page embeds (each such
// frame runs in a target of its own: a Space's page embeds its app from
// *.hf.space). Its listeners only queue the events; one goroutine turns
// them into the core's events, and the DevTools commands they need (the
// request body of an upload, streaming the queue's event stream, a response
// body) run in goroutines of their own whose results come back through the
// same queue. Events of a request wait while a command for that request
// runs, so they reach the core in order.
type cdpSource struct {
	tab  context.Context // the tab, for commands; set before run starts
	sink func(netEvent)
	logf func(format string, args ...any)
	q    *queue[cdpItem]
	reqs map[string]*cdpRequest // by cdpTarget.prefix + request id; owned by run
	done chan struct{}

	mu     sync.Mutex
	frames map[target.ID]*cdpTarget // the embedded frames attached to
	closed bool
}

// cdpTarget is a target whose Network domain the source watches: the tab,
// or a frame of another site in it.
type cdpTarget struct {
	ctx    context.Context // for commands
	cancel context.CancelFunc
	prefix string // of its requests' ids: "" for the tab, "<frame id>:" for a frame
	url    string
}

// cdpItem is a DevTools event, the target it came from and when it
// arrived, or the result of a command (done) for request key.
type cdpItem struct {
	ev   any
	at   time.Time
	from *cdpTarget
	key  string
	done func(r *cdpRequest)
}

// cdpRequest is a request the source follows.
type cdpRequest struct {
	from      *cdpTarget // where its commands go
	nid       network.RequestID
	busy      bool      // a command for it is running; its events wait
	waiting   []cdpItem // events that arrived meanwhile
	kind      requestKind
	url       string
	streaming bool   // its body arrives as dataReceived chunks
	stream    bool   // the response is an event stream (else body collects a streamed body)
	body      []byte // a streamed body that is not an event stream
}

func newCDPSource(sink func(netEvent), logf func(string, ...any)) *cdpSource {
	return &cdpSource{
		sink: sink, logf: logf, q: newQueue[cdpItem](),
		reqs: map[string]*cdpRequest{}, done: make(chan struct{}), frames: map[target.ID]*cdpTarget{},
	}
}

// listen is the tab's event listener: it runs in chromedp's read loop, so it
// only queues.
func (s *cdpSource) listen(ev any) { s.queue(nil, ev) }

// queue queues the events the source uses, of the tab (from nil) or of a
// frame.
func (s *cdpSource) queue(from *cdpTarget, ev any) {
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent, *network.EventResponseReceived, *network.EventDataReceived,
		*network.EventLoadingFinished, *network.EventLoadingFailed:
		s.q.push(cdpItem{ev: ev, at: time.Now(), from: from})
	case *target.EventAttachedToTarget:
		if e.TargetInfo != nil && e.TargetInfo.Type == "iframe" {
			s.q.push(cdpItem{ev: ev, at: time.Now(), from: from})
		}
	}
}

// start begins turning events into the core's events; tab is where commands
// run. It raises the tab's network buffers so that bodies stay available.
func (s *cdpSource) start(tab context.Context) error {
	s.tab = tab
	err := enableNetwork(tab)
	go s.run()
	return err
}

// enableNetwork turns on the Network domain of a target with buffers large
// enough that bodies stay available.
func enableNetwork(ctx context.Context) error {
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{
		MaxTotalBufferSize:    new(int64(512 << 20)),
		MaxResourceBufferSize: new(int64(128 << 20)),
		MaxPostDataSize:       new(int64(64 << 20)),
	})
	if err != nil {
		return fmt.Errorf("enable network events: %w", err)
	}
	return nil
}

// attachFrame watches the Network domain of a frame of another site, which
// Chromium runs in a target of its own, as soon as the tab reports it:
// before the frame's page has loaded, so that its calls are not missed.
func (s *cdpSource) attachFrame(id target.ID, url string) {
	s.mu.Lock()
	if s.closed || s.frames[id] != nil {
		s.mu.Unlock()
		return
	}
	t := &cdpTarget{prefix: string(id) + ":", url: url}
	t.ctx, t.cancel = chromedp.NewContext(s.tab, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel(), chromedp.WithListener(func(ev any) { s.queue(t, ev) }))
	s.frames[id] = t
	s.mu.Unlock()
	if err := chromedp.Do(t.ctx); err != nil {
		s.logf("recorder: attach to the frame %s: %v", url, err)
		return
	}
	if err := enableNetwork(t.ctx); err != nil {
		s.logf("recorder: the frame %s: %v", url, err)
	}
}

// frame returns the chromedp context of an embedded frame the source
// watches, or nil.
func (s *cdpSource) frame(id target.ID) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.frames[id]; t != nil {
		return t.ctx
	}
	return nil
}

// stop ends the source; events after it are dropped.
func (s *cdpSource) stop() {
	s.mu.Lock()
	s.closed = true
	frames := s.frames
	s.frames = nil
	s.mu.Unlock()
	for _, t := range frames {
		t.cancel()
	}
	s.q.close()
	<-s.done
}

func (s *cdpSource) run() {
	defer close(s.done)
	for {
		it, ok := s.q.pop()
		if !ok {
			return
		}
		if it.done != nil {
			r := s.reqs[it.key]
			if r == nil {
				continue
			}
			r.busy = false
			it.done(r)
			s.drain(it.key, r)
			continue
		}
		if e, ok := it.ev.(*target.EventAttachedToTarget); ok {
			go s.attachFrame(e.TargetInfo.TargetID, e.TargetInfo.URL)
			continue
		}
		key, r := s.route(it)
		if r == nil {
			continue
		}
		r.waiting = append(r.waiting, it)
		s.drain(key, r)
	}
}

// route finds (or, for a new request the core wants, creates) the request
// an event belongs to.
func (s *cdpSource) route(it cdpItem) (string, *cdpRequest) {
	prefix := ""
	if it.from != nil {
		prefix = it.from.prefix
	}
	var id network.RequestID
	switch e := it.ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.RedirectResponse != nil || e.Request == nil {
			return "", nil
		}
		kind := classify(e.Request.Method, e.Request.URL)
		if kind == kindOther {
			return "", nil
		}
		r := &cdpRequest{from: it.from, nid: e.RequestID, kind: kind, url: e.Request.URL}
		s.reqs[prefix+string(e.RequestID)] = r
		return prefix + string(e.RequestID), r
	case *network.EventResponseReceived:
		id = e.RequestID
	case *network.EventDataReceived:
		id = e.RequestID
	case *network.EventLoadingFinished:
		id = e.RequestID
	case *network.EventLoadingFailed:
		id = e.RequestID
	}
	return prefix + string(id), s.reqs[prefix+string(id)]
}

// drain handles a request's waiting events until one needs a command.
func (s *cdpSource) drain(key string, r *cdpRequest) {
	for !r.busy && len(r.waiting) > 0 {
		it := r.waiting[0]
		r.waiting = r.waiting[1:]
		s.step(key, r, it)
	}
}

// step turns one event into the core's events, starting a command when it
// needs one.
func (s *cdpSource) step(key string, r *cdpRequest, it cdpItem) {
	rid, id := requestID(key), r.nid
	switch e := it.ev.(type) {
	case *network.EventRequestWillBeSent:
		sent := requestSent{ID: rid, Time: it.at, Method: e.Request.Method, URL: e.Request.URL + e.Request.URLFragment,
			Headers: headers(e.Request.Headers)}
		for _, p := range e.Request.PostDataEntries {
			sent.Body = append(sent.Body, p.Bytes...)
		}
		if e.Request.HasPostData && len(sent.Body) == 0 {
			// Uploaded files are not in the event: ask for the body.
			s.command(key, r, func(ctx context.Context) func(*cdpRequest) {
				res, err := chromedp.Call(ctx, network.GetRequestPostData, network.GetRequestPostDataParams{RequestID: id})
				if err != nil {
					s.logf("recorder: the body of %s %s: %v", sent.Method, sent.URL, err)
				}
				return func(*cdpRequest) {
					sent.Body = res.PostData
					s.sink(sent)
				}
			})
			return
		}
		s.sink(sent)
		if r.kind == kindData {
			// Gradio reads the stream with fetch: only streaming gives its
			// bytes as they come. Asked for before the response, so that a
			// quick call's messages, which come with the response, are not
			// held back for another round trip.
			s.streamBody(key, r, it.at)
		}
	case *network.EventResponseReceived:
		s.sink(responseReceived{ID: rid, Time: it.at, Status: int(e.Response.Status),
			Headers: headers(e.Response.Headers), MIMEType: e.Response.MimeType})
		r.stream = e.Response.MimeType == "text/event-stream"
		if r.kind == kindData && r.stream && !r.streaming {
			s.streamBody(key, r, it.at) // too early before: try again
		}
	case *network.EventDataReceived:
		switch {
		case !r.streaming || len(e.Data) == 0:
		case r.stream:
			s.sink(dataReceived{ID: rid, Time: it.at, Data: e.Data})
		default:
			r.body = append(r.body, e.Data...)
		}
	case *network.EventLoadingFinished:
		if r.streaming {
			delete(s.reqs, key)
			s.sink(loadingFinished{ID: rid, Time: it.at, Body: r.body})
			return
		}
		s.command(key, r, func(ctx context.Context) func(*cdpRequest) {
			res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: id})
			if err != nil {
				s.logf("recorder: the response body of %s: %v", r.url, err)
			}
			return func(*cdpRequest) {
				delete(s.reqs, key)
				s.sink(loadingFinished{ID: rid, Time: it.at, Body: res.Body})
			}
		})
	case *network.EventLoadingFailed:
		delete(s.reqs, key)
		s.sink(loadingFailed{ID: rid, Time: it.at, Error: e.ErrorText, Canceled: e.Canceled})
	}
}

// streamBody asks Chromium to stream the request's body as dataReceived
// chunks. Data it held until then comes back with the answer. An error means
// it is too early or too late: the response, or loadingFinished with the
// whole body, tells.
func (s *cdpSource) streamBody(key string, r *cdpRequest, at time.Time) {
	s.command(key, r, func(ctx context.Context) func(*cdpRequest) {
		res, err := chromedp.Call(ctx, network.StreamResourceContent, network.StreamResourceContentParams{RequestID: r.nid})
		return func(r *cdpRequest) {
			if err != nil {
				return
			}
			r.streaming = true
			if len(res.BufferedData) > 0 {
				s.sink(dataReceived{ID: requestID(key), Time: at, Data: res.BufferedData})
			}
		}
	})
}

// command runs a DevTools command for a request in a goroutine, in the
// target the request belongs to; the func it returns runs on the source's
// goroutine when it is done, before the request's next event.
func (s *cdpSource) command(key string, r *cdpRequest, run func(ctx context.Context) func(*cdpRequest)) {
	r.busy = true
	ctx := s.tab
	if r.from != nil {
		ctx = r.from.ctx
	}
	go func() {
		done := run(ctx)
		s.q.push(cdpItem{key: key, done: done})
	}()
}

// headers flattens DevTools headers.
func headers(h network.Headers) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// fetch downloads url with the tab's cookies (an app behind a login needs
// them), for output files and the app's /info.
func (s *cdpSource) fetch(ctx context.Context, url string, w io.Writer) (string, error) {
	return tabFetch(s.tab, ctx, url, w)
}

// tabFetch downloads url with the cookies the tab's browser sends to it.
func tabFetch(tab, ctx context.Context, url string, w io.Writer) (string, error) {
	tab, cancel := context.WithCancel(tab)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	cookies, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		return "", fmt.Errorf("cookies for %s: %w", url, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return download(req, w)
}

// download runs req and copies the body of its 200 answer to w; it returns
// the answer's MIME type.
func download(req *http.Request, w io.Writer) (string, error) {
	resp, err := httpClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return "", fmt.Errorf("GET %s: %w", req.URL, err)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return strings.ToLower(mt), nil
}

// cookies returns the values of the cookies the tab's page has.
func (s *cdpSource) cookieValues(ctx context.Context) ([]string, error) {
	tab, cancel := context.WithCancel(s.tab)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	res, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		return nil, err
	}
	values := make([]string, 0, len(res.Cookies))
	for _, c := range res.Cookies {
		values = append(values, c.Value)
	}
	return values, nil
}

// httpClient downloads files; its timeout bounds a whole download.
var httpClient = &http.Client{Timeout: 5 * time.Minute}
