package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// TestCodeForms: the window generates the intent form unless asked for the
// trace, and says what the intent form makes of each recorded call.
func TestCodeForms(t *testing.T) {
	path := filepath.Join("..", "testdata", "recordings", gradiotest.DefaultVersion, "chat.json")
	rec, err := recording.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := testApp(t, Options{Open: path})

	// Two ChatInterface turns: two calls of the public chat endpoint.
	const chat = `api_name="/chat"`
	intent, err := a.Code.Generate("python", "script", false)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(intent.Code, chat); n != 2 {
		t.Errorf("the intent form makes %d calls of /chat, want 2:\n%s", n, intent.Code)
	}
	if strings.Contains(intent.Code, `api_name="/_submit_fn"`) {
		t.Errorf("the intent form calls the internal /_submit_fn:\n%s", intent.Code)
	}

	trace, err := a.Code.Generate("python", "script", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, internal := range []string{"/_submit_fn", "/_append_message_to_history"} {
		if !strings.Contains(trace.Code, internal) {
			t.Errorf("the trace form lacks the recorded %s:\n%s", internal, trace.Code)
		}
	}
	if strings.Contains(trace.Code, chat) {
		t.Errorf("the trace form calls /chat, which the page never called:\n%s", trace.Code)
	}

	// Every recorded call is part of a turn: each has its change.
	changes, err := a.Code.Changes()
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != len(rec.Calls) {
		t.Fatalf("Changes() = %d changes, want one for each of the %d recorded calls: %+v", len(changes), len(rec.Calls), changes)
	}
	for i, ch := range changes {
		if ch.Call != rec.Calls[i].ID || ch.Into == 0 || ch.Reason == "" {
			t.Errorf("change %d = %+v, want call %d made by a /chat call, with a reason", i, ch, rec.Calls[i].ID)
		}
	}

	// Export writes the form chosen.
	for _, tr := range []bool{false, true} {
		dir := t.TempDir()
		if _, err := a.Code.ExportTo(dir, "python", "script", tr); err != nil {
			t.Fatalf("ExportTo(trace %v): %v", tr, err)
		}
		want, err := a.Code.Generate("python", "script", tr)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, want.Filename))
		if err != nil || string(got) != want.Code {
			t.Errorf("ExportTo(trace %v) wrote %s unlike Generate: %v", tr, want.Filename, err)
		}
	}
}

// TestChangesWithoutRecording: Changes says to record first, as Generate does.
func TestChangesWithoutRecording(t *testing.T) {
	a, _, _ := testApp(t, Options{})
	if _, err := a.Code.Changes(); err == nil || !strings.Contains(err.Error(), "Record") {
		t.Errorf("Changes with nothing recorded = %v, want an error saying to record", err)
	}
}
