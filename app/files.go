package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/har"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Files is recordings on disk: saving, opening, and those a crash left in
// the autosave folder.
type Files struct{ a *App }

// Unsaved is a recording left in the autosave folder.
type Unsaved struct {
	Path     string    `json:"path"`
	URL      string    `json:"url"`
	Calls    int       `json:"calls"`
	Modified time.Time `json:"modified"`
	Crashed  bool      `json:"crashed"` // only a journal is left: the window ended while recording
}

var errNothingToSave = errors.New("there is nothing to save yet: record an app first")

// Save saves the recording to its file, asking for one the first time
// (State.Path is unchanged when the person cancels).
func (f *Files) Save() (State, error) {
	if st := f.a.getState(); st.Saved && st.Path != "" {
		return f.SaveTo(st.Path)
	}
	return f.SaveAs()
}

// SaveAs asks where to save the recording and saves it there.
func (f *Files) SaveAs() (State, error) {
	st := f.a.getState()
	f.a.mu.Lock()
	err := f.a.saveable()
	f.a.mu.Unlock()
	if err != nil {
		return st, err
	}
	path, err := f.a.opts.Dialogs.SaveRecording(suggestedName(st))
	if err != nil || path == "" {
		return st, err
	}
	if filepath.Ext(path) == "" {
		path += ".json"
	}
	return f.SaveTo(path)
}

// SaveTo saves the recording at path (its fixtures in the folder beside
// it). A recording saved from the autosave folder leaves it.
func (f *Files) SaveTo(path string) (State, error) {
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.saveable(); err != nil {
		return a.getState(), err
	}
	old := a.getState().Path
	if err := recording.Save(path, a.doc, recording.RedactSecrets(a.docSecrets...)); err != nil {
		return a.fail(a.getState().Mode, a.getState().URL, fileFault(FaultSave, path, err))
	}
	if old != path && a.inAutosave(old) {
		removeRecording(old)
	}
	return a.setState(func(st *State) { st.Path, st.Saved, st.Fault = path, true, nil }), nil
}

// saveable says why the recording cannot be saved now, under a.mu.
func (a *App) saveable() error {
	switch {
	case a.rec != nil:
		return errors.New("a recording is in progress: press Stop first (it is journaled meanwhile)")
	case a.doc == nil:
		return errNothingToSave
	}
	return nil
}

// OpenRecording asks for a recording and opens it.
func (f *Files) OpenRecording() (State, error) {
	path, err := f.a.opts.Dialogs.OpenRecording()
	if err != nil || path == "" {
		return f.a.getState(), err
	}
	return f.Load(path)
}

// Load opens the recording at path.
func (f *Files) Load(path string) (State, error) {
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rec != nil {
		return a.getState(), errors.New("a recording is in progress: press Stop first")
	}
	if isHAR(path) {
		return f.importHAR(path)
	}
	doc, err := recording.Load(path)
	if err != nil {
		return a.fail(a.getState().Mode, a.getState().URL, fileFault(FaultLoad, path, err))
	}
	a.closeView()
	a.doc, a.docSecrets = doc, nil
	saved := !a.inAutosave(path)
	return a.setState(func(st *State) {
		*st = State{Mode: Loaded, URL: doc.App.URL, Path: path, Saved: saved, Calls: len(doc.Calls)}
	}), nil
}

// Drop opens the first of the files dropped on the window that is a
// recording or a HAR file.
func (f *Files) Drop(paths []string) (State, error) {
	for _, p := range paths {
		if ext := strings.ToLower(filepath.Ext(p)); ext == ".json" || isHAR(p) {
			return f.Load(p)
		}
	}
	a := f.a
	if len(paths) == 0 {
		return a.getState(), nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.fail(a.getState().Mode, a.getState().URL, fileFault(FaultLoad, paths[0], errors.New("it is not a recording (.json) or a HAR file (.har, .zip)")))
}

// isHAR reports whether a file to open is a HAR (or Playwright's .zip of one).
func isHAR(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".har" || ext == ".zip"
}

// importHAR opens a HAR as a new, unsaved recording (under a.mu): Save asks
// where to put it.
func (f *Files) importHAR(path string) (State, error) {
	a := f.a
	h, files, err := har.Open(path, 0)
	var im *recorder.HARImport
	if err == nil {
		im, err = recorder.ImportHAR(a.ctx, h, recorder.HAROptions{Files: files, Tool: "gradiorec-desktop " + version.Version})
	}
	if err != nil {
		return a.fail(a.getState().Mode, a.getState().URL, fileFault(FaultLoad, path, err))
	}
	for _, m := range im.Missing {
		a.opts.Logf("import %s: the HAR lacks the bytes of %s", path, m)
	}
	a.closeView()
	a.doc = im.Recording
	a.docSecrets = im.Secrets
	return a.setState(func(st *State) {
		*st = State{Mode: Loaded, URL: im.Recording.App.URL, Calls: len(im.Recording.Calls)}
	}), nil
}

// ExportHAR asks where to write the recording as a HAR file and writes it
// there; it returns the path, or "" when the person cancelled.
func (f *Files) ExportHAR() (string, error) {
	a := f.a
	a.mu.Lock()
	err := a.saveable()
	doc := a.doc
	a.mu.Unlock()
	if err != nil {
		return "", err
	}
	name := strings.TrimSuffix(suggestedName(a.getState()), ".json") + ".har"
	path, err := a.opts.Dialogs.SaveHAR(name)
	if err != nil || path == "" {
		return "", err
	}
	h, err := har.FromRecording(doc, har.Creator{Name: "gradiorec-desktop", Version: version.Version})
	if err != nil {
		return "", fmt.Errorf("export a HAR: %w", err)
	}
	if err := h.WriteFile(path); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// RecentURLs returns the apps opened or recorded before, newest first.
func (f *Files) RecentURLs() ([]string, error) {
	f.a.mu.Lock()
	defer f.a.mu.Unlock()
	return slices.Clone(f.a.recent), nil
}

// Unsaved lists the recordings in the autosave folder, newest first: those
// stopped but never saved, and the journals of windows that ended while
// recording.
func (f *Files) Unsaved() ([]Unsaved, error) {
	a := f.a
	dir := filepath.Join(a.dataDir(), "autosave")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list the autosave folder: %w", err)
	}
	a.mu.Lock()
	busy := ""
	if a.rec != nil {
		busy = a.getState().Path
	}
	a.mu.Unlock()
	var list []Unsaved
	for _, e := range entries {
		name := e.Name()
		doc := strings.TrimSuffix(name, ".journal")
		if filepath.Ext(doc) != ".json" {
			continue
		}
		path := filepath.Join(dir, doc)
		crashed := doc != name
		if path == busy || crashed && exists(path) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		u := Unsaved{Path: path, Modified: info.ModTime().UTC(), Crashed: crashed}
		var rec *recording.Recording
		if crashed {
			rec, err = recording.Recover(path)
		} else {
			rec, err = recording.Load(path)
		}
		if err != nil {
			a.opts.Logf("autosave %s: %v", path, err)
			continue
		}
		u.URL, u.Calls = rec.App.URL, len(rec.Calls)
		list = append(list, u)
	}
	slices.SortFunc(list, func(x, y Unsaved) int { return y.Modified.Compare(x.Modified) })
	return list, nil
}

// Recover opens a recording from the autosave folder, first turning a
// crashed window's journal into a recording.
func (f *Files) Recover(path string) (State, error) {
	a := f.a
	if !a.inAutosave(path) {
		return a.getState(), fmt.Errorf("%s is not in the autosave folder %s", path, filepath.Join(a.dataDir(), "autosave"))
	}
	if exists(recording.JournalPath(path)) && !exists(path) {
		rec, err := recording.Recover(path)
		if err == nil {
			err = recording.Save(path, rec)
		}
		if err != nil {
			return a.fail(a.getState().Mode, a.getState().URL, fileFault(FaultLoad, path, err))
		}
	}
	return f.Load(path)
}

func (a *App) inAutosave(path string) bool {
	return path != "" && filepath.Dir(path) == filepath.Join(a.dataDir(), "autosave")
}

// removeRecording removes a recording, its files folder and journal.
func removeRecording(path string) {
	os.Remove(path)
	os.Remove(recording.JournalPath(path))
	os.RemoveAll(recording.FilesDir(path))
}

// suggestedName is the file name Save As offers: the app's host and port.
func suggestedName(st State) string {
	name := strings.NewReplacer("http://", "", "https://", "", ":", "-", "/", "-").Replace(st.URL)
	name = strings.Trim(name, "-")
	if name == "" {
		name = "recording"
	}
	return name + ".json"
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
