package recorder

import (
	"context"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// Option configures New and NewBrowser. Options that concern the browser
// (WithExecPath, WithShowBrowser, WithProfileDir) apply when New starts a
// browser of its own and to NewBrowser; with WithBrowser the browser is
// already running.
type Option func(*settings)

// settings are the options with their defaults applied.
type settings struct {
	execPath    string
	show        bool
	profileDir  string
	browser     *Browser
	width       int64
	height      int64
	user        string
	password    string
	onEvent     func(Event)
	settle      time.Duration
	maxFileSize int64
	tool        string
	stopGrace   time.Duration
	logf        func(format string, args ...any)
	journalPath string
	journalOpts []recording.Option
	secrets     []recording.Secret
	onFault     func(error)
	relay       *Relay
	via         Attach
	extension   string
	target      string   // WithTab
	options     []Option // all of them, for NewBrowser
}

func newSettings(opts []Option) settings {
	s := settings{
		width:       1280,
		height:      800,
		settle:      DefaultSettle,
		maxFileSize: DefaultMaxFileSize,
		tool:        "gradiorec",
		stopGrace:   10 * time.Second,
		logf:        func(string, ...any) {},
	}
	for _, o := range opts {
		o(&s)
	}
	s.options = opts
	return s
}

// DefaultSettle is how long WaitIdle waits, by default, for a call to
// follow the last one (a .then chain starts its next call right after the
// previous one completes).
const DefaultSettle = 500 * time.Millisecond

// DefaultMaxFileSize is the size above which an output file's bytes are
// not kept: it is listed by hash and size only (a recording.File with
// Stored false).
const DefaultMaxFileSize = 64 << 20

// WithExecPath runs the Chromium (or Chrome) executable at path. By default
// the GRADIOREC_CHROMIUM environment variable names it, else the first of
// /usr/bin/chromium, /usr/lib/chromium/chromium, chromium-browser, chromium,
// google-chrome and google-chrome-stable that exists.
func WithExecPath(path string) Option { return func(s *settings) { s.execPath = path } }

// WithShowBrowser shows the browser window instead of running headless. It
// needs a display.
func WithShowBrowser() Option { return func(s *settings) { s.show = true } }

// WithProfileDir keeps the browser profile (cookies, logins) in dir, which
// outlives the browser. By default a temporary profile is made and removed.
func WithProfileDir(dir string) Option { return func(s *settings) { s.profileDir = dir } }

// WithBrowser opens the app in a new tab of a running browser (with its own
// cookies and storage) instead of starting a browser. Stop closes the tab
// and leaves the browser running.
func WithBrowser(b *Browser) Option { return func(s *settings) { s.browser = b } }

// WithViewport sets the page's viewport size in CSS pixels; the default is
// 1280×800.
func WithViewport(width, height int) Option {
	return func(s *settings) { s.width, s.height = int64(width), int64(height) }
}

// WithLogin logs in to an app launched with auth=… using these credentials.
// They are used once, to log in, and never stored in the recording (the
// password is also redacted from the journal, see WithJournal).
func WithLogin(user, password string) Option {
	return func(s *settings) { s.user, s.password = user, password }
}

// WithOnEvent calls fn for every call started, updated and completed, in
// order, from a goroutine of the recorder's: a slow fn delays later events
// but never the capture. fn must not call Stop.
func WithOnEvent(fn func(Event)) Option { return func(s *settings) { s.onEvent = fn } }

// WithSettle sets how long WaitIdle waits for a next call after the last
// one ended; the default is DefaultSettle.
func WithSettle(d time.Duration) Option { return func(s *settings) { s.settle = d } }

// WithMaxFileSize sets the size above which an output file's bytes are not
// kept: the file is listed by its SHA-256 and size only (Stored false, in
// the journal too); the default is DefaultMaxFileSize. Uploaded and other
// input files are always kept.
func WithMaxFileSize(n int64) Option { return func(s *settings) { s.maxFileSize = n } }

// WithTool sets the recording's Tool field, e.g. "gradiorec v1.2.0"; the
// default is "gradiorec".
func WithTool(name string) Option { return func(s *settings) { s.tool = name } }

// WithLogf receives the recorder's diagnostics (what it could not capture
// and why); by default they are dropped.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(s *settings) { s.logf = logf }
}

// WithSecrets names values to keep out of everything the recorder gives
// and writes: the calls WithOnEvent delivers, Snapshot, the journal and the
// saved recording (see recording.Redacted). A named secret is written as
// "<redacted:NAME>", which generated code and replay read back from
// recording.SecretEnv(NAME). Besides these, the recorder treats as secrets
// the login password (WithLogin), the browser's cookies for the app, the
// values typed into password boxes, and inputs named or labelled like a
// password, token, secret or API key.
func WithSecrets(secrets ...recording.Secret) Option {
	return func(s *settings) { s.secrets = append(s.secrets, secrets...) }
}

// WithOnFault calls fn, once and at once, when the journal cannot be
// written (a full or read-only disk): the recording goes on, its calls
// kept in memory, and Stop saves them wherever it can (see Stop). fn runs
// on the recorder's event goroutine and must not block.
func WithOnFault(fn func(error)) Option { return func(s *settings) { s.onFault = fn } }

// WithJournal journals the recording as it is captured, so that a crash
// loses nothing that completed: New creates recording.JournalPath(path)
// (recording.CreateJournal, with opts such as recording.Redact) and the
// recorder appends sessions, fixture files and calls to it as they happen;
// Stop saves the recording at path and removes the journal. By default
// there is no journal and Stop returns the recording for the caller to save.
func WithJournal(path string, opts ...recording.Option) Option {
	return func(s *settings) { s.journalPath, s.journalOpts = path, opts }
}

// Attach has the browser extension record the tab whose DevTools target id
// it is given, and returns the Relay that the extension's messages about it
// feed (see WithVia).
type Attach func(ctx context.Context, targetID string) (*Relay, error)

// WithVia records through the browser extension instead of through
// DevTools: New opens a tab, calls attach with it before the page loads,
// then opens the app and logs in as usual, driving the tab; the calls, the
// app's config and its endpoint schema are what the extension relays. The
// browser must have the extension loaded (WithExtension).
func WithVia(attach Attach) Option { return func(s *settings) { s.via = attach } }

// WithRelay records what the extension relays from a tab of the user's
// own browser, which gradiorec does not drive: New waits for the relay's
// first Gradio page (bounded by its ctx) and opens no tab.
func WithRelay(r *Relay) Option { return func(s *settings) { s.relay = r } }

// WithExtension loads the unpacked browser extension in dir into the
// browser NewBrowser starts. Its tabs then share one browser context (an
// extension runs in the default one only), so cookies are shared between
// recorders of that browser.
func WithExtension(dir string) Option { return func(s *settings) { s.extension = dir } }

// WithTab records a tab that is open already in the browser (WithBrowser):
// the one whose DevTools target id is targetID, as it is, without loading
// it again (the url New is given is only checked against it). Stop
// detaches and leaves the tab open. Calls the page made before New are not
// in the recording. This is how `gradiorec record --attach` records a tab
// of the user's own Chromium.
func WithTab(targetID string) Option { return func(s *settings) { s.target = targetID } }
