package recorder

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

// The events of a streaming call show the updates redacted as a whole
// redaction would, though each update is redacted only once; a secret
// learned in the middle of the stream is redacted from the earlier
// updates too.
func TestRedactedEventUpdates(t *testing.T) {
	r := &Recorder{rd: recording.NewRedactor(recording.Secret{Value: "sk-first-secret-1"}),
		cap: newCapture(nil, nil, 0), shown: map[int]*shownUpdates{}}
	call := recording.Call{ID: 1, Session: "s1", FnIndex: 0, APIName: "/stream"}
	for i := range 6 {
		text := fmt.Sprintf("token %d sk-first-secret-1", i)
		if i >= 3 {
			text = fmt.Sprintf("token %d sk-later-secret-2", i)
		}
		call.Updates = append(call.Updates, []json.RawMessage{json.RawMessage(fmt.Sprintf("%q", text))})
		if i == 4 {
			r.rd.Add(recording.Secret{Value: "sk-later-secret-2"})
		}
		kind := CallUpdated
		if i == 5 {
			kind = CallCompleted
		}
		got := r.redactedEvent(Event{Kind: kind, Call: copyCall(&call)})
		want := r.redacted(call)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("update %d: the event shows\n%s\nwant\n%s", i, jsonOf(got.Updates), jsonOf(want.Updates))
		}
	}
	if len(r.shown) != 0 {
		t.Errorf("a completed call's updates are still kept: %v", r.shown)
	}
}
