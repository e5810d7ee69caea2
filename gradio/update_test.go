package gradio

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func TestProgressJSON(t *testing.T) {
	var p []Progress
	if err := json.Unmarshal([]byte(`[{"index":2.7,"length":10,"unit":"it","progress":null,"desc":"x"},{"index":null,"length":null,"progress":0.25,"desc":null}]`), &p); err != nil {
		t.Fatal(err)
	}
	if *p[0].Index != 2 || *p[0].Length != 10 || p[0].Unit != "it" || p[0].Fraction != nil || p[0].Desc != "x" {
		t.Errorf("p[0] = %+v", p[0])
	}
	if p[1].Index != nil || *p[1].Fraction != 0.25 {
		t.Errorf("p[1] = %+v", p[1])
	}
}

func TestSeconds(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		in   *float64
		want time.Duration
	}{
		{nil, 0}, {f(1.5), 1500 * time.Millisecond}, {f(-1), 0}, {f(math.NaN()), 0}, {f(math.Inf(1)), 0},
	} {
		if got := seconds(tc.in); got != tc.want {
			t.Errorf("seconds(%v) = %v", tc.in, got)
		}
	}
}

func TestUpdateJSON(t *testing.T) {
	b, err := json.Marshal(Update{Kind: UpdateCompleted, Err: ErrCancelled})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"kind":"completed"`) || !strings.Contains(s, `"error":"cancelled"`) {
		t.Errorf("JSON %s", s)
	}
}
