package recording

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactedCall(t *testing.T) {
	rec := plantSecrets()
	call := rec.Calls[0]
	got, err := RedactedCall(call, pass)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range planted {
		if strings.Contains(string(data), s) {
			t.Errorf("the redacted call still holds %q: %s", s, data)
		}
	}
	if want := `"login with ` + Redacted + `"`; string(got.Inputs[0].Value) != want {
		t.Errorf("first input = %s, want %s", got.Inputs[0].Value, want)
	}
	if !strings.Contains(string(call.Inputs[0].Value), pass) {
		t.Error("RedactedCall changed the call it was given")
	}
	if got.ID != call.ID || got.Status != call.Status || got.Session != call.Session {
		t.Errorf("structure changed: %+v", got)
	}
}
