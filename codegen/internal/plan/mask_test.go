package plan

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

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
