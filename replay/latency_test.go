package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

func TestLatencies(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var calls []recording.Call
	var results []CallResult
	add := func(endpoint, status string, recorded float64, got Status, replayed time.Duration) {
		calls = append(calls, recording.Call{Status: status, Duration: recorded})
		results = append(results, CallResult{Endpoint: endpoint, Status: got, Duration: replayed})
	}
	for i := 1; i <= 20; i++ {
		add("/slow", recording.Completed, 0.1, Passed, ms(250+i)) // 2.5x
	}
	add("/fast", recording.Completed, 0.002, Passed, ms(9))    // under the floor both ways
	add("/fast", recording.Failed, 0.003, Failed, ms(12))      // failed both times: timed
	add("/fast", recording.Completed, 0.002, Errored, ms(900)) // not made: not timed
	add("/fast", recording.Cancelled, 0.5, Skipped, 0)         // not replayed
	add("/never", recording.Incomplete, 0, Skipped, 0)         // no endpoint row

	got := latencies(calls, results, 2)
	if len(got) != 2 || got[0].Endpoint != "/slow" || got[1].Endpoint != "/fast" {
		t.Fatalf("latencies %+v, want /slow then /fast", got)
	}
	slow, fast := got[0], got[1]
	if slow.Calls != 20 || slow.Recorded.P50 != ms(100) || slow.Replayed.P50 != ms(260) || slow.Replayed.P95 != ms(269) || slow.Replayed.Max != ms(270) {
		t.Errorf("/slow %+v: want 20 calls, p50 100ms → 260ms, p95 269ms, max 270ms", slow)
	}
	if !slow.TooSlow || slow.Slowdown != 2.6 {
		t.Errorf("/slow slowdown %v (too slow %v), want 2.6 over the limit of 2", slow.Slowdown, slow.TooSlow)
	}
	if fast.Calls != 2 || fast.Slowdown != 1 || fast.TooSlow {
		t.Errorf("/fast %+v: want 2 calls, both under the %s floor: slowdown 1", fast, SlowdownFloor)
	}
	if got := latencies(calls, results, 0); got[0].TooSlow {
		t.Error("no limit, yet /slow is too slow")
	}
}

func TestParseSlowdown(t *testing.T) {
	for in, want := range map[string]float64{"2x": 2, "1.5x": 1.5, "3": 3, " 1x ": 1} {
		if got, err := ParseSlowdown(in); err != nil || got != want {
			t.Errorf("ParseSlowdown(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "0.5x", "-2x", "NaNx", "Infx", "2xx"} {
		if _, err := ParseSlowdown(in); err == nil || !strings.Contains(err.Error(), "at least 1") {
			t.Errorf("ParseSlowdown(%q): error %v, want one asking for a ratio of at least 1", in, err)
		}
	}
}

// The slow app's /wait recorded at 0.4 s: replayed against the same app it
// passes --max-slowdown 2x; against one that sleeps 2 s, it is five times
// slower and the replay fails, naming the endpoint.
func TestMaxSlowdown(t *testing.T) {
	rec := golden(t, gradiotest.DefaultVersion, "slow")
	rec.Calls = rec.Calls[:1] // /wait
	rec.Calls[0].Duration = 0.4
	for _, tc := range []struct {
		seconds string
		want    Outcome
	}{{"0.4", Pass}, {"2", Slower}} {
		a := gradiotest.Start(t, "slow", gradiotest.Fresh(), gradiotest.Env("GRADIOREC_SLOW_SECONDS", tc.seconds))
		rep, err := Run(t.Context(), rec, Options{URL: a.URL, MaxSlowdown: 2})
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		rep.WriteSummary(&text, Plain)
		if rep.Outcome != tc.want || len(rep.Latency) != 1 || rep.Latency[0].Endpoint != "/wait" {
			t.Errorf("/wait sleeping %s s: outcome %s, latency %+v; want %s with /wait timed\n%s", tc.seconds, rep.Outcome, rep.Latency, tc.want, text.String())
		}
		if slow := strings.Contains(text.String(), "SLOWER /wait: p50 400ms → "); slow != (tc.want == Slower) {
			t.Errorf("/wait sleeping %s s: summary\n%s", tc.seconds, text.String())
		}
	}
}
