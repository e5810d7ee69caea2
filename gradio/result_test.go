package gradio

import "testing"

func TestResultValue(t *testing.T) {
	var nilRes *Result
	if nilRes.Value() != nil || (&Result{}).Value() != nil {
		t.Error("Value of an empty result is not nil")
	}
	if (&Result{Data: []any{"a", "b"}}).Value() != "a" {
		t.Error("Value is not the first output")
	}
}

func TestConvertOutputsDropsSkippedSlots(t *testing.T) {
	e := &Endpoint{c: &Client{}, outSkip: []bool{false, true, false}}
	got := e.convertOutputs([]any{1.0, "state", map[string]any{"path": "/p", "meta": map[string]any{"_type": "gradio.FileData"}}})
	if len(got) != 2 || got[0] != 1.0 {
		t.Fatalf("got %v", got)
	}
	if f, ok := got[1].(*FileData); !ok || f.Path != "/p" {
		t.Errorf("file output %#v", got[1])
	}
}
