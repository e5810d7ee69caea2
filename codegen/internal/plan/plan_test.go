package plan

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"cat.png": "cat.png", "../../etc/passwd": ".._.._etc_passwd", "..": "file", "": "file",
		"a\x00b\nc": "a_b_c", `x:"y"?.txt`: "x__y__.txt", "-rf": "_rf", "日本 語.txt": "日本 語.txt", "trail.": "trail",
		"a;b,c.png": "a;b,c.png",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIdent(t *testing.T) {
	for in, want := range map[string]string{"s1": "s1", "tab 1": "tab_1", "1": "s1", "/calculate": "calculate", "__": "", "é": ""} {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	if got := Text("a\nb */ \u202e\"", 80); got != `a\nb * / \u202e"` {
		t.Errorf("Text = %s", got)
	}
	if got := Text("abcdef", 3); got != "abc…" {
		t.Errorf("Text = %s", got)
	}
}

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

func TestMasks(t *testing.T) {
	rec := &recording.Recording{
		App: recording.App{Root: "http://h:1/", Endpoints: []recording.Endpoint{
			{FnIndex: 0, APIName: "/r", Visibility: recording.Public, BackendFn: true, Queue: true,
				Returns: []recording.Return{{Label: "report"}, {Label: ""}, {Label: "whole"}}},
		}},
		Sessions: []recording.Session{{ID: "s1", Hash: "h"}},
		Masks: []recording.Mask{
			{Endpoint: "/r", Path: "/0/time"},
			{Path: "/0/list/1"},
			{Path: "/0/a~1b~0c"},
			{Path: "/0/absent"},
			{Path: "/0/list/7"},
			{Path: "/0/list/01"},
			{Endpoint: "/other", Path: "/1"},
			{Call: 1, Path: "/2"},
		},
		Calls: []recording.Call{{ID: 1, Session: "s1", FnIndex: 0, Status: recording.Completed, Outputs: []json.RawMessage{
			raw(`{"time":1.5,"list":[1,2,3],"a/b~c":"x","keep":true}`), raw(`4`), raw(`5`),
		}}},
	}
	p, err := New(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Values(p.Sessions[0])()
	outs := p.Sessions[0].Calls[0].Outputs
	o := outs[0]
	if got := (value.JSON{}).String(o.Value); got != `{"time":null,"list":[1,null,3],"a/b~c":null,"keep":true}` {
		t.Errorf("masked value %s", got)
	}
	want := []Path{{"time"}, {"list", 1}, {"a/b~c"}}
	if len(o.Masked) != len(want) {
		t.Fatalf("masked paths %v, want %v", o.Masked, want)
	}
	for i := range want {
		if fmt.Sprint(o.Masked[i]) != fmt.Sprint(want[i]) {
			t.Errorf("masked path %d: %v, want %v", i, o.Masked[i], want[i])
		}
	}
	if string(o.Raw) != `{"time":1.5,"list":[1,2,3],"a/b~c":"x","keep":true}` {
		t.Errorf("raw changed: %s", o.Raw)
	}
	if o.Name != "output 0 (report)" || outs[1].Name != "output 1" || outs[1].Check != Equal || len(outs[1].Masked) != 0 {
		t.Errorf("names %q %q, output 1 %+v", o.Name, outs[1].Name, outs[1])
	}
	if outs[2].Check != Skipped || outs[2].Reason != "masked at /2" {
		t.Errorf("output 2: %+v", outs[2])
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

// TestFixturePaths: fixtures are at fixtures/<name>; a second file of that
// name (in any case) goes into a folder named by its hash, and a name that
// is a folder taken, or takes one, does too.
func TestFixturePaths(t *testing.T) {
	b := builder{p: &Plan{}, files: map[string]*recording.File{
		"a/cat.png": {SHA256: "aaaaaaaaaaaaaaaa", OrigName: "cat.png"},
		"b/Cat.PNG": {SHA256: "bbbbbbbbbbbbbbbb", OrigName: "Cat.PNG"},
		"c/cat.png": {SHA256: "cccccccccccccccc", OrigName: "cat.png"},
		"d/x":       {SHA256: "dddddddddddddddd", OrigName: "cccccccccccc"},
	}, fixtures: map[string]string{}, used: map[string]bool{}}
	var got []string
	for _, name := range []string{"a/cat.png", "b/Cat.PNG", "c/cat.png", "a/cat.png", "d/x"} {
		got = append(got, b.fixture(name, ""))
	}
	want := []string{"fixtures/cat.png", "fixtures/bbbbbbbbbbbb/Cat.PNG", "fixtures/cccccccccccc/cat.png", "fixtures/cat.png", "fixtures/dddddddddddd/cccccccccccc"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paths\n%v\nwant\n%v", got, want)
	}
}
