package replay

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/recording"
)

// Latency is how long one endpoint's calls took in the recording and in the
// replay, each as its client saw it (the page; the Go client): from sending
// the call to its last message.
type Latency struct {
	Endpoint string `json:"endpoint"`
	Calls    int    `json:"calls"` // calls that finished in both
	Recorded Timing `json:"recorded"`
	Replayed Timing `json:"replayed"`
	// Slowdown is the replayed median over the recorded one, each taken as
	// at least SlowdownFloor.
	Slowdown float64 `json:"slowdown"`
	// TooSlow is a Slowdown above Options.MaxSlowdown.
	TooSlow bool `json:"too_slow,omitempty"`
}

// Timing sums up the durations of an endpoint's calls.
type Timing struct {
	P50 time.Duration `json:"p50_ns"`
	P95 time.Duration `json:"p95_ns"`
	Max time.Duration `json:"max_ns"`
}

// SlowdownFloor is the least median a slowdown is computed from: a call of 2
// ms that takes 5 ms on a busy machine is not 2.5 times slower in any way
// that matters, and would make --max-slowdown flap.
const SlowdownFloor = 20 * time.Millisecond

// latencies times each endpoint whose calls finished both in the recording
// and in the replay (passed or failed, not errored nor skipped), in the
// order of their first call; results[i] is the replay of calls[i]. With
// maxSlowdown above 0, an endpoint slower than that is TooSlow.
func latencies(calls []recording.Call, results []CallResult, maxSlowdown float64) []Latency {
	type times struct{ recorded, replayed []time.Duration }
	var order []string
	by := map[string]*times{}
	for i, res := range results {
		c := &calls[i]
		finished := c.Status == recording.Completed || c.Status == recording.Failed
		if !finished || c.Duration <= 0 || res.Status != Passed && res.Status != Failed {
			continue
		}
		t := by[res.Endpoint]
		if t == nil {
			t = &times{}
			by[res.Endpoint] = t
			order = append(order, res.Endpoint)
		}
		t.recorded = append(t.recorded, time.Duration(c.Duration*float64(time.Second)))
		t.replayed = append(t.replayed, res.Duration)
	}
	var out []Latency
	for _, ep := range order {
		t := by[ep]
		l := Latency{Endpoint: ep, Calls: len(t.recorded), Recorded: timing(t.recorded), Replayed: timing(t.replayed)}
		l.Slowdown = float64(max(l.Replayed.P50, SlowdownFloor)) / float64(max(l.Recorded.P50, SlowdownFloor))
		l.TooSlow = maxSlowdown > 0 && l.Slowdown > maxSlowdown
		out = append(out, l)
	}
	return out
}

// timing takes the nearest-rank percentiles of d.
func timing(d []time.Duration) Timing {
	s := slices.Clone(d)
	slices.Sort(s)
	rank := func(q float64) time.Duration { return s[int(math.Ceil(q*float64(len(s))))-1] }
	return Timing{P50: rank(0.5), P95: rank(0.95), Max: s[len(s)-1]}
}

// ParseSlowdown reads a slowdown ratio: "2x", "1.5x" or "2"; at least 1.
func ParseSlowdown(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "x"), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 1 {
		return 0, fmt.Errorf("slowdown %q: want a ratio of at least 1, such as 2x or 1.5x", s)
	}
	return f, nil
}

// String is the latency on a line: recorded → replayed medians, the 95th
// percentiles and the slowdown.
func (l Latency) String() string {
	return fmt.Sprintf("%s: p50 %s → %s, p95 %s → %s, max %s → %s (%d calls, %.2gx)", l.Endpoint,
		round(l.Recorded.P50), round(l.Replayed.P50), round(l.Recorded.P95), round(l.Replayed.P95),
		round(l.Recorded.Max), round(l.Replayed.Max), l.Calls, l.Slowdown)
}

// WriteLatency writes each endpoint's latency, recorded → replayed, with
// the endpoints slower than Options.MaxSlowdown marked.
func (r *Report) WriteLatency(w io.Writer, s Style) {
	if len(r.Latency) == 0 {
		return
	}
	fmt.Fprintln(w, "latency, recorded → replayed:")
	for _, l := range r.Latency {
		mark := "     "
		if l.TooSlow {
			mark = s.paint(s.fail, "SLOW ")
		}
		fmt.Fprintf(w, "  %s%s\n", mark, term.Escape(l.String()))
	}
}
