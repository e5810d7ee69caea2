package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/internal/backend"
	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Extension is the backend of gradiorec's browser extension, hosted by the
// window as `gradiorec serve` hosts it: a relay on 127.0.0.1 that pairs the
// extension and records the tabs it captures, each saved in the browser
// folder of the data folder. The calls arrive in the window live
// (EventBrowserCall).
type Extension struct {
	a *App

	mu      sync.Mutex
	server  *relay.Server // nil when not listening
	backend *backend.Backend
	store   relay.Store        // nil until the pairings file opened
	err     error              // why it does not listen
	recs    []BrowserRecording // newest last, at most maxBrowserRecordings

	changed chan struct{} // the status changed: emit it (coalesced)
}

// The events of the extension's backend (see docs/desktop.md).
const (
	EventExtension        = "extension"         // ExtensionStatus
	EventBrowserCall      = "browser-call"      // BrowserCall
	EventBrowserRecording = "browser-recording" // BrowserRecording
)

// ExtensionStatus is where the extension's backend stands. A problem is
// told in Error, with what to do in Hint.
type ExtensionStatus struct {
	Port       int                `json:"port"`      // the loopback port it listens on, or would
	Listening  bool               `json:"listening"` // it listens on Port
	Off        bool               `json:"off"`       // the window does not host it (-extension-port -1)
	Busy       bool               `json:"busy"`      // another program listens on Port (a gradiorec serve?)
	Error      string             `json:"error,omitempty"`
	Hint       string             `json:"hint,omitempty"`
	Dir        string             `json:"dir"`       // where recordings made in the browser are saved
	Paired     []PairedBrowser    `json:"paired"`    // oldest first
	Connected  int                `json:"connected"` // extensions connected now
	Recordings []BrowserRecording `json:"recordings"`
}

// PairedBrowser is a browser paired with gradiorec; its secret stays in the
// pairings file.
type PairedBrowser struct {
	Install   string    `json:"install"` // the extension install's id
	Browser   string    `json:"browser"` // how it described itself
	Paired    time.Time `json:"paired"`
	Connected bool      `json:"connected"` // it is connected now
}

// PairingCode is a one-time code that pairs one browser: the person pastes
// it in the extension's side panel, with Port, before Expires.
type PairingCode struct {
	Code    string    `json:"code"`
	Expires time.Time `json:"expires"`
	Port    int       `json:"port"`
}

// BrowserRecording is a recording the extension made since the window
// opened: Active while the browser records, then saved at Path (OK) or not
// (Message says where its calls are, or why there are none).
type BrowserRecording struct {
	Rec     string    `json:"rec"` // the extension's id for it
	URL     string    `json:"url"` // the tab's URL when it started
	Path    string    `json:"path"`
	Started time.Time `json:"started"`
	Active  bool      `json:"active"`
	Calls   int       `json:"calls"`
	OK      bool      `json:"ok"`
	Message string    `json:"message,omitempty"`
}

// BrowserCall tells the window about a call recorded in the browser: a
// CallEvent of the recording Rec, whose tab showed URL.
type BrowserCall struct {
	Rec  string             `json:"rec"`
	URL  string             `json:"url"`
	Kind recorder.EventKind `json:"kind"`
	Call recording.Call     `json:"call"`
}

// maxBrowserRecordings bounds the recordings the window lists; older ones
// stay in the browser folder.
const maxBrowserRecordings = 100

// maxTabURL bounds the tab URL the window keeps of a recording: it comes
// from the browser, unchecked.
const maxTabURL = 2048

func newExtension(a *App) *Extension {
	return &Extension{a: a, changed: make(chan struct{}, 1)}
}

// Status returns where the extension's backend stands.
func (e *Extension) Status() (ExtensionStatus, error) {
	e.mu.Lock()
	st := ExtensionStatus{
		Port: e.port(), Listening: e.server != nil, Off: e.a.opts.ExtensionPort < 0, Dir: e.dir(),
		Paired: []PairedBrowser{}, Recordings: slices.Clone(e.recs),
	}
	slices.Reverse(st.Recordings)
	server, store, err := e.server, e.store, e.err
	e.mu.Unlock()
	switch {
	case st.Off:
		st.Error = "The window does not host the browser extension's backend (it was started with -extension-port -1)."
		st.Hint = "Run gradiorec serve to record in your browser, or restart the window without -extension-port."
	case err != nil:
		st.Busy = errors.Is(err, syscall.EADDRINUSE)
		st.Error, st.Hint = err.Error(), "Fix what it says, then press Retry."
		if st.Busy {
			st.Error = fmt.Sprintf("Port %d is in use: another program listens there, perhaps gradiorec serve or another gradiorec window.", st.Port)
			st.Hint = "The extension can record through that gradiorec meanwhile. To record here, stop it, then press Retry."
		}
	}
	connected := map[string]bool{}
	if server != nil {
		peers := server.Peers()
		st.Connected = len(peers)
		for _, p := range peers {
			connected[p.Install()] = true
		}
	}
	if store != nil {
		list, err := store.List()
		if err != nil && st.Error == "" {
			st.Error, st.Hint = err.Error(), "Fix what it says; the list of paired browsers comes back by itself."
		}
		for _, p := range list {
			st.Paired = append(st.Paired, PairedBrowser{Install: p.Install, Browser: p.Browser, Paired: p.Paired, Connected: connected[p.Install]})
		}
	}
	return st, nil
}

// Listen starts the extension's backend when it does not listen, as the
// window's Retry does after the port was busy. The error says why it still
// does not listen, and what to do.
func (e *Extension) Listen() (ExtensionStatus, error) {
	e.mu.Lock()
	e.listen()
	e.mu.Unlock()
	e.touch()
	st, _ := e.Status()
	if !st.Listening {
		return st, errors.New(st.Error + " " + st.Hint)
	}
	return st, nil
}

// NewCode opens a one-time pairing code, replacing an unused one.
func (e *Extension) NewCode() (PairingCode, error) {
	e.mu.Lock()
	server := e.server
	e.mu.Unlock()
	if server == nil {
		return PairingCode{}, errors.New("the window is not listening for the browser extension: see the Browser panel, fix what it says and press Retry, then pair")
	}
	code, expires := server.NewCode()
	e.touch()
	return PairingCode{Code: code, Expires: expires, Port: server.Port()}, nil
}

// Revoke forgets a paired browser and ends its connections: it must pair
// again to record.
func (e *Extension) Revoke(install string) error {
	e.mu.Lock()
	store := e.store
	e.mu.Unlock()
	if store == nil {
		return errors.New("the paired browsers are not known: see the Browser panel, fix what it says and press Retry")
	}
	list, err := store.List()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(p relay.Pairing) bool { return p.Install == install }) {
		return fmt.Errorf("no browser %q is paired (it may have been revoked already): refresh the Browser panel", clipText(install, 80))
	}
	if err := store.Revoke(install); err != nil {
		return fmt.Errorf("revoke the browser %s: %w", install, err)
	}
	e.touch()
	return nil
}

// port is the port the backend listens on or would, under e.mu.
func (e *Extension) port() int {
	switch {
	case e.server != nil:
		return e.server.Port()
	case e.a.opts.ExtensionPort > 0:
		return e.a.opts.ExtensionPort
	}
	return relay.DefaultPort
}

// dir is where recordings made in the browser are saved.
func (e *Extension) dir() string { return filepath.Join(e.a.dataDir(), "browser") }

// storePath is the pairings file: the one gradiorec serve uses, in the
// window's config folder.
func (e *Extension) storePath() string {
	if e.a.opts.ConfigDir != "" {
		return filepath.Join(e.a.opts.ConfigDir, "paired.json")
	}
	return relay.DefaultStorePath()
}

// listen starts the relay and the backend unless they run, under e.mu.
func (e *Extension) listen() error {
	if e.server != nil || e.a.opts.ExtensionPort < 0 {
		return nil
	}
	e.err = e.open()
	if e.err != nil {
		e.a.opts.Logf("browser extension: %v", e.err)
	}
	return e.err
}

// open opens the pairings file, then listens, under e.mu.
func (e *Extension) open() error {
	if e.store == nil {
		store, err := relay.FileStore(e.storePath())
		if err != nil {
			return err
		}
		e.store = store
	}
	b := backend.New(backend.Config{
		Dir: e.dir(),
		Options: []recorder.Option{
			recorder.WithTool("gradiorec " + version.Version),
			recorder.WithLogf(e.a.opts.Logf),
		},
		OnEvent:     e.onCall,
		OnRecording: e.onRecording,
		Logf:        e.a.opts.Logf,
	})
	server, err := relay.Listen(relay.Options{
		Addr: fmt.Sprintf("127.0.0.1:%d", e.port()), Store: e.store, Handler: b,
		Version: version.Version, Logf: e.relayLog,
	})
	if err != nil {
		return err
	}
	e.server, e.backend = server, b
	e.a.opts.Logf("browser extension: listening on 127.0.0.1:%d; recordings go to %s", server.Port(), e.dir())
	return nil
}

// close stops listening; the recordings in progress are saved.
func (e *Extension) close() {
	e.mu.Lock()
	server, b := e.server, e.backend
	e.server, e.backend = nil, nil
	e.mu.Unlock()
	if server == nil {
		return
	}
	// Not under e.mu: the recordings' ends call onRecording.
	if err := server.Close(); err != nil {
		e.a.opts.Logf("browser extension: %v", err)
	}
	b.Wait()
}

// relayLog passes on the relay's log, and takes each line as news: the
// relay logs pairings, connections and their ends.
func (e *Extension) relayLog(format string, args ...any) {
	e.a.opts.Logf(format, args...)
	e.touch()
}

// touch asks for the status to be emitted; it never blocks.
func (e *Extension) touch() {
	select {
	case e.changed <- struct{}{}:
	default:
	}
}

// emitStatus emits the status each time it changed, until done.
func (e *Extension) emitStatus(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-e.changed:
			st, _ := e.Status()
			e.a.opts.Emit(EventExtension, st)
		}
	}
}

// onCall forwards a call of a recording in the browser to the window.
func (e *Extension) onCall(rec string, ev recorder.Event) {
	e.mu.Lock()
	u := ""
	if i := e.find(rec); i >= 0 {
		u = e.recs[i].URL
		if ev.Kind == recorder.CallStarted {
			e.recs[i].Calls++
		}
	}
	e.mu.Unlock()
	e.a.opts.Emit(EventBrowserCall, BrowserCall{Rec: rec, URL: u, Kind: ev.Kind, Call: ev.Call})
}

// onRecording keeps the list of recordings and tells the window.
func (e *Extension) onRecording(r backend.Recording) {
	br := BrowserRecording{Rec: r.Rec, URL: clipText(r.Tab, maxTabURL), Path: r.Path, Active: r.Active,
		Calls: r.Calls, OK: r.OK, Message: r.Message, Started: time.Now()}
	e.mu.Lock()
	if i := e.find(r.Rec); i >= 0 && !r.Active {
		br.Started = e.recs[i].Started
		e.recs[i] = br
	} else {
		e.recs = append(e.recs, br)
		if len(e.recs) > maxBrowserRecordings {
			e.recs = slices.Delete(e.recs, 0, len(e.recs)-maxBrowserRecordings)
		}
	}
	e.mu.Unlock()
	e.a.opts.Emit(EventBrowserRecording, br)
	e.touch()
}

// find returns the index of the newest active recording rec (the extension
// picks random ids), or -1, under e.mu.
func (e *Extension) find(rec string) int {
	for i := len(e.recs) - 1; i >= 0; i-- {
		if e.recs[i].Rec == rec && e.recs[i].Active {
			return i
		}
	}
	return -1
}

// clipText makes text from the browser at most max bytes of valid UTF-8.
func clipText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max] + "…"
}
