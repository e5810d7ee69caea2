package plan

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// TestLost follows what a client without private calls or event data loses:
// a call that reads gr.EventData, and every later call that reads a State
// that a private call or such a call changed, however many calls later;
// another session, and a client that can do both, lose nothing.
func TestLost(t *testing.T) {
	state := recording.Component{ID: 9, Type: "state", Skip: true}
	text := recording.Component{ID: 1, Type: "textbox"}
	trigger := 5
	rec := &recording.Recording{
		App: recording.App{Root: "http://h:1", Endpoints: []recording.Endpoint{
			{FnIndex: 0, APIName: "/add", Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs: []recording.Component{text, state}, Outputs: []recording.Component{text, state}},
			{FnIndex: 1, APIName: "/empty", Visibility: recording.Private, BackendFn: true, Queue: true,
				Inputs: []recording.Component{state}, Outputs: []recording.Component{text, state}},
			{FnIndex: 2, APIName: "/which", Visibility: recording.Public, BackendFn: true, Queue: true, EventData: true,
				Inputs: []recording.Component{text, state}, Outputs: []recording.Component{text, state}},
			{FnIndex: 3, APIName: "/show", Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs: []recording.Component{state}, Outputs: []recording.Component{text}},
		}},
		Calls: []recording.Call{
			{ID: 1, Session: "a", FnIndex: 0, APIName: "/add", Status: recording.Completed, Data: []json.RawMessage{raw(`"x"`), raw(`null`)}},
			{ID: 2, Session: "a", FnIndex: 1, APIName: "/empty", Status: recording.Completed, Data: []json.RawMessage{raw(`null`)}},
			{ID: 3, Session: "a", FnIndex: 3, APIName: "/show", Status: recording.Completed, Data: []json.RawMessage{raw(`null`)}},
			{ID: 4, Session: "a", FnIndex: 0, APIName: "/add", Status: recording.Completed, Data: []json.RawMessage{raw(`"y"`), raw(`null`)}},
			{ID: 5, Session: "a", FnIndex: 3, APIName: "/show", Status: recording.Completed, Data: []json.RawMessage{raw(`null`)}},
			{ID: 6, Session: "b", FnIndex: 2, APIName: "/which", Status: recording.Completed, TriggerID: &trigger, Data: []json.RawMessage{raw(`"z"`), raw(`null`)}},
			{ID: 7, Session: "b", FnIndex: 3, APIName: "/show", Status: recording.Completed, Data: []json.RawMessage{raw(`null`)}},
			{ID: 8, Session: "c", FnIndex: 3, APIName: "/show", Status: recording.Completed, Data: []json.RawMessage{raw(`null`)}},
		},
	}
	p, err := New(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	weak := Client{Name: "weak"}
	want := map[int]string{
		3: "it reads a gr.State that call 2 /empty changed, a private endpoint that weak cannot call",
		4: "it reads a gr.State that call 2 /empty changed, a private endpoint that weak cannot call",
		5: "it reads a gr.State that call 2 /empty changed, a private endpoint that weak cannot call",
		6: "it reads gr.EventData, and weak cannot send the trigger id",
		7: "it reads a gr.State that call 6 /which changed from gr.EventData, which weak cannot send",
	}
	got := map[int]string{}
	for _, s := range p.Sessions {
		for c, why := range s.Lost(weak) {
			got[c.Rec.ID] = why
		}
		if lost := s.Lost(Client{Name: "strong", Private: true, EventData: true}); len(lost) > 0 {
			t.Errorf("session %s: a client that can make every call loses %d", s.ID, len(lost))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("lost\n%v\nwant\n%v", got, want)
	}
	defer p.Values(p.Sessions[1])()
	if c := p.Sessions[1].Calls[0]; !c.Event || !c.ReadsEvent || len(c.Slots) != 2 || c.Slots[1].Kind != value.Null {
		t.Errorf("call 6: Event %v, ReadsEvent %v, Slots %v; want the trigger sent and null for the State", c.Event, c.ReadsEvent, c.Slots)
	}
}
