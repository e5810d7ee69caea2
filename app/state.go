package app

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/watch"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Mode is what the window is doing.
type Mode string

// The modes of State.
const (
	Empty     Mode = "empty"     // nothing open yet
	Opening   Mode = "opening"   // an app is loading in the live view
	Browsing  Mode = "browsing"  // an app is open, not recorded
	Recording Mode = "recording" // an app is open and recorded
	Stopped   Mode = "stopped"   // a recording ended in this window
	Loaded    Mode = "loaded"    // a recording was opened from disk
)

// State is where the window stands; every change is emitted as EventState.
type State struct {
	Mode  Mode   `json:"mode"`
	URL   string `json:"url"`   // the app's URL, "" when empty
	Title string `json:"title"` // the app's title, when known
	Path  string `json:"path"`  // the recording's file, "" for none
	Saved bool   `json:"saved"` // false while it exists only in the autosave folder
	Calls int    `json:"calls"` // calls in the recording
	Fault *Fault `json:"fault,omitempty"`
}

// FaultKind names a kind of Fault, for the window to choose its words and
// actions.
type FaultKind string

// The kinds of Fault.
const (
	FaultNotGradio       FaultKind = "not-gradio"
	FaultUnreachable     FaultKind = "unreachable"
	FaultLogin           FaultKind = "login"
	FaultAppGone         FaultKind = "app-gone"
	FaultChromiumMissing FaultKind = "chromium-missing"
	FaultChromiumCrashed FaultKind = "chromium-crashed"
	FaultSave            FaultKind = "save"
	FaultLoad            FaultKind = "load"
	FaultExport          FaultKind = "export"
	FaultReplay          FaultKind = "replay"
	FaultInternal        FaultKind = "internal"
)

// Fault is something that went wrong, told the way the window shows it:
// what happened, the error, and what to do.
type Fault struct {
	Kind   FaultKind `json:"kind"`
	Title  string    `json:"title"`
	Detail string    `json:"detail"`
	Hint   string    `json:"hint"`
}

// Error makes a Fault the error a service returns, so that the promise the
// frontend awaits is rejected with the title.
func (f *Fault) Error() string { return f.Title + ": " + f.Detail }

// openFault explains why an app could not be opened or recorded.
func openFault(url string, err error) *Fault {
	f := &Fault{Kind: FaultInternal, Title: "Could not open " + url, Detail: err.Error(),
		Hint: "Check the URL and try again."}
	switch {
	case errors.Is(err, recorder.ErrNotGradio):
		f.Kind, f.Title = FaultNotGradio, url+" is not a Gradio app"
		f.Hint = "Give the address of a running Gradio app, the one its launch() prints (for example http://127.0.0.1:7860)."
	case errors.Is(err, recorder.ErrUnreachable):
		f.Kind, f.Title = FaultUnreachable, url+" does not answer"
		f.Hint = "Start the app (python app.py) and check the host and port, then try again."
	case errors.Is(err, recorder.ErrLoginRequired), errors.Is(err, recorder.ErrLoginFailed):
		f.Kind, f.Title = FaultLogin, url+" needs a login"
		f.Hint = "Record apps with a login from the command line: gradiorec record --user NAME --password-env VAR."
	case errors.Is(err, recorder.ErrNoChromium):
		f.Kind, f.Title = FaultChromiumMissing, "Chromium is not installed"
		f.Hint = "Install it (Debian: apt-get install chromium) or set GRADIOREC_CHROMIUM to its path, then try again."
	}
	return f
}

// endFault explains why a recording ended on its own.
func endFault(end *watch.End, calls int, where string) *Fault {
	kept := fmt.Sprintf("The %d calls recorded until then: %s.", calls, where)
	switch end.Of {
	case watch.TheApp:
		return &Fault{Kind: FaultAppGone, Title: "The app went away while recording", Detail: end.Msg,
			Hint: kept + " Start the app again and press Record to go on, or Save what you have."}
	default:
		return &Fault{Kind: FaultChromiumCrashed, Title: "The browser showing the app ended", Detail: end.Msg,
			Hint: kept + " Press Record to start it again."}
	}
}

// fileFault explains a failed save, load or export.
func fileFault(kind FaultKind, path string, err error) *Fault {
	f := &Fault{Kind: kind, Detail: err.Error()}
	switch kind {
	case FaultSave:
		f.Title, f.Hint = "Could not save "+path, "Choose another folder (Save As); the recording stays open and in the autosave folder."
	case FaultExport:
		f.Title, f.Hint = "Could not export to "+path, "Choose a folder you can write to."
		if errors.Is(err, codegen.ErrNotEmpty) {
			f.Hint = "Choose a new or empty folder: an export never overwrites files that are already there."
		}
	default:
		f.Title = "Could not open " + path
		f.Hint = "Open a recording that gradiorec saved (a .json file beside its .files folder), or a HAR file saved with content (.har, or Playwright's .zip)."
		var uv *recording.UnknownVersionError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			f.Hint = "The file is not there any more; choose another."
		case errors.As(err, &uv):
			f.Hint = "It was saved by a newer gradiorec; update this one."
		}
	}
	return f
}
