package recording_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// app is a one-endpoint app: an image filter at /invert.
var app = recording.App{
	URL:       "http://127.0.0.1:7860/",
	Root:      "http://127.0.0.1:7860",
	APIPrefix: "/gradio_api",
	Version:   "6.31.0",
	Protocol:  "sse_v3",
	Endpoints: []recording.Endpoint{{
		FnIndex: 0, APIName: "/invert", Visibility: recording.Public, BackendFn: true, Queue: true,
		Inputs:  []recording.Component{{ID: 1, Type: "image", Label: "Image"}},
		Outputs: []recording.Component{{ID: 2, Type: "image", Label: "Inverted"}},
	}},
}

// fileData is the FileData value a page sends for an uploaded fixture.
func fileData(f recording.File) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"path":      "/tmp/gradio/upload/" + f.OrigName,
		"orig_name": f.OrigName,
		"meta":      map[string]string{"_type": "gradio.FileData"},
		"fixture":   f.Name,
	})
	return b
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func Example() {
	dir, err := os.MkdirTemp("", "gradiorec-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.json")

	// Build a recording in memory: one call that uploaded a file.
	rec := &recording.Recording{
		Created:  time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		Tool:     "gradiorec example",
		App:      app,
		Sessions: []recording.Session{{ID: "s1", Hash: "k3f9x2q8w1z"}},
	}
	cat := rec.AddFile([]byte("\x89PNG a cat"), "cat.png", "image/png", recording.RoleInput)
	rec.Calls = append(rec.Calls, recording.Call{
		ID: 1, Session: "s1", FnIndex: 0, APIName: "/invert", Via: recording.ViaQueue,
		Inputs:  []recording.Arg{{Name: "image", Value: fileData(cat)}},
		Data:    []json.RawMessage{fileData(cat)},
		Status:  recording.Completed,
		Outputs: []json.RawMessage{json.RawMessage(`"done"`)},
		Started: rec.Created.Add(time.Second), Duration: 0.4,
	})

	// Save writes session.json and session.files/<sha256>/cat.png.
	if err := recording.Save(path, rec); err != nil {
		log.Fatal(err)
	}

	loaded, err := recording.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range loaded.SessionCalls("s1") {
		fmt.Printf("call %d %s %s (%s)\n", c.ID, c.APIName, c.Status, loaded.Endpoint(c.FnIndex).Visibility)
		for fd := range c.FileDatas() {
			data, err := loaded.FileBytes(fd.Fixture)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("  %s: %s, %d bytes\n", fd.Pointer, fd.OrigName, len(data))
		}
	}
	// Output:
	// call 1 /invert completed (public)
	//   /inputs/0/value: cat.png, 10 bytes
	//   /data/0: cat.png, 10 bytes
}

func ExampleCreateJournal() {
	dir, err := os.MkdirTemp("", "gradiorec-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.json")

	// The recorder journals as it captures, with the login password it
	// typed kept out of everything written.
	j, err := recording.CreateJournal(path, &recording.Recording{Created: time.Now(), Tool: "gradiorec example", App: app},
		recording.Redact("s3cret-pw"))
	if err != nil {
		log.Fatal(err)
	}
	check(j.AddSession(recording.Session{ID: "s1", Hash: "k3f9x2q8w1z"}))
	cat, err := j.AddFile([]byte("\x89PNG a cat"), "cat.png", "image/png", recording.RoleInput)
	check(err)
	first := recording.Call{ID: 1, Session: "s1", FnIndex: 0, Via: recording.ViaQueue,
		Inputs: []recording.Arg{{Name: "image", Value: fileData(cat)}}, Started: time.Now()}
	second := first
	second.ID = 2
	check(j.Start(first))
	first.Status, first.Duration = recording.Completed, 0.4
	first.Log = []recording.Log{{Level: "info", Message: "logged in with s3cret-pw"}}
	check(j.Append(first))
	check(j.Start(second))
	// The process dies here: no Close, no Save.

	_, err = recording.Load(path)
	fmt.Println("interrupted:", errors.Is(err, recording.ErrInterrupted))

	rec, err := recording.Recover(path)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range rec.Calls {
		fmt.Println("call", c.ID, c.Status)
	}
	fmt.Println(rec.Calls[0].Log[0].Message)
	if err := recording.Save(path, rec); err != nil { // folds the journal into the document
		log.Fatal(err)
	}
	_, err = os.Stat(recording.JournalPath(path))
	fmt.Println("journal left:", err == nil)
	// Output:
	// interrupted: true
	// call 1 completed
	// call 2 incomplete
	// logged in with <redacted>
	// journal left: false
}

func ExampleFileDatas() {
	gallery := json.RawMessage(`[
		{"image": {"path": "/tmp/gradio/1/a.png", "orig_name": "a.png", "meta": {"_type": "gradio.FileData"}}, "caption": "A"},
		{"image": {"path": "/tmp/gradio/2/b.png", "orig_name": "b.png", "meta": {"_type": "gradio.FileData"}}, "caption": "B"}
	]`)
	for fd := range recording.FileDatas(gallery) {
		fmt.Println(fd.Pointer, fd.OrigName)
	}
	// Output:
	// /0/image a.png
	// /1/image b.png
}
