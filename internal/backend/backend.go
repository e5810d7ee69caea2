// Package backend is the browser extension's backend: it turns what an
// authenticated extension relays (docs/extension-protocol.md) into
// recordings, each through the record lifecycle every face of gradiorec
// shares (internal/session: a journal, redaction, saving wherever there is
// room), and answers the side panel's requests for code, an export and a
// replay. `gradiorec serve` and the desktop app host it behind an
// internal/relay server.
package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/session"
	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Config says where and how the backend records.
type Config struct {
	// Dir is the folder recordings are saved in; it is made when missing.
	Dir string
	// Options are the recorder's, for every recording (tool, file size…).
	Options []recorder.Option
	// OpenTimeout bounds the wait, after the extension starts a recording,
	// for a Gradio app to load in the tab (default 2 minutes).
	OpenTimeout time.Duration
	// OnEvent sees the calls of the recordings the backend makes, redacted,
	// in order (the desktop app's timeline). It must not block.
	OnEvent func(rec string, ev recorder.Event)
	// OnRecording sees each recording start (Active) and end (saved, or
	// why not), after its last OnEvent (the desktop app's list of browser
	// recordings). It must not block.
	OnRecording func(r Recording)
	// Logf receives what the user should know: recordings started and
	// saved, messages refused. Text from the browser is escaped.
	Logf func(format string, args ...any)
}

// Recording is a recording of the backend as Config.OnRecording sees it.
// Tab is the extension's, unchecked.
type Recording struct {
	Rec     string // the extension's id for it, unique on its connection
	Tab     string // the tab's URL when it started
	Path    string // its file ("" when none could be named)
	Active  bool   // started, not yet stopped
	Calls   int    // the calls saved, once stopped
	OK      bool   // stopped and saved at Path
	Message string // once stopped: where its calls are, or why nothing was recorded
}

// Backend is a relay.Handler that records.
type Backend struct {
	cfg   Config
	mu    sync.Mutex
	recs  map[key]*entry
	names map[string]bool // the recording files given out
	done  sync.WaitGroup
}

// key names a recording: the extension's id for it, on its connection.
type key struct {
	peer *relay.Peer
	rec  string
}

// entry is one recording the extension started.
type entry struct {
	rec   string
	relay *recorder.Relay
	path  string
	tab   string // the tab's URL when it started

	mu     sync.Mutex
	sess   *session.Session // nil until the app opened
	active bool             // not yet stopped and saved
	calls  int
	failed bool // Feed refused a message: said once

	saved   chan struct{}  // closed once stopped
	stopped map[string]any // the stopped message, once saved
}

// New returns a backend; serve it with relay.Listen(relay.Options{Handler: b}).
func New(cfg Config) *Backend {
	if cfg.OpenTimeout <= 0 {
		cfg.OpenTimeout = 2 * time.Minute
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	return &Backend{cfg: cfg, recs: map[key]*entry{}, names: map[string]bool{}}
}

// Wait returns when every recording the backend made is stopped and saved
// (after the relay server closed, which ends them).
func (b *Backend) Wait() { b.done.Wait() }

// message is the fields of the messages the backend reads itself.
type message struct {
	Rec    string `json:"rec"`
	Reason string `json:"reason"`
	Req    int64  `json:"req"`
	Tab    struct {
		URL   string `json:"url"`
		Title string `json:"title"`
	} `json:"tab"`
	Lang    string `json:"lang"`
	Flavour string `json:"flavour"`
}

// validRec is what a recording id may be.
var validRec = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Message handles one message of an authenticated extension.
func (b *Backend) Message(p *relay.Peer, t string, raw []byte) {
	var m message
	if err := json.Unmarshal(raw, &m); err != nil {
		b.refuse(p, "", "malformed", fmt.Sprintf("a malformed %s message: %v", t, err))
		return
	}
	switch t {
	case "start":
		b.start(p, m)
	case "stop":
		if e := b.entry(p, m.Rec); e != nil {
			e.relay.End(m.Reason)
		} else if m.Reason == "worker-restarted" {
			b.restarted(p, m.Rec)
		}
	case "page", "requestSent", "responseReceived", "dataReceived", "loadingFinished", "loadingFailed":
		b.feed(p, m.Rec, raw)
	case "status", "code", "export", "replay":
		go b.request(p, t, m)
	case "pong":
	default:
		b.refuse(p, m.Rec, "unknown", fmt.Sprintf("unknown message %q: this gradiorec may be older than the extension", t))
	}
}

// Closed ends the recordings of a connection that went away; what they
// captured is saved.
func (b *Backend) Closed(p *relay.Peer, err error) {
	b.mu.Lock()
	var ended []*entry
	for k, e := range b.recs {
		if k.peer == p {
			ended = append(ended, e)
		}
	}
	b.mu.Unlock()
	for _, e := range ended {
		e.relay.End("disconnected")
	}
}

// restarted takes over a recording that a previous service worker of the
// same extension install started and lost when it restarted: its
// connection closed with it, which ended the recording and saved it. The
// new connection is told where (a stopped message) and may ask for its
// code, export and replay.
func (b *Backend) restarted(p *relay.Peer, rec string) {
	b.mu.Lock()
	var e *entry
	for k, x := range b.recs {
		if k.rec == rec && k.peer != p && k.peer.Install() == p.Install() {
			e = x
			break
		}
	}
	if e != nil {
		b.recs[key{p, rec}] = e
	}
	b.mu.Unlock()
	if e == nil {
		b.cfg.Logf("extension %s: its worker restarted and lost recording %s, which this gradiorec did not make (an earlier one may have: see its output)",
			term.Escape(p.Install()), term.Escape(rec))
		return
	}
	e.relay.End("worker-restarted") // when its connection is not closed yet
	go func() {
		<-e.saved
		e.mu.Lock()
		out := e.stopped
		e.mu.Unlock()
		b.cfg.Logf("recording %s: the extension restarted and lost it (worker-restarted); it ended with its connection: %s",
			e.rec, term.Escape(fmt.Sprint(out["message"])))
		_ = p.Send(out)
	}()
}

func (b *Backend) entry(p *relay.Peer, rec string) *entry {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.recs[key{p, rec}]
}

// refuse tells the extension (and the log) what was wrong.
func (b *Backend) refuse(p *relay.Peer, rec, code, msg string) {
	b.cfg.Logf("extension %s: %s", term.Escape(p.Install()), term.Escape(msg))
	out := map[string]any{"t": "error", "code": code, "message": msg}
	if rec != "" {
		out["rec"] = rec
	}
	_ = p.Send(out)
}

// feed hands a recording's message to its relay.
func (b *Backend) feed(p *relay.Peer, rec string, raw []byte) {
	e := b.entry(p, rec)
	if e == nil {
		b.refuse(p, rec, "unknown-recording", fmt.Sprintf("no recording %q: start it first", rec))
		return
	}
	if err := e.relay.Feed(raw); err != nil {
		e.mu.Lock()
		first := !e.failed
		e.failed = true
		e.mu.Unlock()
		b.cfg.Logf("recording %s: %s", rec, term.Escape(err.Error()))
		if first || errors.Is(err, recorder.ErrRelayTooLarge) {
			b.refuse(p, rec, "refused", err.Error())
		}
	}
}

// start begins a recording the extension started.
func (b *Backend) start(p *relay.Peer, m message) {
	if !validRec.MatchString(m.Rec) {
		b.refuse(p, "", "malformed", "a recording id is 1 to 64 letters, digits, - or _")
		return
	}
	e := &entry{rec: m.Rec, relay: recorder.NewRelay(), tab: m.Tab.URL, active: true, saved: make(chan struct{})}
	b.mu.Lock()
	if _, dup := b.recs[key{p, m.Rec}]; dup {
		b.mu.Unlock()
		b.refuse(p, m.Rec, "duplicate", fmt.Sprintf("recording %q exists already", m.Rec))
		return
	}
	b.recs[key{p, m.Rec}] = e
	b.mu.Unlock()

	path, err := b.newPath(m.Tab.URL)
	if err != nil {
		b.refuse(p, m.Rec, "save", err.Error())
		b.stopped(p, e, nil, err)
		return
	}
	e.path = path
	_ = p.Send(map[string]any{"t": "started", "rec": m.Rec, "path": path})
	if b.cfg.OnRecording != nil {
		b.cfg.OnRecording(Recording{Rec: e.rec, Tab: e.tab, Path: path, Active: true})
	}
	b.cfg.Logf("recording %s into %s", term.Escape(m.Tab.URL), path)
	b.done.Add(1)
	go b.record(p, e)
}

// record runs one recording from its opening to its save.
func (b *Backend) record(p *relay.Peer, e *entry) {
	defer b.done.Done()
	opts := append([]recorder.Option{}, b.cfg.Options...)
	opts = append(opts, recorder.WithRelay(e.relay), recorder.WithOnEvent(func(ev recorder.Event) {
		if ev.Kind == recorder.CallCompleted {
			e.mu.Lock()
			e.calls++
			e.mu.Unlock()
		}
		if b.cfg.OnEvent != nil {
			b.cfg.OnEvent(e.rec, ev)
		}
		_ = p.Send(map[string]any{"t": "call", "rec": e.rec, "kind": ev.Kind, "call": ev.Call})
	}))
	opening, cancel := context.WithTimeout(context.Background(), b.cfg.OpenTimeout)
	go func() { // the browser may end the recording before the app opens
		select {
		case <-e.relay.Ended():
			cancel()
		case <-opening.Done():
		}
	}()
	s, err := session.Start(opening, "", session.Config{
		Path: e.path, Interactive: true, Options: opts,
		OnFault: func(err error) {
			b.cfg.Logf("recording %s: %v", e.path, err)
			_ = p.Send(map[string]any{"t": "error", "rec": e.rec, "code": "journal", "message": err.Error()})
		},
	})
	cancel()
	if err != nil {
		if e.relay.Reason() != "" {
			err = fmt.Errorf("the recording ended (%s) before a Gradio app loaded in the tab: nothing was recorded", e.relay.Reason())
		} else if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no Gradio app loaded in the tab within %s: nothing was recorded; open the app's page, then Record", b.cfg.OpenTimeout)
		}
		b.stopped(p, e, nil, err)
		return
	}
	e.mu.Lock()
	e.sess = s
	e.mu.Unlock()
	<-s.Context().Done()
	saved, err := s.Stop()
	b.stopped(p, e, saved, err)
}

// stopped reports a recording's end to the extension and the log.
func (b *Backend) stopped(p *relay.Peer, e *entry, saved *recording.Recording, err error) {
	e.mu.Lock()
	e.active = false
	e.mu.Unlock()
	calls := 0
	if saved != nil {
		calls = len(saved.Calls)
	}
	msg := session.Where(e.path, err)
	if saved == nil && err != nil {
		msg = err.Error()
	}
	b.cfg.Logf("recording %s ended (%s): %d calls %s", e.rec, term.Escape(e.relay.Reason()), calls, term.Escape(msg))
	out := map[string]any{"t": "stopped", "rec": e.rec, "path": e.path, "calls": calls, "ok": err == nil, "message": msg}
	e.mu.Lock()
	e.stopped = out
	e.mu.Unlock()
	close(e.saved)
	_ = p.Send(out)
	if b.cfg.OnRecording != nil {
		b.cfg.OnRecording(Recording{Rec: e.rec, Tab: e.tab, Path: e.path, Calls: calls, OK: err == nil, Message: msg})
	}
}

// newPath names a new recording file in Dir after the tab's host and the
// time, never an existing one nor one given to another recording.
func (b *Backend) newPath(tabURL string) (string, error) {
	if err := os.MkdirAll(b.cfg.Dir, 0o755); err != nil {
		return "", fmt.Errorf("make the recordings folder: %w", err)
	}
	host := "app"
	if u, err := url.Parse(tabURL); err == nil && u.Hostname() != "" {
		host = safeName.ReplaceAllString(strings.ToLower(u.Hostname()), "-")
		if len(host) > 60 {
			host = host[:60]
		}
		if host = strings.Trim(host, ".-"); host == "" {
			host = "app"
		}
	}
	base := host + "-" + time.Now().Format("20060102-150405")
	for i := 1; i < 1000; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		path := filepath.Join(b.cfg.Dir, name+".json")
		b.mu.Lock()
		free := !b.names[path] && !taken(path) && !taken(recording.JournalPath(path)) && !taken(recording.FilesDir(path))
		if free {
			b.names[path] = true // until the journal exists: two recordings in one second
		}
		b.mu.Unlock()
		if free {
			return path, nil
		}
	}
	return "", fmt.Errorf("no free recording name in %s", b.cfg.Dir)
}

var safeName = regexp.MustCompile(`[^a-z0-9.]+`)

func taken(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
