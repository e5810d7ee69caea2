package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
)

// report is the outcome of a run.
type report struct {
	s         settings
	date      time.Time
	machine   string
	loadStart string
	loadEnd   string
	gradio    string // the app's Gradio version, as the recorder read it
	chromium  string // the browser's product string
	bursts    []burstRound
	streamed  streamed
	latency   latencies
	sessions  []sessionPair
	starts    []startRun
}

// The targets, reported and not asserted (but completeness is also a test:
// TestHarness and TestBurstCaptured).
const (
	targetLatencyP50 = 10 * time.Millisecond
	targetOverhead   = 1.10
)

// row is one line of the table: the recorder's value, the baseline's, and
// the ratio of the two.
type row struct {
	phase    string
	measure  string
	recorder time.Duration
	baseline time.Duration
	against  string // what the baseline is
}

func (r *report) rows() []row {
	s := r.s
	pick := func(f func(burstRound) time.Duration) []time.Duration {
		var ds []time.Duration
		for _, b := range r.bursts {
			ds = append(ds, f(b))
		}
		return ds
	}
	sess := func(f func(sessionPair) time.Duration) []time.Duration {
		var ds []time.Duration
		for _, p := range r.sessions {
			ds = append(ds, f(p))
		}
		return ds
	}
	start := func(f func(startRun) time.Duration) []time.Duration {
		var ds []time.Duration
		for _, st := range r.starts {
			ds = append(ds, f(st))
		}
		return ds
	}
	med := func(ds []time.Duration) time.Duration { return benchapp.Quantile(ds, 0.5) }
	lat, st := r.latency, r.streamed
	var net, arr, rec []time.Duration
	for _, w := range st.wired {
		net, arr, rec = append(net, w.network), append(arr, w.arrival), append(rec, w.recorder)
	}
	return []row{
		{phaseCompleteness, fmt.Sprintf("burst of %d: click → page shows %d (median of %d)", s.burst, s.burst, len(r.bursts)),
			med(pick(func(b burstRound) time.Duration { return b.recorded.page })),
			med(pick(func(b burstRound) time.Duration { return b.plain.page })), "plain tab, same click"},
		{phaseCompleteness, fmt.Sprintf("burst of %d: click → recorder's completed event", s.burst),
			med(pick(func(b burstRound) time.Duration { return b.recorded.capture })),
			med(pick(func(b burstRound) time.Duration { return b.goClient.capture })), "Go client, Submit → result"},
		{phaseLatency, fmt.Sprintf("/ticks, open stream: server's send → CallUpdated event, p50 of %d", len(st.recorder)),
			benchapp.Quantile(st.recorder, 0.5), benchapp.Quantile(st.goClient, 0.5), "Go client, → Update"},
		{phaseLatency, "/ticks, open stream: server's send → CallUpdated event, p99",
			benchapp.Quantile(st.recorder, 0.99), benchapp.Quantile(st.goClient, 0.99), "Go client, → Update"},
		{phaseLatency, fmt.Sprintf("/ticks: server's send → Chromium got the chunk, p50 of %d", len(st.wired)),
			benchapp.Quantile(net, 0.5), benchapp.Quantile(st.goClient, 0.5), "Go client, → Update"},
		{phaseLatency, "/ticks: Chromium got it → CallUpdated event, p50",
			benchapp.Quantile(diff(rec, net), 0.5), 0, ""},
		{phaseLatency, "/ticks: its DevTools event here → CallUpdated event, p50",
			benchapp.Quantile(diff(rec, arr), 0.5), 0, ""},
		{phaseLatency, "/ticks: its DevTools event here → CallUpdated event, p99",
			benchapp.Quantile(diff(rec, arr), 0.99), 0, ""},
		{phaseLatency, fmt.Sprintf("/stamp, per call: server's send → completed event, p50 of %d", len(lat.recorder)),
			benchapp.Quantile(lat.recorder, 0.5), benchapp.Quantile(lat.goClient, 0.5), "Go client, → result"},
		{phaseLatency, "/stamp, per call: server's send → completed event, p99",
			benchapp.Quantile(lat.recorder, 0.99), benchapp.Quantile(lat.goClient, 0.99), "Go client, → result"},
		{phaseLatency, "/stamp: click → page shows the result, p50",
			benchapp.Quantile(lat.pageRecorded, 0.5), benchapp.Quantile(lat.pagePlain, 0.5), "plain tab, same click"},
		{phaseLatency, "/stamp: server's send → Chromium got the last chunk, p50",
			benchapp.Quantile(lat.network, 0.5), benchapp.Quantile(lat.goClient, 0.5), "Go client, → result"},
		{phaseLatency, "/stamp: Chromium got it → completed event, p50",
			benchapp.Quantile(diff(lat.recorder, lat.network), 0.5), 0, ""},
		{phaseLatency, "/stamp: its DevTools event here → completed event, p50",
			benchapp.Quantile(diff(lat.recorder, lat.arrival), 0.5), 0, ""},
		{phaseLatency, "/stamp: its DevTools event here → completed event, p99",
			benchapp.Quantile(diff(lat.recorder, lat.arrival), 0.99), 0, ""},
		{phaseOverhead, fmt.Sprintf("session of %d fill+click echo calls (median of %d)", s.calls, len(r.sessions)),
			med(sess(func(p sessionPair) time.Duration { return p.recorded })),
			med(sess(func(p sessionPair) time.Duration { return p.plain })), "plain tab, same steps"},
		{phaseStartup, fmt.Sprintf("start-up: New with its own browser (median of %d)", len(r.starts)),
			med(start(func(st startRun) time.Duration { return st.recorder })),
			med(start(func(st startRun) time.Duration { return st.load })), "bare Chromium, launch → load event"},
		{phaseStartup, "",
			med(start(func(st startRun) time.Duration { return st.recorder })),
			med(start(func(st startRun) time.Duration { return st.rendered })), "bare Chromium, launch → app rendered"},
	}
}

// print writes the table, the details and the targets.
func (r *report) print(w io.Writer) {
	s := r.s
	apps := "testdata/apps/echo.py"
	if s.runs(phaseLatency) {
		apps += " and bench/recorder/" + ticksScript
	}
	fmt.Fprintf(w, "%s: Gradio %s, %s; %s\n", r.date.Format("2006-01-02 15:04"), r.gradio, apps, r.chromium)
	fmt.Fprintf(w, "machine: %s; load average %s at the start, %s at the end\n\n", r.machine, r.loadStart, r.loadEnd)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\trecorder\tbaseline\tratio\t")
	for _, x := range r.rows() {
		if !s.runs(x.phase) {
			continue
		}
		rec := fmtDur(x.recorder)
		if x.measure == "" {
			rec = `"`
		}
		base := "—"
		if x.against != "" {
			base = fmtDur(x.baseline) + " (" + x.against + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", x.measure, rec, base, ratio(x.recorder, x.baseline))
	}
	tw.Flush()

	fmt.Fprintln(w)
	for i, b := range r.bursts {
		verdict := "complete and in order"
		if b.recorded.complete != nil {
			verdict = b.recorded.complete.Error()
		}
		fmt.Fprintf(w, "burst %d: recording %s; %d updates reached WithOnEvent, the Go client got %d; the call took %s by the recording;\n",
			i+1, verdict, b.recorded.updates, b.goClient.updates, fmtDur(b.recorded.call))
		fmt.Fprintf(w, "  this process allocated %s in %d objects (%.0f objects, %s per update)\n",
			fmtBytes(float64(b.recorded.bytes)), b.recorded.mallocs,
			float64(b.recorded.mallocs)/float64(s.burst), fmtBytes(float64(b.recorded.bytes)/float64(s.burst)))
	}
	if st := r.streamed; st.calls > 0 {
		fmt.Fprintf(w, "ticks: %d calls of %d updates each way after a warm-up call; %d of the recorder's %d updates counted were seen in a chunk of the tab's event stream\n",
			st.calls, ticksPerCall, len(st.wired), len(st.recorder))
	}
	if n := len(r.sessions); n > 0 {
		var rs, ps time.Duration
		for _, p := range r.sessions {
			rs += p.recorded
			ps += p.plain
		}
		fmt.Fprintf(w, "sessions: %s recorded vs %s plain in total over %d rounds (%s), %s vs %s per call\n",
			fmtDur(rs), fmtDur(ps), n, ratio(rs, ps), fmtDur(rs/time.Duration(n*s.calls)), fmtDur(ps/time.Duration(n*s.calls)))
	}

	benchapp.PrintTargets(w, r.targets())
}

// targets are the recorder's goals and whether they were met.
func (r *report) targets() []benchapp.Target {
	var out []benchapp.Target
	bad := 0
	first := ""
	for i, b := range r.bursts {
		if b.recorded.complete != nil {
			bad++
			if first == "" {
				first = fmt.Sprintf("burst %d: %v", i+1, b.recorded.complete)
			}
		}
	}
	t := benchapp.Target{Name: fmt.Sprintf("every burst of %d captured complete and in order", r.s.burst), Verdict: benchapp.Verdict(bad == 0 && len(r.bursts) > 0)}
	t.Detail = fmt.Sprintf("%d of %d bursts", len(r.bursts)-bad, len(r.bursts))
	if first != "" {
		t.Detail += "; " + first
	}
	out = append(out, r.ran(phaseCompleteness, t))

	p50 := benchapp.Quantile(r.streamed.recorder, 0.5)
	t = benchapp.Target{Name: "update delay on an open stream, p50 under " + fmtDur(targetLatencyP50),
		Verdict: benchapp.Verdict(len(r.streamed.recorder) > 0 && p50 < targetLatencyP50),
		Detail:  fmt.Sprintf("%s (/ticks; p99 %s)", fmtDur(p50), fmtDur(benchapp.Quantile(r.streamed.recorder, 0.99)))}
	out = append(out, r.ran(phaseLatency, t))

	var rec, plain []time.Duration
	for _, p := range r.sessions {
		rec, plain = append(rec, p.recorded), append(plain, p.plain)
	}
	x := benchapp.Quantile(rec, 0.5).Seconds() / benchapp.Quantile(plain, 0.5).Seconds()
	t = benchapp.Target{Name: fmt.Sprintf("recorded session within %.2fx of the plain one", targetOverhead),
		Verdict: benchapp.Verdict(len(rec) > 0 && x <= targetOverhead), Detail: fmt.Sprintf("%.2fx (median session)", x)}
	return append(out, r.ran(phaseOverhead, t))
}

// ran returns t, or t as n/a when its phase did not run.
func (r *report) ran(phase string, t benchapp.Target) benchapp.Target {
	if !r.s.runs(phase) {
		t.Verdict, t.Detail = "n/a", "not run (-phases)"
	}
	return t
}

// diff returns a[i]-b[i] for each i.
func diff(a, b []time.Duration) []time.Duration {
	var out []time.Duration
	for i := range min(len(a), len(b)) {
		out = append(out, a[i]-b[i])
	}
	return out
}

// ratio is a/b as "1.23x", or "—" when it cannot be computed.
func ratio(a, b time.Duration) string {
	if a <= 0 || b <= 0 {
		return "—"
	}
	return benchapp.FormatRatio(a.Seconds() / b.Seconds())
}

// fmtDur prints a duration with three significant digits or more, in ms
// below ten seconds.
func fmtDur(d time.Duration) string {
	ms := d.Seconds() * 1000
	switch {
	case d <= 0:
		return "—"
	case ms >= 10000:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f ms", ms)
	default:
		return fmt.Sprintf("%.2f ms", ms)
	}
}

func fmtBytes(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	default:
		return fmt.Sprintf("%.0f B", b)
	}
}
