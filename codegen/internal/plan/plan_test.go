package plan

import (
	"encoding/json"
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
	p, err := New(rec, Options{})
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
	f := c[0].Args[0].Value.Fields[0].Value.Items[0]
	if f.Kind != value.File || f.File.Path != "fixtures/0123456789ab/.._cat.png" {
		t.Errorf("file: %+v", f)
	}
	if len(p.Fixtures) != 1 || p.Fixtures[0].Missing {
		t.Errorf("fixtures: %+v", p.Fixtures)
	}
	if o := c[0].Outputs[0]; o.Check != Skipped || o.Reason != "masked at /0/t" {
		t.Errorf("masked output: %+v", o)
	}
	if o := c[2].Outputs[0]; o.Check != Skipped {
		t.Errorf("file output without bytes: %+v", o)
	}
	if c[1].Error == nil {
		t.Error("failed call has no error")
	}
	other := p.Sessions[1].Calls[0]
	if other.APIName != "/gone" || other.Mode != Positional || other.Endpoint != nil || len(other.Args) != 1 || other.Args[0].Name != "param_0" {
		t.Errorf("unknown endpoint: %+v", other)
	}
}
