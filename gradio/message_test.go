package gradio

import (
	"encoding/json"
	"testing"
)

func TestDecodeMessage(t *testing.T) {
	m, err := decodeMessage([]byte(`{"msg":"process_completed","event_id":"e1","output":{"data":[1,"a",null],"duration":0.5,"changed_state_ids":[3]},"success":true,"title":null}`), false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Msg != msgProcessCompleted || m.EventID != "e1" || m.Output == nil || len(m.Output.Data) != 3 || m.Output.Data[0] != 1.0 || *m.Output.Duration != 0.5 {
		t.Errorf("message %+v output %+v", m, m.Output)
	}
	m, err = decodeMessage([]byte(`{"msg":"process_completed","event_id":"e1","output":{},"success":true}`), true)
	if err != nil || m.Output == nil || m.Output.Data != nil {
		t.Errorf("cancelled output: %+v, %v", m, err)
	}
	m, err = decodeMessage([]byte(`{"msg":"process_completed","output":{"data":[]}}`), false)
	if err != nil || m.Output.Data == nil {
		t.Errorf("empty data must differ from absent data: %+v, %v", m.Output, err)
	}
	m, err = decodeMessage([]byte(`{"msg":"heartbeat","event_id":null}`), false)
	if err != nil || m.EventID != "" {
		t.Errorf("heartbeat: %+v, %v", m, err)
	}
	if _, err := decodeMessage([]byte(`{"msg":`), false); err == nil {
		t.Error("truncated message decoded")
	}
	m, _ = decodeMessage([]byte(`{"msg":"process_completed","output":{"data":[12345678901234567890]}}`), true)
	if m.Output.Data[0] != json.Number("12345678901234567890") {
		t.Errorf("useNumber: %#v", m.Output.Data[0])
	}
}

func TestOutputAppError(t *testing.T) {
	for body, want := range map[string]AppError{
		`{"error":"bad","title":"Oops"}`: {Message: "bad", Title: "Oops"},
		`{"error":null}`:                 {Title: "Error"},
		`{"error":{"x":1}}`:              {Message: `{"x":1}`, Title: "Error"},
	} {
		var o output
		if err := json.Unmarshal([]byte(body), &o); err != nil {
			t.Fatal(err)
		}
		if got := *o.appError("Error"); got != want {
			t.Errorf("%s: %+v, want %+v", body, got, want)
		}
	}
}
