package replay

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// Eight sessions of the State app replayed four at a time: the verdicts of
// a sequential replay, results in recorded order, each session's words its
// own (a call out of its session's order, or a State shared between
// sessions, would change the words an output lists), and four sessions truly
// at once.
func TestParallel(t *testing.T) {
	a := gradiotest.Start(t, "state")
	rec := gradiotest.Sessions(golden(t, gradiotest.DefaultVersion, "state"), 8)

	seq, err := Run(t.Context(), rec, Options{URL: a.URL})
	if err != nil {
		t.Fatal(err)
	}
	if seq.Outcome != Pass {
		logReport(t, seq)
		t.Fatalf("sequential replay: %s", seq.Outcome)
	}

	// The first call of each of the first four sessions waits until all four
	// have started: a replay that ran one session at a time would not get
	// past the first.
	var (
		mu     sync.Mutex
		firsts = map[string]bool{}
		four   = make(chan struct{})
		late   []string
	)
	testHookCall = func(c *recording.Call) {
		mu.Lock()
		if firsts[c.Session] || len(firsts) == 4 {
			mu.Unlock()
			return
		}
		firsts[c.Session] = true
		if len(firsts) == 4 {
			close(four)
		}
		mu.Unlock()
		select {
		case <-four:
		case <-time.After(30 * time.Second):
			mu.Lock()
			late = append(late, c.Session)
			mu.Unlock()
		}
	}
	t.Cleanup(func() { testHookCall = nil })

	var order []int
	par, err := Run(t.Context(), rec, Options{URL: a.URL, Parallel: 4, OnCall: func(c CallResult) { order = append(order, c.ID) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(late) > 0 {
		t.Errorf("sessions %v waited 30 s for four sessions to be under way: the replay did not run four at once", late)
	}
	if par.Outcome != Pass {
		logReport(t, par)
		t.Errorf("parallel replay: %s, want %s", par.Outcome, seq.Outcome)
	}
	verdicts := func(rep *Report) []string {
		var v []string
		for _, c := range rep.Calls {
			v = append(v, string(c.Status)+" "+c.Session+" "+c.Endpoint)
		}
		return v
	}
	if got, want := verdicts(par), verdicts(seq); !slices.Equal(got, want) {
		t.Errorf("parallel verdicts\n%q\nwant the sequential ones\n%q", got, want)
	}
	var ids []int
	for _, c := range rec.Calls {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(order, ids) {
		t.Errorf("OnCall saw calls %v, want the recorded order %v", order, ids)
	}
}

// Calls that overlapped in the recording may overlap again; every other
// call waits for those that had ended when it started.
func TestOverlapped(t *testing.T) {
	at := func(start, seconds float64) *recording.Call {
		return &recording.Call{Started: time.Unix(1e9, 0).Add(time.Duration(start * float64(time.Second))), Duration: seconds}
	}
	for _, tc := range []struct {
		name           string
		earlier, later *recording.Call
		want           bool
	}{
		{"after", at(0, 1), at(2, 1), false},
		{"right at its end", at(0, 1), at(1, 1), false},
		{"while it streamed", at(0, 5), at(1, 1), true},
		{"no recorded start", &recording.Call{Duration: 5}, at(1, 1), false},
	} {
		if got := overlapped(tc.earlier, tc.later); got != tc.want {
			t.Errorf("%s: overlapped %v, want %v", tc.name, got, tc.want)
		}
	}
}
