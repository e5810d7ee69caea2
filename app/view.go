package app

import (
	"bytes"
	"context"
	"image/jpeg"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ViewRect is where the live view sits in the window and its size, in CSS
// pixels. The page's viewport takes its size, so that a frame maps 1:1.
type ViewRect struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Frame is one screencast frame of the live page.
type Frame struct {
	Data   []byte `json:"data"` // JPEG; JSON carries it as base64
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// view is the tab the window shows: it streams the page as frames (paced
// to a frame rate, only while on) and answers the page's file choosers
// with a native dialog.
type view struct {
	tab      context.Context
	close    context.CancelFunc // nil when the tab belongs to a recorder
	emit     func(string, any)
	interval time.Duration
	choose   func(multiple bool) ([]string, error)
	logf     func(string, ...any)

	frames chan *page.EventScreencastFrame // the newest frame not yet sent

	mu   sync.Mutex
	on   bool
	size ViewRect
}

func newView(tab context.Context, close context.CancelFunc, a *App) (*view, error) {
	v := &view{
		tab: tab, close: close, emit: a.opts.Emit, interval: time.Second / time.Duration(a.opts.FPS),
		choose: a.opts.Dialogs.OpenFiles, logf: a.opts.Logf,
		frames: make(chan *page.EventScreencastFrame, 1),
	}
	if err := chromedp.Listen(tab, v.listen); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true}); err != nil {
		return nil, err
	}
	go v.send()
	return v, nil
}

// listen hands frames and file choosers to goroutines: a CDP listener must
// neither block nor call commands.
func (v *view) listen(ev any) {
	switch e := ev.(type) {
	case *page.EventScreencastFrame:
		select { // keep only the newest frame
		case <-v.frames:
		default:
		}
		v.frames <- e
	case *page.EventFileChooserOpened:
		go v.chooseFiles(e)
	}
}

// send emits frames, at most one an interval, and acknowledges each after
// the interval, which is what makes Chromium send the next.
func (v *view) send() {
	last := time.Time{}
	for {
		select {
		case <-v.tab.Done():
			return
		case f := <-v.frames:
			if wait := v.interval - time.Since(last); wait > 0 {
				select {
				case <-v.tab.Done():
					return
				case <-time.After(wait):
				}
			}
			last = time.Now()
			if v.current(f) {
				fr := Frame{Data: f.Data}
				if m := f.Metadata; m != nil {
					fr.Width, fr.Height = int(m.DeviceWidth), int(m.DeviceHeight)
				}
				v.emitLive(fr)
			}
			chromedp.Call(v.tab, page.ScreencastFrameAck, page.ScreencastFrameAckParams{SessionID: f.SessionID})
		}
	}
}

// current reports whether a frame shows the page at the view's size. A
// frame captured just before a resize has the old size (its metadata
// already tells the new one): shown in the resized view it would be
// stretched, and stay so until the page changes.
func (v *view) current(f *page.EventScreencastFrame) bool {
	v.mu.Lock()
	size := v.size
	v.mu.Unlock()
	img, err := jpeg.DecodeConfig(bytes.NewReader(f.Data))
	return err != nil || size.Width == 0 || img.Width == size.Width && img.Height == size.Height
}

// emitLive emits a frame unless the view is hidden, under the lock that
// setLive takes: no frame follows a SetLive(false), not even one that
// Chromium sent before the screencast stopped.
func (v *view) emitLive(fr Frame) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.on {
		v.emit(EventFrame, fr)
	}
}

// resize gives the page the view's size.
func (v *view) resize(r ViewRect) error {
	v.mu.Lock()
	v.size = r
	on := v.on
	v.mu.Unlock()
	_, err := chromedp.Call(v.tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(r.Width), Height: int64(r.Height), DeviceScaleFactor: 1,
	})
	if err == nil && on {
		// A new size needs a new screencast.
		if _, err = chromedp.Call(v.tab, page.StopScreencast, cdp.Empty{}); err == nil {
			err = v.startCast()
		}
	}
	return err
}

// setLive starts or stops the screencast.
func (v *view) setLive(on bool) error {
	v.mu.Lock()
	was := v.on
	v.on = on
	v.mu.Unlock()
	switch {
	case on && !was:
		return v.startCast()
	case !on && was:
		_, err := chromedp.Call(v.tab, page.StopScreencast, cdp.Empty{})
		return err
	}
	return nil
}

func (v *view) startCast() error {
	v.mu.Lock()
	r := v.size
	v.mu.Unlock()
	quality := int64(70)
	p := page.StartScreencastParams{Format: page.StartScreencastFormatJpeg, Quality: &quality}
	if r.Width > 0 && r.Height > 0 {
		p.MaxWidth, p.MaxHeight = int64(r.Width), int64(r.Height)
	}
	_, err := chromedp.Call(v.tab, page.StartScreencast, p)
	return err
}

// chooseFiles answers a file chooser the page opened with a native dialog.
func (v *view) chooseFiles(e *page.EventFileChooserOpened) {
	paths, err := v.choose(e.Mode == page.FileChooserOpenedModeSelectMultiple)
	if err != nil {
		v.logf("file dialog: %v", err)
		return
	}
	if len(paths) == 0 || e.BackendNodeID == 0 {
		return
	}
	_, err = chromedp.Call(v.tab, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: paths, BackendNodeID: e.BackendNodeID})
	if err != nil {
		v.logf("give the page %v: %v", paths, err)
	}
}
