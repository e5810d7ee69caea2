package plan

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func TestPlan(t *testing.T) {
	rec := &recording.Recording{
		App: recording.App{Root: "http://h:1/", APIPrefix: "/gradio_api", Endpoints: []recording.Endpoint{
			{FnIndex: 0, APIName: "/pub", Visibility: recording.Public, BackendFn: true, Queue: true,
				Parameters: []recording.Parameter{{Name: "a"}}, Outputs: []recording.Component{{ID: 1, Type: "json"}}},
			{FnIndex: 1, APIName: "/und", Visibility: recording.Undocumented, BackendFn: true, Queue: true,
				Parameters: []recording.Parameter{{Name: "a"}}},
			{FnIndex: 2, APIName: "/priv", Visibility: recording.Private, BackendFn: true},
			{FnIndex: 3, APIName: "/js", Visibility: recording.Private},
		}},
		Sessions: []recording.Session{{ID: "x y", Hash: "h"}, {ID: "empty"}},
		Files:    []recording.File{{Name: "0123456789abcdef/cat.png", OrigName: "../cat.png", SHA256: "0123456789abcdef", Stored: true}},
		Masks:    []recording.Mask{{Endpoint: "/pub", Path: "/0/t"}},
		Calls: []recording.Call{
			{ID: 1, Session: "x y", FnIndex: 0, Status: recording.Completed,
				Inputs:  []recording.Arg{{Name: "a", Value: raw(`{"list":[{"path":"/tmp/c","meta":{"_type":"gradio.FileData"},"fixture":"0123456789abcdef/cat.png"}]}`)}},
				Outputs: []json.RawMessage{raw(`{"t":1}`)}},
			{ID: 2, Session: "x y", FnIndex: 1, Status: recording.Failed, Inputs: []recording.Arg{{Name: "a", Value: raw(`1`)}}},
			{ID: 3, Session: "x y", FnIndex: 2, Status: recording.Completed, Outputs: []json.RawMessage{raw(`{"path":"p","meta":{"_type":"gradio.FileData"}}`)}},
			{ID: 4, Session: "x y", FnIndex: 3, Status: recording.Completed},
			{ID: 5, Session: "x y", FnIndex: 0, Status: recording.Cancelled, Inputs: []recording.Arg{{Name: "b", Value: raw(`1`)}}},
			{ID: 6, Session: "other", FnIndex: 9, APIName: "gone", Data: []json.RawMessage{raw(`"v"`)}, Status: recording.Completed},
		},
	}
	p, err := New(rec, Options{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.URL != "http://h:1" || p.Src != p.URL || p.Opts.Flavour != Script || p.Calls != 4 {
		t.Fatalf("plan: %+v", p)
	}
	if len(p.Sessions) != 2 || p.Sessions[0].Ident != "x_y" || p.Sessions[1].ID != "other" {
		t.Fatalf("sessions: %+v", p.Sessions)
	}
	c := p.Sessions[0].Calls
	if c[0].Mode != Keywords || c[1].Mode != Positional || !c[1].Named || c[2].Mode != Private || c[3].Mode != UIOnly || c[3].Skip == "" || c[4].Skip == "" || c[4].Mode != Positional {
		t.Errorf("modes: %v %v %v %v %v", c[0].Mode, c[1].Mode, c[2].Mode, c[3].Mode, c[4].Mode)
	}
	if len(c[0].Args) != 1 || c[0].Args[0].Value.Kind != value.Null || c[0].Outputs[0].Value.Kind != value.Null {
		t.Fatalf("New holds the values of calls, or not how many: %+v", c[0])
	}
	release := p.Values(p.Sessions[0])
	f := c[0].Args[0].Value.Fields[0].Value.Items[0]
	if f.Kind != value.File || f.File.Path != "fixtures/.._cat.png" {
		t.Errorf("file: %+v", f)
	}
	if len(p.Fixtures) != 1 || p.Fixtures[0].Missing {
		t.Errorf("fixtures: %+v", p.Fixtures)
	}
	if o := c[0].Outputs[0]; o.Check != Equal || len(o.Masked) != 1 || (value.JSON{}).String(o.Value) != `{"t":null}` || o.Name != "output 0" {
		t.Errorf("masked output: %+v", o)
	}
	if o := c[2].Outputs[0]; o.Check != Skipped {
		t.Errorf("file output without bytes: %+v", o)
	}
	if c[1].Error == nil {
		t.Error("failed call has no error")
	}
	release()
	if o := c[0].Outputs[0]; c[0].Args[0].Value.Kind != value.Null || o.Value.Kind != value.Null || o.Check != Equal || len(o.Masked) != 1 {
		t.Errorf("after release, the values stay, or how an output is checked went: %+v", c[0])
	}
	other := p.Sessions[1].Calls[0]
	if other.APIName != "/gone" || other.Mode != Positional || other.Endpoint != nil || len(other.Args) != 1 || other.Args[0].Name != "param_0" {
		t.Errorf("unknown endpoint: %+v", other)
	}
}

func TestReadsState(t *testing.T) {
	state := recording.Component{ID: 9, Type: "state", Skip: true}
	rec := &recording.Recording{
		App: recording.App{Root: "http://h:1/", Endpoints: []recording.Endpoint{
			{FnIndex: 0, APIName: "/add", Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs: []recording.Component{{ID: 1, Type: "textbox"}, state}, Outputs: []recording.Component{{ID: 2, Type: "number"}, state}},
			{FnIndex: 1, APIName: "/list", Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs: []recording.Component{state}, Outputs: []recording.Component{{ID: 3, Type: "json"}}},
			{FnIndex: 2, APIName: "/echo", Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs: []recording.Component{{ID: 1, Type: "textbox"}}, Outputs: []recording.Component{{ID: 4, Type: "textbox"}}},
		}},
		Sessions: []recording.Session{{ID: "s1", Hash: "a"}, {ID: "s2", Hash: "b"}},
		Calls: []recording.Call{
			{ID: 1, Session: "s1", FnIndex: 1, Status: recording.Completed},
			{ID: 2, Session: "s1", FnIndex: 0, Status: recording.Completed},
			{ID: 3, Session: "s1", FnIndex: 2, Status: recording.Completed},
			{ID: 4, Session: "s2", FnIndex: 0, Status: recording.Completed},
			{ID: 5, Session: "s1", FnIndex: 1, Status: recording.Completed},
			{ID: 6, Session: "s2", FnIndex: 0, Status: recording.Completed},
		},
	}
	p, err := New(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]bool{}
	for _, s := range p.Sessions {
		for _, c := range s.Calls {
			got[c.Rec.ID] = c.ReadsState
		}
	}
	want := map[int]bool{1: false, 2: false, 3: false, 4: false, 5: true, 6: true}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ReadsState by call: %v, want %v", got, want)
	}
}

// TestHeartbeat: the recording says whether the app holds a heartbeat
// open; one made before it said so is read by its State components.
func TestHeartbeat(t *testing.T) {
	echo := recording.Endpoint{FnIndex: 0, APIName: "/echo", Visibility: recording.Public, BackendFn: true, Queue: true,
		Inputs: []recording.Component{{ID: 1, Type: "textbox"}}, Outputs: []recording.Component{{ID: 2, Type: "textbox"}}}
	withState := echo
	withState.Outputs = append(withState.Outputs, recording.Component{ID: 3, Type: "state", Skip: true})
	for _, tc := range []struct {
		name      string
		app       recording.App
		heartbeat bool
	}{
		{"no State", recording.App{Endpoints: []recording.Endpoint{echo}}, false},
		{"State, recorded before the field", recording.App{Endpoints: []recording.Endpoint{withState}}, true},
		{"an unload event, recorded", recording.App{Heartbeat: true, Endpoints: []recording.Endpoint{echo}}, true},
	} {
		tc.app.Root = "http://h:1/"
		p, err := New(&recording.Recording{App: tc.app}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Heartbeat(); got != tc.heartbeat {
			t.Errorf("%s: Heartbeat() = %t, want %t", tc.name, got, tc.heartbeat)
		}
	}
}

// TestRenderedAndUnreadEventData: a call of an endpoint a gr.render
// function made is skipped in both forms; event data that the function does
// not read (a change event's new value) is sent only in the trace form.
func TestRenderedAndUnreadEventData(t *testing.T) {
	rec := &recording.Recording{
		App: recording.App{Root: "http://h:1/", Endpoints: []recording.Endpoint{
			{FnIndex: 0, APIName: "/greet", Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs: []recording.Component{{ID: 1, Type: "textbox"}}, Outputs: []recording.Component{{ID: 2, Type: "textbox"}}},
			{FnIndex: 5, Visibility: recording.Undocumented, BackendFn: true, Queue: true, Rendered: true,
				Inputs: []recording.Component{}, Outputs: []recording.Component{}},
		}},
		Sessions: []recording.Session{{ID: "s1", Hash: "a"}},
		Calls: []recording.Call{
			{ID: 1, Session: "s1", FnIndex: 5, Inputs: []recording.Arg{{Name: "param_0", Value: []byte(`"p0"`)}},
				Data: []json.RawMessage{[]byte(`"p0"`)}, Status: recording.Completed},
			{ID: 2, Session: "s1", FnIndex: 0, APIName: "/greet", Inputs: []recording.Arg{{Name: "s", Value: []byte(`"Ada"`)}},
				Data: []json.RawMessage{[]byte(`"Ada"`)}, EventData: []byte(`"Ada"`), Status: recording.Completed},
		},
	}
	for _, trace := range []bool{false, true} {
		p, err := New(rec, Options{Trace: trace})
		if err != nil {
			t.Fatal(err)
		}
		release := p.Values(p.Sessions[0])
		rendered, greet := p.Sessions[0].Calls[0], p.Sessions[0].Calls[1]
		if rendered.Skip != Rendered {
			t.Errorf("trace %v: the rendered endpoint's call: skip %q, want %q", trace, rendered.Skip, Rendered)
		}
		if greet.Event != trace || (greet.EventData.Kind != value.Null) != trace {
			t.Errorf("trace %v: /greet sends event data %v (%+v), want %v", trace, greet.Event, greet.EventData, trace)
		}
		release()
	}
}
