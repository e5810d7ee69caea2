package session

import (
	"errors"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/recorder"
)

func TestAmbientSecrets(t *testing.T) {
	t.Setenv("HF_TOKEN", "hf_short")
	if got := AmbientSecrets(); len(got) != 1 || got[0].Value != "hf_short" || got[0].Name != "" {
		t.Errorf("AmbientSecrets() = %+v, want $HF_TOKEN unnamed", got)
	}
	t.Setenv("HF_TOKEN", "abc")
	if got := AmbientSecrets(); got != nil {
		t.Errorf("AmbientSecrets() = %+v: a 3-byte token would redact ordinary words", got)
	}
}

// Where says truly where the calls are, for every way a save can end.
func TestWhere(t *testing.T) {
	full := errors.New("no space left on device")
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, "saved to s.json"},
		{&recorder.SaveError{Path: "s.json", SavedTo: "s.json", Err: full, JournalFailed: true}, "every call was saved to s.json"},
		{&recorder.SaveError{Path: "s.json", SavedTo: "/r/s.json", Journal: "", Err: full}, "could not save s.json (no space left on device); every call was saved to /r/s.json instead"},
		{&recorder.SaveError{Path: "s.json", Journal: "s.json.journal", Err: full}, "every call is kept in the journal s.json.journal"},
		{&recorder.SaveError{Path: "s.json", Journal: "s.json.journal", Err: full, JournalFailed: true}, "the journal s.json.journal keeps only the calls before it failed"},
		{&recorder.SaveError{Path: "s.json", Err: full}, "the calls are lost"},
		{errors.New("odd"), "could not save s.json: odd"},
	} {
		if got := Where("s.json", tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("Where(%v) = %q, want it to say %q", tc.err, got, tc.want)
		}
	}
}
