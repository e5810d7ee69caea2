package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"github.com/gradiorec/gradiorec/internal/session"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Options configure New. The zero value is the desktop app as shipped.
type Options struct {
	// DataDir holds the autosave folder; default $XDG_DATA_HOME/gradiorec
	// (~/.local/share/gradiorec).
	DataDir string
	// ConfigDir holds the recent URLs; default $XDG_CONFIG_HOME/gradiorec
	// (~/.config/gradiorec).
	ConfigDir string
	// Chromium is the browser to run; default recorder.FindChromium's choice.
	Chromium string
	// Open is a recording to open at start (the command line's argument).
	Open string
	// Emit sends an event to the window; default the Wails runtime's.
	Emit func(name string, data any)
	// Dialogs are the native dialogs; default Wails'.
	Dialogs Dialogs
	// FPS caps the screencast's frame rate; default DefaultFPS.
	FPS int
	// Logf receives diagnostics; default none.
	Logf func(format string, args ...any)
	// ExtensionPort is the loopback port where the window hosts the browser
	// extension's backend; default relay.DefaultPort (gradiorec serve's),
	// -1 for none.
	ExtensionPort int
}

// DefaultFPS is the screencast's frame rate cap: smooth enough to use an app,
// and under a core of CPU while a chat reply streams.
const DefaultFPS = 12

// Dialogs are the native dialogs the services open. Each returns "" (or
// nothing) when the person cancels.
type Dialogs interface {
	OpenFiles(multiple bool) ([]string, error)
	OpenRecording() (string, error)
	SaveRecording(name string) (string, error)
	SaveHAR(name string) (string, error)
	Folder(title string) (string, error)
}

// The events the app emits (see docs/desktop.md).
const (
	EventState  = "state"  // State
	EventCall   = "call"   // CallEvent
	EventFrame  = "frame"  // Frame
	EventReplay = "replay" // replay.CallResult
	// EventExtension, EventBrowserCall and EventBrowserRecording: extension.go.
)

// CallEvent tells the window about a call of the recording.
type CallEvent struct {
	Kind recorder.EventKind `json:"kind"`
	Call recording.Call     `json:"call"`
}

// App holds the desktop app's services and what they share: the browser,
// the live view and the recording. Its methods are safe for concurrent use.
type App struct {
	Session   *Session
	Files     *Files
	Code      *Code
	Replay    *Replay
	Extension *Extension

	opts Options
	ctx  context.Context // the window's; Startup sets it
	quit context.CancelFunc

	stateMu sync.Mutex // a leaf lock: the recorder's events take it while Stop holds mu
	state   State

	mu      sync.Mutex
	browser *recorder.Browser
	view    *view                // the tab shown, nil when none
	rec     *recorder.Recorder   // while recording
	doc     *recording.Recording // once stopped or loaded
	// docSecrets are what an imported HAR's page sent (cookies, a login):
	// saving the doc redacts them from its fixtures too.
	docSecrets []recording.Secret
	rect       ViewRect
	hidden     bool             // the window asked to pause the screencast
	live       *session.Session // while recording: its lifecycle
	recent     []string
}

// New returns the desktop app's services, not yet started.
func New(opts Options) *App {
	if opts.FPS <= 0 {
		opts.FPS = DefaultFPS
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	a := &App{opts: opts, state: State{Mode: Empty}, rect: ViewRect{Width: 1024, Height: 720}}
	a.Session, a.Files, a.Code, a.Replay = &Session{a}, &Files{a}, &Code{a}, &Replay{a}
	a.Extension = newExtension(a)
	a.ctx, a.quit = context.WithCancel(context.Background())
	return a
}

// Startup receives the window's context; Wails calls it once the window
// exists. It fills in the Wails defaults of Options, starts the browser
// extension's backend (a busy port is told in its status, not fatal) and
// opens Options.Open.
func (a *App) Startup(ctx context.Context) {
	if a.opts.Emit == nil {
		a.opts.Emit = wailsEmit(ctx)
	}
	if a.opts.Dialogs == nil {
		a.opts.Dialogs = wailsDialogs{ctx}
	}
	wailsOnDrop(ctx, func(paths []string) {
		if _, err := a.Files.Drop(paths); err != nil {
			a.opts.Logf("drop %v: %v", paths, err)
		}
	})
	a.start(ctx)
}

// start is Startup without the Wails defaults, for tests.
func (a *App) start(ctx context.Context) {
	if a.opts.Emit == nil {
		a.opts.Emit = func(string, any) {}
	}
	a.ctx, a.quit = context.WithCancel(ctx)
	a.recent = loadRecent(a.configDir())
	go a.Extension.emitStatus(a.ctx.Done())
	a.Extension.mu.Lock()
	a.Extension.listen()
	a.Extension.mu.Unlock()
	a.Extension.touch()
	if a.opts.Open != "" {
		if _, err := a.Files.Load(a.opts.Open); err != nil {
			a.opts.Logf("open %s: %v", a.opts.Open, err)
		}
	}
}

// Shutdown stops a recording in progress (it is saved in the autosave
// folder) and those of the browser extension (saved in their folder), and
// ends the browser; Wails calls it as the window closes.
func (a *App) Shutdown(context.Context) {
	if _, err := a.Session.Stop(); err != nil && !errors.Is(err, errNotRecording) {
		a.opts.Logf("stop: %v", err)
	}
	a.Extension.close()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closeView()
	if a.browser != nil {
		a.browser.Close()
		a.browser = nil
	}
	a.quit()
}

// Services returns the structs whose exported methods the frontend may call.
func (a *App) Services() []any { return []any{a.Session, a.Files, a.Code, a.Replay, a.Extension} }

// Version returns gradiorec's version.
func (a *App) Version() string { return version.Version }

// setState changes the state and emits it.
func (a *App) setState(change func(*State)) State {
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	change(&a.state)
	a.opts.Emit(EventState, a.state)
	return a.state
}

// getState returns the state.
func (a *App) getState() State {
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	return a.state
}

// current returns the recording the window shows: the live one while
// recording, else the stopped or loaded one.
func (a *App) current() (*recording.Recording, error) {
	switch {
	case a.rec != nil:
		return a.rec.Snapshot(), nil
	case a.doc != nil:
		return a.doc, nil
	}
	return nil, errors.New("there is no recording yet: type an app's URL and press Record, or open a saved recording")
}

func (a *App) dataDir() string {
	if a.opts.DataDir != "" {
		return a.opts.DataDir
	}
	return xdgDir("XDG_DATA_HOME", ".local/share")
}

func (a *App) configDir() string {
	if a.opts.ConfigDir != "" {
		return a.opts.ConfigDir
	}
	return xdgDir("XDG_CONFIG_HOME", ".config")
}

// xdgDir is the gradiorec folder under an XDG base directory.
func xdgDir(env, fallback string) string {
	if d := os.Getenv(env); filepath.IsAbs(d) {
		return filepath.Join(d, "gradiorec")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	return filepath.Join(home, filepath.FromSlash(fallback), "gradiorec")
}
