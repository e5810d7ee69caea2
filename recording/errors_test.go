package recording

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestUnknownVersionError(t *testing.T) {
	for _, tc := range []struct {
		found, supported, want string
	}{
		{"gradiorec.recording/v2", Format, `format "gradiorec.recording/v2" is newer than this gradiorec reads (gradiorec.recording/v1): upgrade gradiorec`},
		{"gradiorec.recording/v0", Format, `format "gradiorec.recording/v0" is older than any this gradiorec can migrate to gradiorec.recording/v1`},
		{"gradiorec.recording/beta", Format, `unknown format "gradiorec.recording/beta" (this gradiorec reads gradiorec.recording/v1)`},
		{"gradiorec.journal/v3", journalFormat, `format "gradiorec.journal/v3" is newer than this gradiorec reads (gradiorec.journal/v1): upgrade gradiorec`},
	} {
		err := fmt.Errorf("load recording x: %w", &UnknownVersionError{Found: tc.found, Supported: tc.supported})
		if !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("got %q\nwant %q", err, tc.want)
		}
		if !errors.Is(err, ErrUnknownVersion) {
			t.Errorf("%q is not ErrUnknownVersion", err)
		}
		if errors.Is(err, ErrNotRecording) {
			t.Errorf("%q is ErrNotRecording", err)
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	one := &ValidationError{Problems: []string{"call 1: bad"}}
	if one.Error() != "invalid recording: call 1: bad" {
		t.Errorf("one problem: %q", one)
	}
	var many []string
	for i := range 13 {
		many = append(many, fmt.Sprint("p", i))
	}
	msg := (&ValidationError{Problems: many}).Error()
	if !strings.HasPrefix(msg, "invalid recording (13 problems): p0; p1;") || !strings.HasSuffix(msg, "p9; and 3 more") {
		t.Errorf("many problems: %q", msg)
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	err := &SyntaxError{Line: 3, Column: 7, Msg: "invalid character ']'"}
	if err.Error() != "not JSON: invalid character ']' at line 3, column 7" {
		t.Errorf("got %q", err)
	}
}

func TestLineColumn(t *testing.T) {
	data := []byte("ab\ncdé\nf")
	for off, want := range map[int64][2]int{0: {1, 1}, 1: {1, 1}, 2: {1, 2}, 4: {2, 1}, 7: {2, 3}, 9: {3, 1}, 10: {3, 2}, 99: {3, 2}} {
		if l, c := lineColumn(data, off); l != want[0] || c != want[1] {
			t.Errorf("lineColumn(%d) = %d:%d, want %d:%d", off, l, c, want[0], want[1])
		}
	}
}
