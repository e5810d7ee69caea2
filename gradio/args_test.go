package gradio

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// testEndpoint builds an endpoint with inputs [param..., State] from
// parameter specs.
func testEndpoint(params ...Parameter) *Endpoint {
	in := make([]bool, len(params)+1)
	in[len(params)] = true // a trailing State input
	return &Endpoint{info: &EndpointInfo{APIName: "/x", Parameters: params}, inSkip: in, nParams: len(params)}
}

func TestBuildData(t *testing.T) {
	def := func(v any) Parameter { return Parameter{HasDefault: true, Default: v} }
	e := testEndpoint(
		Parameter{Name: "text"},
		Parameter{Name: "n", HasDefault: true, Default: json.Number("3")},
		Parameter{Name: "flag", HasDefault: true, Default: nil},
	)
	_ = def
	for _, tc := range []struct {
		name string
		args []any
		want []any
		err  string
	}{
		{"positional", []any{"a", 1, true}, []any{"a", 1, true, nil}, ""},
		{"defaults", []any{"a"}, []any{"a", json.Number("3"), nil, nil}, ""},
		{"named", []any{Named{"text": "b", "flag": false}}, []any{"b", json.Number("3"), false, nil}, ""},
		{"mixed", []any{"c", Named{"flag": true}}, []any{"c", json.Number("3"), true, nil}, ""},
		{"event ignored as value", []any{"c", Event{Data: 1}}, []any{"c", json.Number("3"), nil, nil}, ""},
		{"missing required", []any{}, nil, `no value for required parameter "text" (text, n?, flag?)`},
		{"missing required named", []any{Named{"n": 1}}, nil, `no value for required parameter "text"`},
		{"unknown name", []any{Named{"txt": 1, "zz": 2}}, nil, `unknown parameter "txt", "zz"; valid names: text, n, flag`},
		{"twice", []any{"a", Named{"text": "b"}}, nil, `parameter "text" is already given as positional argument 1`},
		{"too many", []any{1, 2, 3, 4}, nil, "4 arguments given, the endpoint takes 3 (text, n?, flag?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ca, err := splitArgs(tc.args)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.buildData(ca)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("data %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestSplitArgs(t *testing.T) {
	trigger := 12
	ca, err := splitArgs([]any{1, Named{"a": 2}, &Event{Data: "sel", TriggerID: &trigger}})
	if err != nil || len(ca.positional) != 1 || ca.named["a"] != 2 || ca.event.Data != "sel" {
		t.Errorf("splitArgs = %+v, %v", ca, err)
	}
	for _, bad := range [][]any{
		{Named{}, 1},
		{Named{}, Named{}},
		{Event{}, Event{}},
	} {
		if _, err := splitArgs(bad); err == nil {
			t.Errorf("splitArgs(%v) succeeded", bad)
		}
	}
}

func TestEventSentWithJoin(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	trigger := 9
	if _, err := c.Predict(testCtx(t), "/add", 1, 2, Event{Data: map[string]any{"index": 1}, TriggerID: &trigger}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if j := a.joins[0]; !reflect.DeepEqual(j.EventData, map[string]any{"index": 1.0}) || j.TriggerID == nil || *j.TriggerID != 9 {
		t.Errorf("join with event: %+v", j)
	}
	if j := a.joins[1]; j.EventData != nil || j.TriggerID != nil {
		t.Errorf("join without event: %+v", j)
	}
	if h := a.joins[0].Header; h.Get("X-Gradio-User") != "api" || h.Get("Content-Type") != "application/json" {
		t.Errorf("join headers %v", h)
	}
}

func TestNamedDefaultsFromInfo(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	res, err := c.Predict(testCtx(t), "/add", Named{"b": 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != 11.0 {
		t.Errorf("Value() = %v, want 1 (default) + 10", res.Value())
	}
}

func TestTrigger(t *testing.T) {
	ev := Trigger(7, map[string]any{"index": 1})
	if ev.TriggerID == nil || *ev.TriggerID != 7 || ev.Data.(map[string]any)["index"] != 1 {
		t.Errorf("Trigger(7, ...) = %+v", ev)
	}
	if a, b := Trigger(1, nil), Trigger(1, nil); a.TriggerID == b.TriggerID {
		t.Error("two Triggers share one id variable")
	}
}
