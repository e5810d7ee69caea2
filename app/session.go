package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/session"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/internal/watch"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Session is the live app: opening it, recording it, and the person's input
// to its page.
type Session struct{ a *App }

var (
	errNotRecording = errors.New("nothing is being recorded")
	errNoView       = errors.New("no app is open: type its URL and press Open or Record")
)

// openTimeout bounds loading an app's page.
const openTimeout = 60 * time.Second

// State returns where the window stands.
func (s *Session) State() State { return s.a.getState() }

// Open shows the app at rawURL in the live view, without recording it.
func (s *Session) Open(rawURL string) (State, error) {
	a := s.a
	u, err := appURL(rawURL)
	if err != nil {
		return s.State(), err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rec != nil {
		return a.getState(), errors.New("a recording is in progress: press Stop first")
	}
	a.closeView()
	a.setState(func(st *State) { *st = State{Mode: Opening, URL: u} })
	if err := a.ensureBrowser(); err != nil {
		return a.fail(Empty, u, openFault(u, err))
	}
	tab, closeTab, err := a.browser.Tab(a.rect.Width, a.rect.Height)
	if err != nil {
		return a.fail(Empty, u, openFault(u, err))
	}
	title, err := loadGradio(tab, u)
	if err != nil {
		closeTab()
		return a.fail(Empty, u, openFault(u, err))
	}
	if err := a.show(tab, closeTab); err != nil {
		closeTab()
		return a.fail(Empty, u, openFault(u, err))
	}
	a.remember(u)
	a.doc, a.docSecrets = nil, nil
	return a.setState(func(st *State) { *st = State{Mode: Browsing, URL: u, Title: title} }), nil
}

// loadGradio navigates tab to u and checks that the page is a Gradio app,
// returning its title.
func loadGradio(tab context.Context, u string) (string, error) {
	ctx, cancel := context.WithTimeout(tab, openTimeout)
	defer cancel()
	var title string
	var gradio bool
	err := chromedp.Do(ctx, chromedp.Navigate(u))
	if err == nil {
		gradio, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(window.gradio_config || document.querySelector("gradio-app"))`))
	}
	if err == nil {
		title, err = chromedp.Run(ctx, chromedp.Title())
	}
	switch {
	case err != nil && strings.Contains(err.Error(), "net::ERR_"):
		return "", fmt.Errorf("open %s: %w: %w", u, recorder.ErrUnreachable, err)
	case err != nil:
		return "", fmt.Errorf("open %s: %w", u, err)
	case !gradio:
		return "", fmt.Errorf("open %s: %w (the page has no Gradio app)", u, recorder.ErrNotGradio)
	}
	return title, nil
}

// Record starts recording the app at rawURL ("" for the one open now) in a
// fresh tab. The calls are journaled in the autosave folder as they happen.
func (s *Session) Record(rawURL string) (State, error) {
	a := s.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if rawURL == "" {
		rawURL = a.getState().URL
	}
	u, err := appURL(rawURL)
	if err != nil {
		return a.getState(), err
	}
	if a.rec != nil {
		return a.getState(), errors.New("already recording: press Stop first")
	}
	a.closeView()
	a.setState(func(st *State) { *st = State{Mode: Opening, URL: u} })
	if err := a.ensureBrowser(); err != nil {
		return a.fail(Empty, u, openFault(u, err))
	}
	path, err := a.autosavePath()
	if err != nil {
		return a.fail(Empty, u, fileFault(FaultSave, path, err))
	}
	ctx, cancel := context.WithTimeout(a.ctx, openTimeout)
	defer cancel()
	live, err := session.Start(ctx, u, session.Config{
		Path: path,
		Options: []recorder.Option{
			recorder.WithBrowser(a.browser),
			recorder.WithViewport(a.rect.Width, a.rect.Height),
			recorder.WithTool("gradiorec " + version.Version),
			recorder.WithLogf(a.opts.Logf),
			recorder.WithOnEvent(a.onCall),
		},
		OnFault: a.journalFault,
	})
	if err != nil {
		return a.fail(Empty, u, openFault(u, err))
	}
	rec := live.Recorder()
	title, _ := chromedp.Run(rec.Tab(), chromedp.Title())
	if err := a.show(rec.Tab(), nil); err != nil {
		live.Stop()
		return a.fail(Empty, u, openFault(u, err))
	}
	a.rec, a.live, a.doc, a.docSecrets = rec, live, nil, nil
	a.remember(u)
	a.watch(live)
	return a.setState(func(st *State) { *st = State{Mode: Recording, URL: u, Title: title, Path: path} }), nil
}

// onCall forwards the recorder's events to the window.
func (a *App) onCall(ev recorder.Event) {
	a.opts.Emit(EventCall, CallEvent{Kind: ev.Kind, Call: ev.Call})
	if ev.Kind == recorder.CallStarted {
		a.setState(func(st *State) { st.Calls++ })
	}
}

// journalFault shows at once that the journal could not be written: the
// calls stay in memory until Stop saves them.
func (a *App) journalFault(err error) {
	a.setState(func(st *State) {
		st.Fault = &Fault{Kind: FaultSave, Title: "Could not write the autosave journal", Detail: err.Error(),
			Hint: "Recording goes on with the calls in memory. Free some space, then press Stop: " +
				"they are saved in the autosave folder, or in " + strings.Join(recorder.RescueDirs(), " or ") + " if it is full."}
	})
}

// watch ends the recording when the app or the browser goes away.
func (a *App) watch(live *session.Session) {
	go func() {
		<-live.Context().Done()
		if why := live.Why(); why != nil {
			a.ended(live.Recorder(), why)
		}
	}()
}

// ended stops a recording that ended on its own, keeping what it holds.
func (a *App) ended(rec *recorder.Recorder, why *watch.End) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rec != rec {
		return // stopped meanwhile
	}
	doc, err := a.stop()
	st := a.getState()
	fault := endFault(why, st.Calls, session.Where(st.Path, err))
	if why.Of != watch.TheApp && a.browser != nil {
		a.browser.Close() // a new Record starts a new one
		a.browser = nil
	}
	a.setState(func(st *State) {
		st.Mode, st.Fault = Stopped, fault
		if doc != nil {
			st.Calls = len(doc.Calls)
		}
	})
}

// Stop ends the recording and saves it to its autosave file.
func (s *Session) Stop() (State, error) {
	a := s.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rec == nil {
		return a.getState(), errNotRecording
	}
	doc, err := a.stop()
	if err != nil {
		return a.setState(func(st *State) {
			st.Mode, st.Fault = Stopped, fileFault(FaultSave, st.Path, err)
		}), err
	}
	return a.setState(func(st *State) { st.Mode, st.Calls, st.Fault = Stopped, len(doc.Calls), nil }), nil
}

// stop ends the recorder under a.mu. The recording it saved becomes the
// document; when the save failed, the journal keeps the calls.
func (a *App) stop() (*recording.Recording, error) {
	live := a.live
	a.rec, a.live = nil, nil
	a.view = nil // Stop closes the recorder's tab
	doc, err := live.Stop()
	if doc != nil {
		a.doc = doc
	}
	return doc, err
}

// Calls returns the calls recorded so far: none before a recording.
func (s *Session) Calls() ([]recording.Call, error) {
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	rec, err := s.a.current()
	if err != nil {
		return []recording.Call{}, nil
	}
	return rec.Calls, nil
}

// Recording returns the whole recording the window shows.
func (s *Session) Recording() (*recording.Recording, error) {
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	return s.a.current()
}

// Resize tells where the view is and gives the page its size.
func (s *Session) Resize(r ViewRect) error {
	if r.Width < 200 || r.Height < 150 {
		return fmt.Errorf("view size %dx%d is too small (at least 200x150)", r.Width, r.Height)
	}
	a := s.a
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rect = r
	a.opts.Logf("live view: %dx%d at (%d,%d)", r.Width, r.Height, r.X, r.Y)
	if a.view == nil {
		return nil
	}
	return a.view.resize(r)
}

// SetLive starts or pauses the screencast, as the view shows or hides.
func (s *Session) SetLive(on bool) error {
	a := s.a
	a.mu.Lock()
	defer a.mu.Unlock()
	a.hidden = !on
	if a.view == nil {
		return nil
	}
	return a.view.setLive(on)
}

// Mouse sends a mouse event to the page.
func (s *Session) Mouse(m MouseInput) error {
	v, err := s.view()
	if err != nil {
		return err
	}
	return v.mouse(m)
}

// Wheel scrolls the page at (x, y).
func (s *Session) Wheel(x, y, dx, dy float64) error {
	v, err := s.view()
	if err != nil {
		return err
	}
	return v.wheel(x, y, dx, dy)
}

// Key sends a key event to the page.
func (s *Session) Key(k KeyInput) error {
	v, err := s.view()
	if err != nil {
		return err
	}
	return v.key(k)
}

func (s *Session) view() (*view, error) {
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	if s.a.view == nil {
		return nil, errNoView
	}
	return s.a.view, nil
}

// ensureBrowser starts Chromium unless it runs, under a.mu.
func (a *App) ensureBrowser() error {
	if a.browser != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(a.ctx, openTimeout)
	defer cancel()
	b, err := recorder.NewBrowser(ctx, recorder.WithExecPath(a.opts.Chromium))
	if err != nil {
		return err
	}
	a.browser = b
	return nil
}

// show makes tab the live view, under a.mu.
func (a *App) show(tab context.Context, closeTab context.CancelFunc) error {
	v, err := newView(tab, closeTab, a)
	if err != nil {
		return err
	}
	if err := v.resize(a.rect); err != nil {
		return err
	}
	a.view = v
	if !a.hidden {
		return v.setLive(true)
	}
	return nil
}

// closeView closes the tab shown unless it is a recorder's, under a.mu.
func (a *App) closeView() {
	if a.view != nil && a.view.close != nil {
		a.view.close()
	}
	a.view = nil
}

// fail records a fault under a.mu and returns it as the error.
func (a *App) fail(mode Mode, u string, f *Fault) (State, error) {
	return a.setState(func(st *State) { *st = State{Mode: mode, URL: u, Fault: f} }), f
}

// autosavePath is a new recording file in the autosave folder.
func (a *App) autosavePath() (string, error) {
	dir := filepath.Join(a.dataDir(), "autosave")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return dir, err
	}
	name := time.Now().UTC().Format("20060102-150405.000")
	return filepath.Join(dir, strings.Replace(name, ".", "-", 1)+".json"), nil
}

// appURL checks a URL typed in the URL bar, adding http:// when it has no
// scheme.
func appURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("type the URL of a running Gradio app first, for example http://127.0.0.1:7860")
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%q is not an app's URL: give one like http://127.0.0.1:7860", raw)
	}
	return u.String(), nil
}
