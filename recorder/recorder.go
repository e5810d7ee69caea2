package recorder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/recording"
)

// Recorder records a Gradio app in a browser tab: it opens the app, then
// captures every API call the page makes until Stop. Drive the page through
// Tab with chromedp actions (or let a person use it); call WaitIdle to wait
// for the calls an action caused. A Recorder is safe for concurrent use.
//
// The calls come from a source (source.go): by default the DevTools
// Network domain of the tab; with WithVia or WithRelay, what the browser
// extension relays.
type Recorder struct {
	s        settings
	browser  *Browser
	own      bool // the browser is ours to close
	tab      context.Context
	closeTab context.CancelFunc
	page     context.Context      // where the app runs: the tab, or a frame of another site in it
	frames   []context.CancelFunc // the frames the recorder attached to
	src      source
	relay    *Relay // the source, when the extension relays it
	cap      *capture
	created  time.Time

	rd           *recording.Redactor // the secrets known so far; shared with the journal
	notices      *queue[notice]
	dispatchDone chan struct{}
	journal      *recording.Journal    // nil: no journal
	journalErr   error                 // the first journal error (dispatcher only until Stop)
	shown        map[int]*shownUpdates // by call id: the updates events showed (dispatcher only)

	stopOnce sync.Once
	stopped  chan struct{}
	result   *recording.Recording
	stopErr  error
}

// source is what the recorder needs of its source besides the events.
type source interface {
	fetch(ctx context.Context, url string, w io.Writer) (mimeType string, err error)
	cookieValues(ctx context.Context) ([]string, error)
	stop()
}

// New opens the Gradio app at url in a new tab and starts recording: it
// checks that the page is a Gradio app (else ErrNotGradio; ErrUnreachable
// when nothing answers), logs in when the app needs it (WithLogin; else
// ErrLoginRequired), reads the app's config from the page and its endpoint
// schema from /info, and captures every call from the moment the page
// loads. It starts a browser of its own unless WithBrowser gives one. ctx
// bounds the opening; the recording runs until Stop.
//
// With WithRelay, New opens no tab: it waits for the extension to relay a
// Gradio app's page (url is then ignored), and records what it relays.
func New(ctx context.Context, url string, opts ...Option) (*Recorder, error) {
	s := newSettings(opts)
	r := &Recorder{
		s: s, browser: s.browser, created: time.Now().UTC(),
		rd:      recording.NewRedactor(append(s.secrets, recording.Secret{Value: s.password})...),
		notices: newQueue[notice](), dispatchDone: make(chan struct{}), stopped: make(chan struct{}),
		shown: map[int]*shownUpdates{},
	}
	r.cap = newCapture(nil, func(n notice) { r.notices.push(n) }, s.maxFileSize)
	r.cap.logf = s.logf
	var m *appModel
	var err error
	if s.relay != nil {
		m, err = r.openRelay(ctx, s.relay)
	} else {
		m, err = r.openTab(ctx, url)
	}
	if err != nil {
		r.abort()
		return nil, err
	}
	r.learnCookies(ctx)
	if s.journalPath != "" {
		header := &recording.Recording{Created: r.created, Tool: s.tool, App: m.app}
		opts := append(slices.Clip(s.journalOpts), recording.UseRedactor(r.rd))
		if r.journal, err = recording.CreateJournal(s.journalPath, header, opts...); err != nil {
			r.abort()
			return nil, fmt.Errorf("record %s: %w", m.app.URL, err)
		}
	}
	go r.dispatch()
	r.cap.setApp(m, hosts(m.app.URL, m.app.Root)...)
	return r, nil
}

// openTab opens the app in a new tab of the browser, capturing its calls
// through DevTools, or through the extension with WithVia.
func (r *Recorder) openTab(ctx context.Context, url string) (*appModel, error) {
	if r.browser == nil {
		b, err := NewBrowser(ctx, r.s.options...)
		if err != nil {
			return nil, err
		}
		r.browser, r.own = b, true
	}
	var cdp *cdpSource
	listen := func(any) {}
	if r.s.via == nil {
		cdp = newCDPSource(r.cap.handle, r.s.logf)
		listen = cdp.listen
	}
	tab, closeTab, err := r.newTab(listen)
	if err != nil {
		return nil, err
	}
	r.tab, r.closeTab = tab, closeTab
	if cdp != nil {
		r.src = cdp
		if err := cdp.start(tab); err != nil {
			return nil, err
		}
	} else {
		// The extension attaches to the tab before the page loads, so
		// that it sees the calls the page makes as it opens.
		relay, err := r.s.via(ctx, string(chromedp.FromContext(tab).Target.TargetID))
		if err != nil {
			return nil, fmt.Errorf("record %s through the extension: %w", url, err)
		}
		if err := r.useRelay(relay); err != nil {
			return nil, err
		}
	}
	r.cap.fetch = r.src.fetch
	return r.open(ctx, url)
}

// newTab opens the recorder's tab, or attaches to the open one (WithTab).
func (r *Recorder) newTab(listen func(any)) (context.Context, context.CancelFunc, error) {
	if r.s.target == "" {
		return r.browser.newTab(r.s.width, r.s.height, listen)
	}
	tab, cancel := chromedp.NewContext(r.browser.ctx, chromedp.WithTargetID(target.ID(r.s.target)),
		chromedp.WithDetachOnCancel(), chromedp.WithListener(listen))
	if err := chromedp.Do(tab); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("attach to the tab %s: %w", r.s.target, err)
	}
	return tab, cancel, nil
}

// openRelay waits for the extension to relay the page of a Gradio app
// (WithRelay).
func (r *Recorder) openRelay(ctx context.Context, relay *Relay) (*appModel, error) {
	if err := r.useRelay(relay); err != nil {
		return nil, err
	}
	r.cap.fetch = r.src.fetch
	m, err := r.relayedApp(ctx)
	if err != nil {
		return nil, err
	}
	// The user logged in in their own browser: Gradio's login cookie says so.
	relay.mu.Lock()
	defer relay.mu.Unlock()
	for _, c := range relay.cookies {
		if strings.HasPrefix(c.Name, "access-token") {
			m.app.Auth = true
		}
	}
	return m, nil
}

// useRelay makes relay the recorder's source.
func (r *Recorder) useRelay(relay *Relay) error {
	if err := relay.take(r.cap.handle); err != nil {
		return err
	}
	r.relay, r.src = relay, relay
	return nil
}

// abort undoes a New that failed half-way.
func (r *Recorder) abort() {
	if r.src != nil {
		r.src.stop()
	}
	r.closeTabs()
	if r.own {
		r.browser.Close()
	}
}

// closeTabs detaches from the frames and closes the tab.
func (r *Recorder) closeTabs() {
	for _, cancel := range r.frames {
		cancel()
	}
	if r.closeTab != nil {
		r.closeTab()
	}
}

// dispatch hands the core's notices, in order, to the journal and to the
// WithOnEvent callback. It is the one place the journal is written.
func (r *Recorder) dispatch() {
	defer close(r.dispatchDone)
	for {
		n, ok := r.notices.pop()
		if !ok {
			return
		}
		if n.event != nil {
			r.rd.Add(r.cap.secrets(&n.event.Call)...)
			if n.event.Kind == CallStarted && !r.isStopped() {
				r.learnCookies(context.Background())
			}
		}
		r.toJournal(n)
		if n.event != nil && r.s.onEvent != nil {
			ev := *n.event
			ev.Call = r.redactedEvent(ev)
			r.s.onEvent(ev)
		}
	}
}

// redacted returns call with every secret known replaced, as a journal
// would write it: what the recorder shows anyone.
func (r *Recorder) redacted(call recording.Call) recording.Call {
	app := r.cap.appSnapshot()
	c, err := r.rd.Call(&app, call)
	if err != nil {
		// A value that is not JSON cannot be redacted: show none.
		r.s.logf("recorder: redact call %d: %v", call.ID, err)
		return recording.Call{ID: call.ID, Session: call.Session, FnIndex: call.FnIndex, APIName: call.APIName,
			Via: call.Via, Status: call.Status, Started: call.Started, Duration: call.Duration}
	}
	return c
}

// shownUpdates are the updates of a call in progress as events showed
// them, redacted.
type shownUpdates struct {
	known   int // the secrets known when they were redacted
	updates [][]json.RawMessage
}

// redactedEvent returns the call of an event redacted, as redacted does,
// but redacts each of a generator's updates once, not again with every
// later update: a stream of n updates costs O(n), not O(n²). Updates are
// redacted again when a secret was learned since. It runs on the
// dispatcher only.
func (r *Recorder) redactedEvent(ev Event) recording.Call {
	all := ev.Call.Updates
	rest := ev.Call
	rest.Updates = nil
	c := r.redacted(rest) // learns the call's secrets first
	if len(all) == 0 {
		delete(r.shown, ev.Call.ID)
		return c
	}
	known := r.rd.Known()
	u := r.shown[ev.Call.ID]
	if u == nil || u.known != known || len(u.updates) > len(all) {
		u = &shownUpdates{known: known}
		r.shown[ev.Call.ID] = u
	}
	if n := len(u.updates); n < len(all) {
		more := r.redacted(recording.Call{ID: ev.Call.ID, Session: ev.Call.Session, FnIndex: ev.Call.FnIndex, Updates: all[n:]})
		if len(more.Updates) != len(all)-n {
			delete(r.shown, ev.Call.ID)
			return r.redacted(ev.Call) // one could not be redacted: as redacted says
		}
		u.updates = append(u.updates, more.Updates...)
	}
	c.Updates = u.updates[:len(u.updates):len(u.updates)]
	if ev.Kind == CallCompleted {
		delete(r.shown, ev.Call.ID)
	}
	return c
}

// learnCookies adds the values of the browser's cookies for the app as
// secrets: a login cookie is a working credential, and an app may echo it
// (request.cookies) in an output. Short values are left out (see
// recording.MinSecretInText): a cookie such as "1" is no credential.
func (r *Recorder) learnCookies(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	cookies, err := r.src.cookieValues(ctx)
	if err != nil {
		r.s.logf("recorder: read cookies: %v", err)
		return
	}
	var secrets []recording.Secret
	for _, v := range cookies {
		if len(v) >= recording.MinSecretInText {
			secrets = append(secrets, recording.Secret{Value: v})
		}
	}
	r.rd.Add(secrets...)
}

// toJournal appends a notice to the journal, if there is one: sessions,
// fixture files, calls as they start and as they end.
func (r *Recorder) toJournal(n notice) {
	if r.journal == nil {
		return
	}
	var err error
	switch {
	case n.session != nil:
		err = r.journal.AddSession(*n.session)
	case n.endpoint != nil:
		err = r.journal.AddEndpoint(*n.endpoint)
	case n.file != nil && n.data != nil:
		_, err = r.journal.AddFile(n.data, n.file.OrigName, n.file.MIMEType, n.file.Role)
	case n.file != nil:
		_, err = r.journal.AddFileHash(n.file.SHA256, n.file.Size, n.file.OrigName, n.file.MIMEType, n.file.Role)
	case n.event != nil && n.event.Kind == CallStarted:
		err = r.journal.Start(n.event.Call)
	case n.event != nil && n.event.Kind == CallCompleted:
		err = r.journal.Append(n.event.Call)
	}
	if err != nil && r.journalErr == nil {
		r.journalErr = err
		r.s.logf("recorder: %v", err)
		if r.s.onFault != nil {
			r.s.onFault(&JournalError{Journal: r.journal.Path(), Err: err})
		}
	}
}

func (r *Recorder) isStopped() bool {
	select {
	case <-r.stopped:
		return true
	default:
		return false
	}
}

// Tab returns the chromedp context of the app's page, to drive it with
// chromedp actions (chromedp.Run(rec.Tab(), …)): the recorder's tab, or,
// when the page at the URL embeds the app in a frame of another site, that
// frame. It ends with Stop. It is nil with WithRelay: the tab is in a
// browser gradiorec does not drive.
func (r *Recorder) Tab() context.Context { return r.page }

// Relay returns the relay the recorder records from (WithRelay, WithVia),
// or nil when it records through DevTools.
func (r *Recorder) Relay() *Relay { return r.relay }

// App returns the app as the recorder found it: URL, root, version and
// endpoint schema.
func (r *Recorder) App() recording.App { return r.cap.appSnapshot() }

// Snapshot returns the recording so far, calls in flight included as they
// stand (Status Incomplete), for a live view.
func (r *Recorder) Snapshot() *recording.Recording {
	rec := r.cap.recording()
	rec.Created, rec.Tool = r.created, r.s.tool
	for i := range rec.Calls {
		rec.Calls[i] = r.redacted(rec.Calls[i])
	}
	return rec
}

// snapshot is Snapshot as the capture holds it, secrets included, for Save
// (which redacts it with the recorder's Redactor).
func (r *Recorder) snapshot() *recording.Recording {
	rec := r.cap.recording()
	rec.Created, rec.Tool = r.created, r.s.tool
	return rec
}

// Fixture returns the bytes of a fixture file (a recording.File's Name),
// for previews; false when they are not kept (an output above
// WithMaxFileSize).
func (r *Recorder) Fixture(name string) ([]byte, bool) { return r.cap.fixture(name) }

// Stop ends the recording: it stops capturing, waits briefly for output
// files still downloading, marks the calls still in flight Incomplete (or
// Cancelled when the page had asked to cancel them), delivers the last
// events, closes the tab (and the browser New started) and returns the
// Recording. The Recording holds its stored fixtures' bytes, so
// recording.Save writes them. With WithJournal, Stop saves the recording at
// the journal's path ((*recording.Journal).Save) and returns what it saved;
// the error then tells whether the journal or the save failed. Stop may be
// called more than once; later calls return the same.
func (r *Recorder) Stop() (*recording.Recording, error) {
	r.stopOnce.Do(func() {
		close(r.stopped)
		r.src.stop()
		r.cap.stop(r.s.stopGrace)
		r.notices.close()
		<-r.dispatchDone
		r.closeTabs()
		if r.own {
			r.browser.Close()
		}
		r.result = r.Snapshot()
		if r.journal == nil {
			return
		}
		if r.journalErr != nil {
			r.result, r.stopErr = r.rescue(r.journalErr)
			return
		}
		saved, err := r.journal.Save()
		if err != nil {
			r.result, r.stopErr = r.rescue(err)
			return
		}
		r.result = saved
	})
	return r.result, r.stopErr
}

// rescue saves a recording whose journal or save failed with cause (a full
// or read-only disk) from the calls the recorder holds in memory: at its
// path if that works now, else in the first of the rescue folders
// (RescueDirs) that takes it. The journal, which may hold only the calls
// before its failure, is removed once every call is saved elsewhere. The
// error (a *SaveError) says where the calls are.
func (r *Recorder) rescue(cause error) (*recording.Recording, error) {
	r.journal.Close()
	rec := r.snapshot()
	opts := append(slices.Clip(r.s.journalOpts), recording.UseRedactor(r.rd))
	e := &SaveError{Path: r.s.journalPath, Journal: r.journal.Path(), Err: cause, JournalFailed: r.journalErr != nil}
	targets := []string{r.s.journalPath}
	for _, dir := range RescueDirs() {
		targets = append(targets, r.rescuePath(dir))
	}
	for _, path := range targets {
		if path == "" {
			continue
		}
		if err := recording.Save(path, rec, opts...); err != nil {
			r.s.logf("recorder: save to %s: %v", path, err)
			continue
		}
		e.SavedTo = path
		if os.Remove(e.Journal) == nil {
			e.Journal = ""
		}
		saved, err := recording.Load(path)
		if err != nil {
			saved = r.Snapshot()
		}
		if path == e.Path && !e.JournalFailed {
			return saved, nil // the second try worked: nothing is amiss
		}
		return saved, e
	}
	return r.Snapshot(), e
}

// rescuePath returns a new file name for the recording in the rescue
// folder dir, creating it; "" when it cannot be made. It never names a
// file that is there already.
func (r *Recorder) rescuePath(dir string) string {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	name := strings.TrimSuffix(filepath.Base(r.s.journalPath), ".json") + "-" + r.created.Format("20060102-150405")
	for i := 1; i < 100; i++ {
		path := filepath.Join(dir, name+".json")
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d.json", name, i))
		}
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Lstat(recording.FilesDir(path)); errors.Is(err, fs.ErrNotExist) {
				return path
			}
		}
	}
	return ""
}
