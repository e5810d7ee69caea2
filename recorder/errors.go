package recorder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gradiorec/gradiorec/gradio"
)

// Errors New and NewBrowser return, wrapped with the details; test for them
// with errors.Is.
var (
	// ErrNoChromium: no Chromium or Chrome executable was found. The error
	// names the places tried and how to install Chromium.
	ErrNoChromium = errors.New("no Chromium found")
	// ErrUnreachable: the app's URL did not answer (connection refused,
	// unknown host, timeout).
	ErrUnreachable = errors.New("the app is unreachable")
	// ErrNotGradio: the page at the URL is not a Gradio app. It is the Go
	// client's sentinel, so one errors.Is test covers both.
	ErrNotGradio = gradio.ErrNotGradio
	// ErrLoginRequired: the app needs a login and no credentials were given
	// (see WithLogin).
	ErrLoginRequired = errors.New("the app needs a login")
	// ErrLoginFailed: the app refused the credentials given with WithLogin.
	ErrLoginFailed = errors.New("the app refused the login")
	// ErrStopped: the recorder was stopped.
	ErrStopped = errors.New("the recorder is stopped")
)

// JournalError is what WithOnFault reports: the journal could not be
// written. The recording goes on with its calls in memory.
type JournalError struct {
	Journal string // the journal's path
	Err     error
}

func (e *JournalError) Error() string {
	return fmt.Sprintf("could not write the journal %s (%v): recording goes on, "+
		"and the calls are kept in memory until it stops, when they are saved wherever there is room", e.Journal, e.Err)
}

func (e *JournalError) Unwrap() error { return e.Err }

// SaveError is Stop's error when the recording could not be saved where it
// was asked to be, or its journal failed on the way: it says where the calls
// are now. SavedTo and Journal are never both empty unless every save
// failed, and then the error says the calls are lost.
type SaveError struct {
	Path          string // where the recording was to be saved
	SavedTo       string // where every call was saved: Path, a rescue copy, or "" when no save worked
	Journal       string // a journal still on disk (it may hold only the calls before it failed), or ""
	JournalFailed bool   // the journal failed during the recording: it lacks the later calls
	Err           error  // the first failure
}

func (e *SaveError) Error() string {
	switch {
	case e.SavedTo == e.Path:
		return fmt.Sprintf("the journal failed during the recording (%v); every call was saved to %s", e.Err, e.Path)
	case e.SavedTo != "":
		return fmt.Sprintf("could not save %s (%v); every call was saved to %s instead", e.Path, e.Err, e.SavedTo)
	case e.Journal != "" && !e.JournalFailed:
		return fmt.Sprintf("could not save %s (%v); every call is kept in the journal %s", e.Path, e.Err, e.Journal)
	case e.Journal != "":
		return fmt.Sprintf("could not save %s (%v), nor a copy in %v; the journal %s keeps only the calls before it failed",
			e.Path, e.Err, RescueDirs(), e.Journal)
	}
	return fmt.Sprintf("could not save %s (%v), nor a copy in %v: the calls are lost", e.Path, e.Err, RescueDirs())
}

func (e *SaveError) Unwrap() error { return e.Err }

// RescueDirs are the folders Stop saves a recording in when its own folder
// takes nothing more: $XDG_DATA_HOME/gradiorec/rescue (default
// ~/.local/share/gradiorec/rescue), then the system's temporary folder.
func RescueDirs() []string {
	var dirs []string
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		dirs = append(dirs, filepath.Join(d, "gradiorec", "rescue"))
	} else if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "gradiorec", "rescue"))
	}
	return append(dirs, filepath.Join(os.TempDir(), "gradiorec-rescue"))
}
