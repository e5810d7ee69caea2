package main

import (
	"fmt"
	"io"
	"strings"
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
	gradio    string       // the app's Gradio version, as the recorder read it
	chromium  string       // the browser's product string
	sources   []*sourceRun // in s.sources's order
	starts    []startRun
}

// The targets, reported for each source and not asserted (but
// completeness is also a test: TestHarness and TestBurstCaptured).
const (
	targetLatencyP50 = 10 * time.Millisecond
	targetOverhead   = 1.10
)

// row is one line of the table: the recorder's value through a source, the
// baseline's, and the ratio of the two.
type row struct {
	phase    string
	measure  string
	source   string
	recorder time.Duration
	baseline time.Duration
	against  string // what the baseline is
	omit     bool   // not measured for this source
}

// path names the points of an update's path through the browser that the
// wire sees (see wire), for a source.
type path struct {
	who  string // what received the chunk, as the wire tells
	got  string // the chunk's reception
	here string // the event or message that brought it to this process
}

func pathOf(source string) path {
	if source == sourceExtension {
		return path{who: "the extension", got: "the extension got its DevTools event", here: "its relayed message here"}
	}
	return path{who: "Chromium", got: "Chromium got the chunk", here: "its DevTools event here"}
}

// rows returns the table: each measure, one row per source, then start-up
// (sourceCDP only).
func (r *report) rows() []row {
	var bySource [][]row
	for _, sr := range r.sources {
		bySource = append(bySource, r.sourceRows(sr))
	}
	var out []row
	for i := range bySource[0] {
		for _, rows := range bySource {
			out = append(out, rows[i])
		}
	}
	return append(out, r.startRows()...)
}

// sourceRows are the measures of one source, in the table's order.
func (r *report) sourceRows(sr *sourceRun) []row {
	s := r.s
	pick := func(f func(burstRound) time.Duration) []time.Duration {
		var ds []time.Duration
		for _, b := range sr.bursts {
			ds = append(ds, f(b))
		}
		return ds
	}
	sess := func(f func(sessionPair) time.Duration) []time.Duration {
		var ds []time.Duration
		for _, p := range sr.sessions {
			ds = append(ds, f(p))
		}
		return ds
	}
	med := func(ds []time.Duration) time.Duration { return benchapp.Quantile(ds, 0.5) }
	lat, st := sr.latency, sr.streamed
	var net, arr, rec []time.Duration
	for _, w := range st.wired {
		net, arr, rec = append(net, w.network), append(arr, w.arrival), append(rec, w.recorder)
	}
	p := pathOf(sr.source)
	// The extension's clock for a call's last chunk is not the chunk's when
	// Chromium held it until the extension asked to stream it (see wire).
	noNet := sr.source == sourceExtension
	rows := []row{
		{phase: phaseCompleteness, measure: fmt.Sprintf("burst of %d: click → page shows %d (median of %d)", s.burst, s.burst, len(sr.bursts)),
			recorder: med(pick(func(b burstRound) time.Duration { return b.recorded.page })),
			baseline: med(pick(func(b burstRound) time.Duration { return b.plain.page })), against: "plain tab, same click"},
		{phase: phaseCompleteness, measure: fmt.Sprintf("burst of %d: click → recorder's completed event", s.burst),
			recorder: med(pick(func(b burstRound) time.Duration { return b.recorded.capture })),
			baseline: med(pick(func(b burstRound) time.Duration { return b.goClient.capture })), against: "Go client, Submit → result"},
		{phase: phaseLatency, measure: fmt.Sprintf("/ticks, open stream: server's send → CallUpdated event, p50 of %d", len(st.recorder)),
			recorder: benchapp.Quantile(st.recorder, 0.5), baseline: benchapp.Quantile(st.goClient, 0.5), against: "Go client, → Update"},
		{phase: phaseLatency, measure: "/ticks, open stream: server's send → CallUpdated event, p99",
			recorder: benchapp.Quantile(st.recorder, 0.99), baseline: benchapp.Quantile(st.goClient, 0.99), against: "Go client, → Update"},
		{phase: phaseLatency, measure: fmt.Sprintf("/ticks: server's send → %s, p50 of %d", p.got, len(st.wired)),
			recorder: benchapp.Quantile(net, 0.5), baseline: benchapp.Quantile(st.goClient, 0.5), against: "Go client, → Update"},
		{phase: phaseLatency, measure: "/ticks: " + p.who + " got it → CallUpdated event, p50",
			recorder: benchapp.Quantile(diff(rec, net), 0.5)},
		{phase: phaseLatency, measure: "/ticks: " + p.here + " → CallUpdated event, p50",
			recorder: benchapp.Quantile(diff(rec, arr), 0.5)},
		{phase: phaseLatency, measure: "/ticks: " + p.here + " → CallUpdated event, p99",
			recorder: benchapp.Quantile(diff(rec, arr), 0.99)},
		{phase: phaseLatency, measure: fmt.Sprintf("/stamp, per call: server's send → completed event, p50 of %d", len(lat.recorder)),
			recorder: benchapp.Quantile(lat.recorder, 0.5), baseline: benchapp.Quantile(lat.goClient, 0.5), against: "Go client, → result"},
		{phase: phaseLatency, measure: "/stamp, per call: server's send → completed event, p99",
			recorder: benchapp.Quantile(lat.recorder, 0.99), baseline: benchapp.Quantile(lat.goClient, 0.99), against: "Go client, → result"},
		{phase: phaseLatency, measure: "/stamp: click → page shows the result, p50",
			recorder: benchapp.Quantile(lat.pageRecorded, 0.5), baseline: benchapp.Quantile(lat.pagePlain, 0.5), against: "plain tab, same click"},
		{phase: phaseLatency, measure: "/stamp: server's send → Chromium got the last chunk, p50", omit: noNet,
			recorder: benchapp.Quantile(lat.network, 0.5), baseline: benchapp.Quantile(lat.goClient, 0.5), against: "Go client, → result"},
		{phase: phaseLatency, measure: "/stamp: Chromium got it → completed event, p50", omit: noNet,
			recorder: benchapp.Quantile(diff(lat.recorder, lat.network), 0.5)},
		{phase: phaseLatency, measure: "/stamp: " + p.here + " → completed event, p50",
			recorder: benchapp.Quantile(diff(lat.recorder, lat.arrival), 0.5)},
		{phase: phaseLatency, measure: "/stamp: " + p.here + " → completed event, p99",
			recorder: benchapp.Quantile(diff(lat.recorder, lat.arrival), 0.99)},
		{phase: phaseOverhead, measure: fmt.Sprintf("session of %d fill+click echo calls (median of %d)", s.calls, len(sr.sessions)),
			recorder: med(sess(func(p sessionPair) time.Duration { return p.recorded })),
			baseline: med(sess(func(p sessionPair) time.Duration { return p.plain })), against: "plain tab, same steps"},
	}
	for i := range rows {
		rows[i].source = sr.source
	}
	return rows
}

// startRows are the start-up measures: recorder.New with a browser of its
// own records through DevTools.
func (r *report) startRows() []row {
	start := func(f func(startRun) time.Duration) []time.Duration {
		var ds []time.Duration
		for _, st := range r.starts {
			ds = append(ds, f(st))
		}
		return ds
	}
	med := func(ds []time.Duration) time.Duration { return benchapp.Quantile(ds, 0.5) }
	recorder := med(start(func(st startRun) time.Duration { return st.recorder }))
	return []row{
		{phase: phaseStartup, measure: fmt.Sprintf("start-up: New with its own browser (median of %d)", len(r.starts)), source: sourceCDP,
			recorder: recorder, baseline: med(start(func(st startRun) time.Duration { return st.load })), against: "bare Chromium, launch → load event"},
		{phase: phaseStartup, source: sourceCDP,
			recorder: recorder, baseline: med(start(func(st startRun) time.Duration { return st.rendered })), against: "bare Chromium, launch → app rendered"},
	}
}

// print writes the table, the details and the targets.
func (r *report) print(w io.Writer) {
	s := r.s
	apps := "testdata/apps/echo.py"
	if s.runs(phaseLatency) {
		apps += " and bench/recorder/" + ticksScript
	}
	fmt.Fprintf(w, "%s: Gradio %s, %s; %s; sources %s\n", r.date.Format("2006-01-02 15:04"), r.gradio, apps, r.chromium, strings.Join(s.sources, ", "))
	fmt.Fprintf(w, "machine: %s; load average %s at the start, %s at the end\n\n", r.machine, r.loadStart, r.loadEnd)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tsource\trecorder\tbaseline\tratio\t")
	for _, x := range r.rows() {
		if !s.runs(x.phase) || x.omit {
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", x.measure, x.source, rec, base, ratio(x.recorder, x.baseline))
	}
	tw.Flush()

	for _, sr := range r.sources {
		fmt.Fprintf(w, "\n%s:\n", sr.source)
		for i, b := range sr.bursts {
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
		if st := sr.streamed; st.calls > 0 {
			fmt.Fprintf(w, "ticks: %d calls of %d updates each way after a warm-up call; %d of the recorder's %d updates counted were seen in a chunk of the tab's event stream\n",
				st.calls, ticksPerCall, len(st.wired), len(st.recorder))
		}
		if sr.source == sourceExtension && len(sr.latency.recorder) > 0 {
			fmt.Fprintln(w, "stamp: the extension's time of a call's last chunk is not measured (Chromium may hold the chunk until the extension asks to stream it, or hand it over whole at the end)")
		}
		if n := len(sr.sessions); n > 0 {
			var rs, ps time.Duration
			for _, p := range sr.sessions {
				rs += p.recorded
				ps += p.plain
			}
			fmt.Fprintf(w, "sessions: %s recorded vs %s plain in total over %d rounds (%s), %s vs %s per call\n",
				fmtDur(rs), fmtDur(ps), n, ratio(rs, ps), fmtDur(rs/time.Duration(n*s.calls)), fmtDur(ps/time.Duration(n*s.calls)))
		}
	}

	benchapp.PrintTargets(w, r.targets())
}

// targets are the recorder's goals, for each source, and whether they were
// met.
func (r *report) targets() []benchapp.Target {
	var out []benchapp.Target
	for _, sr := range r.sources {
		out = append(out, r.sourceTargets(sr)...)
	}
	return out
}

func (r *report) sourceTargets(sr *sourceRun) []benchapp.Target {
	var out []benchapp.Target
	bad := 0
	first := ""
	for i, b := range sr.bursts {
		if b.recorded.complete != nil {
			bad++
			if first == "" {
				first = fmt.Sprintf("burst %d: %v", i+1, b.recorded.complete)
			}
		}
	}
	name := sr.source + ": "
	t := benchapp.Target{Name: name + fmt.Sprintf("every burst of %d captured complete and in order", r.s.burst), Verdict: benchapp.Verdict(bad == 0 && len(sr.bursts) > 0)}
	t.Detail = fmt.Sprintf("%d of %d bursts", len(sr.bursts)-bad, len(sr.bursts))
	if first != "" {
		t.Detail += "; " + first
	}
	out = append(out, r.ran(phaseCompleteness, t))

	p50 := benchapp.Quantile(sr.streamed.recorder, 0.5)
	t = benchapp.Target{Name: name + "update delay on an open stream, p50 under " + fmtDur(targetLatencyP50),
		Verdict: benchapp.Verdict(len(sr.streamed.recorder) > 0 && p50 < targetLatencyP50),
		Detail:  fmt.Sprintf("%s (/ticks; p99 %s)", fmtDur(p50), fmtDur(benchapp.Quantile(sr.streamed.recorder, 0.99)))}
	out = append(out, r.ran(phaseLatency, t))

	var rec, plain []time.Duration
	for _, p := range sr.sessions {
		rec, plain = append(rec, p.recorded), append(plain, p.plain)
	}
	x := benchapp.Quantile(rec, 0.5).Seconds() / benchapp.Quantile(plain, 0.5).Seconds()
	t = benchapp.Target{Name: name + fmt.Sprintf("recorded session within %.2fx of the plain one", targetOverhead),
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
