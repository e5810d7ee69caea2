package recorder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Relay is the source (source.go) of a recording made in a browser that
// gradiorec does not drive with DevTools: the browser extension captures
// the tab's network events and relays them as JSON messages
// (docs/extension-protocol.md), which the backend hands to Feed one at a
// time, in the order they came. A Relay feeds one Recorder (WithRelay,
// WithVia); messages fed before the Recorder takes it wait for it.
type Relay struct {
	mu      sync.Mutex
	sink    func(netEvent) // nil until a Recorder takes the relay, and after it stops
	taken   bool
	pending []netEvent // events fed before a Recorder took the relay
	held    int64      // bytes of bodies in pending
	total   int64      // bytes of bodies fed in all
	pages   []relayPage
	arrived chan struct{} // closed and replaced when a page arrives
	cookies []*http.Cookie
	root    *url.URL // the app's root, once known: cookies go there only
	ended   chan struct{}
	reason  string
}

// relayPage is a frame of the tab that holds a Gradio app.
type relayPage struct {
	url     string
	config  []byte
	info    []byte
	cookies []*http.Cookie
}

// Limits on what a Relay takes.
const (
	// MaxRelayBodies caps the bytes of bodies one recording may relay; past
	// it the recording ends (ErrRelayTooLarge), keeping what it has.
	MaxRelayBodies = 1 << 30
	// maxRelayPending caps the bodies held before a Recorder takes them.
	maxRelayPending = 256 << 20
	maxRelayID      = 512
	maxRelayPages   = 16
)

// ErrRelayTooLarge: a recording relayed more than MaxRelayBodies.
var ErrRelayTooLarge = errors.New("the recording relayed more than 1 GiB of bodies")

// NewRelay returns a Relay that waits for the extension's messages.
func NewRelay() *Relay {
	return &Relay{arrived: make(chan struct{}), ended: make(chan struct{})}
}

// relayMessage is any message of a recording (docs/extension-protocol.md).
type relayMessage struct {
	T        string            `json:"t"`
	ID       string            `json:"id"`
	TS       float64           `json:"ts"`
	Method   string            `json:"method"`
	URL      string            `json:"url"`
	Headers  map[string]string `json:"headers"`
	Body     []byte            `json:"body"`
	Status   int               `json:"status"`
	MIME     string            `json:"mime"`
	Data     []byte            `json:"data"`
	Error    string            `json:"error"`
	Canceled bool              `json:"canceled"`
	Config   json.RawMessage   `json:"config"`
	Info     json.RawMessage   `json:"info"`
	Cookies  []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"cookies"`
}

// Feed takes one message of the recording: page, requestSent,
// responseReceived, dataReceived, loadingFinished or loadingFailed. The
// error says what is wrong with a message it refuses; the recording goes
// on. Past MaxRelayBodies it ends the relay and returns ErrRelayTooLarge.
func (r *Relay) Feed(raw []byte) error {
	var m relayMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("relay: a malformed message: %w", err)
	}
	if m.T == "page" {
		return r.page(m)
	}
	ev, size, err := m.event()
	if err != nil {
		return err
	}
	r.mu.Lock()
	if r.isEnded() {
		r.mu.Unlock()
		return nil
	}
	r.total += size
	if r.total > MaxRelayBodies {
		r.mu.Unlock()
		r.End("too-large")
		return ErrRelayTooLarge
	}
	if r.sink == nil && !r.taken {
		if r.held+size > maxRelayPending {
			r.mu.Unlock()
			return fmt.Errorf("relay: %d MiB arrived before the app's page: dropped %s", maxRelayPending>>20, m.T)
		}
		r.pending = append(r.pending, ev)
		r.held += size
		r.mu.Unlock()
		return nil
	}
	sink := r.sink
	r.mu.Unlock()
	if sink != nil {
		sink(ev) // the capture never blocks
	}
	return nil
}

// event turns a network message into the core's event, and tells the
// bytes of body it carries.
func (m *relayMessage) event() (netEvent, int64, error) {
	if m.ID == "" || len(m.ID) > maxRelayID {
		return nil, 0, fmt.Errorf("relay: %s without a valid id", m.T)
	}
	id := requestID(m.ID)
	at := relayTime(m.TS)
	switch m.T {
	case "requestSent":
		if m.Method == "" || m.URL == "" {
			return nil, 0, errors.New("relay: requestSent without method or url")
		}
		return requestSent{ID: id, Time: at, Method: m.Method, URL: m.URL, Headers: m.Headers, Body: m.Body}, int64(len(m.Body)), nil
	case "responseReceived":
		return responseReceived{ID: id, Time: at, Status: m.Status, Headers: m.Headers, MIMEType: m.MIME}, 0, nil
	case "dataReceived":
		return dataReceived{ID: id, Time: at, Data: m.Data}, int64(len(m.Data)), nil
	case "loadingFinished":
		return loadingFinished{ID: id, Time: at, Body: m.Body}, int64(len(m.Body)), nil
	case "loadingFailed":
		return loadingFailed{ID: id, Time: at, Error: m.Error, Canceled: m.Canceled}, 0, nil
	}
	return nil, 0, fmt.Errorf("relay: unknown message %q", m.T)
}

// relayTime reads a time in milliseconds since the epoch; one that makes
// no sense is now.
func relayTime(ms float64) time.Time {
	if math.IsNaN(ms) || ms <= 0 || ms > 1e15 {
		return time.Now()
	}
	return time.UnixMilli(int64(ms)).Add(time.Duration(math.Mod(ms, 1) * float64(time.Millisecond)))
}

// page keeps a frame that holds a Gradio app.
func (r *Relay) page(m relayMessage) error {
	if m.URL == "" || len(m.Config) == 0 {
		return errors.New("relay: page without url or config")
	}
	p := relayPage{url: m.URL, config: m.Config}
	if string(m.Info) != "null" {
		p.info = m.Info
	}
	for _, c := range m.Cookies {
		p.cookies = append(p.cookies, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pages) >= maxRelayPages {
		return errors.New("relay: too many pages")
	}
	r.pages = append(r.pages, p)
	close(r.arrived)
	r.arrived = make(chan struct{})
	return nil
}

// End tells the relay that the recording ended in the browser, and why
// (the reasons of the protocol's stop message).
func (r *Relay) End(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.isEnded() {
		r.reason = reason
		close(r.ended)
	}
}

// Ended is closed when End was called.
func (r *Relay) Ended() <-chan struct{} { return r.ended }

// Reason is End's reason ("" before End).
func (r *Relay) Reason() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reason
}

func (r *Relay) isEnded() bool {
	select {
	case <-r.ended:
		return true
	default:
		return false
	}
}

// take makes sink the receiver of the relay's events, those that waited
// first. A relay feeds one recorder.
func (r *Relay) take(sink func(netEvent)) error {
	r.mu.Lock()
	if r.taken {
		r.mu.Unlock()
		return errors.New("relay: it already feeds a recorder")
	}
	r.taken = true
	pending := r.pending
	r.pending, r.held = nil, 0
	for _, ev := range pending {
		sink(ev)
	}
	r.sink = sink
	r.mu.Unlock()
	return nil
}

// stop ends the delivery of events (Recorder.Stop).
func (r *Relay) stop() {
	r.mu.Lock()
	r.sink = nil
	r.mu.Unlock()
}

// waitPage returns the first page that accept takes, waiting for it until
// ctx ends or the relay does. The app's cookies are then those of the page.
func (r *Relay) waitPage(ctx context.Context, accept func(relayPage) bool) (relayPage, error) {
	seen := 0
	for {
		r.mu.Lock()
		pages, arrived := r.pages[seen:], r.arrived
		seen = len(r.pages)
		r.mu.Unlock()
		for _, p := range pages {
			if accept(p) {
				r.mu.Lock()
				r.cookies = p.cookies
				r.mu.Unlock()
				return p, nil
			}
		}
		select {
		case <-arrived:
		case <-r.ended:
			return relayPage{}, fmt.Errorf("the browser stopped recording (%s) before a Gradio app loaded in the tab", r.Reason())
		case <-ctx.Done():
			return relayPage{}, fmt.Errorf("no Gradio app loaded in the recorded tab: %w", ctx.Err())
		}
	}
}

// setRoot limits the relay's cookies to the app at root.
func (r *Relay) setRoot(root string) {
	u, err := url.Parse(root)
	if err != nil {
		return
	}
	r.mu.Lock()
	r.root = u
	r.mu.Unlock()
}

// fetch downloads url, sending the app's cookies only when url is under
// the app's root: output files, and uploads the extension could not read.
func (r *Relay) fetch(ctx context.Context, rawURL string, w io.Writer) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	if r.root != nil && sameOrigin(req.URL, r.root) {
		for _, c := range r.cookies {
			req.AddCookie(c)
		}
	}
	r.mu.Unlock()
	return download(req, w)
}

// cookies returns the values of the app's cookies, to redact them.
func (r *Relay) cookieValues(context.Context) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	values := make([]string, 0, len(r.cookies))
	for _, c := range r.cookies {
		values = append(values, c.Value)
	}
	return values, nil
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host
}
