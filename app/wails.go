package app

import (
	"context"
	"os"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// wailsEmit sends events to the window through the Wails runtime.
func wailsEmit(ctx context.Context) func(string, any) {
	return func(name string, data any) { runtime.EventsEmit(ctx, name, data) }
}

// wailsOnDrop calls drop with the paths of the files dropped on the window
// (main.go enables file drops).
func wailsOnDrop(ctx context.Context, drop func(paths []string)) {
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) { drop(paths) })
}

// wailsDialogs are the native dialogs of the Wails runtime (GTK's on Linux).
type wailsDialogs struct{ ctx context.Context }

var (
	recordingFilter = []runtime.FileFilter{{DisplayName: "Recordings (*.json)", Pattern: "*.json"}}
	openFilter      = []runtime.FileFilter{
		{DisplayName: "Recordings and HAR files (*.json, *.har, *.zip)", Pattern: "*.json;*.har;*.zip"},
		{DisplayName: "HAR files (*.har, Playwright's *.zip)", Pattern: "*.har;*.zip"},
	}
	harFilter = []runtime.FileFilter{{DisplayName: "HAR files (*.har)", Pattern: "*.har"}}
)

func (d wailsDialogs) OpenFiles(multiple bool) ([]string, error) {
	opts := runtime.OpenDialogOptions{Title: "Choose the file to give the app"}
	if multiple {
		return runtime.OpenMultipleFilesDialog(d.ctx, opts)
	}
	path, err := runtime.OpenFileDialog(d.ctx, opts)
	if path == "" || err != nil {
		return nil, err
	}
	return []string{path}, nil
}

func (d wailsDialogs) OpenRecording() (string, error) {
	return runtime.OpenFileDialog(d.ctx, runtime.OpenDialogOptions{Title: "Open a recording or a HAR file", Filters: openFilter})
}

func (d wailsDialogs) SaveRecording(name string) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{
		Title: "Save the recording", DefaultFilename: name, Filters: recordingFilter,
		CanCreateDirectories: true,
	})
}

func (d wailsDialogs) SaveHAR(name string) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{
		Title: "Export the recording as a HAR file", DefaultFilename: name, Filters: harFilter,
		CanCreateDirectories: true,
	})
}

func (d wailsDialogs) Folder(title string) (string, error) {
	// GTK's chooser opens on Recent otherwise, where a typed folder cannot be chosen.
	home, _ := os.UserHomeDir()
	return runtime.OpenDirectoryDialog(d.ctx, runtime.OpenDialogOptions{Title: title, DefaultDirectory: home, CanCreateDirectories: true})
}
