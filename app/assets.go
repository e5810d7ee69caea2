package app

import (
	"bytes"
	"net/http"
	"strings"
	"time"
)

// fixturePrefix is where the asset server serves the recording's fixture
// files, for the previews of images and audio in the window.
const fixturePrefix = "/fixture/"

// Assets serves what the frontend's files do not: the fixture files of the
// recording shown, at /fixture/<name>.
func (a *App) Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		name, ok := strings.CutPrefix(req.URL.Path, fixturePrefix)
		if !ok || name == "" {
			http.NotFound(w, req)
			return
		}
		data, mime, err := a.fixture(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if mime != "" {
			w.Header().Set("Content-Type", mime)
		}
		// Names are content-addressed: the bytes of a name never change.
		w.Header().Set("Cache-Control", "max-age=31536000, immutable")
		http.ServeContent(w, req, name, time.Time{}, bytes.NewReader(data))
	})
}

// fixture returns a fixture's bytes and MIME type, from the live recorder
// or the recording shown.
func (a *App) fixture(name string) ([]byte, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rec != nil {
		// No MIME type: a snapshot of the whole recording for each preview
		// would cost more than ServeContent's guess from the name and bytes.
		if data, ok := a.rec.Fixture(name); ok {
			return data, "", nil
		}
	}
	rec, err := a.current()
	if err != nil {
		return nil, "", err
	}
	data, err := rec.FileBytes(name)
	if err != nil {
		return nil, "", err
	}
	return data, rec.File(name).MIMEType, nil
}
