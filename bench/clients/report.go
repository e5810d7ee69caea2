package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
)

// report is the outcome of a run.
type report struct {
	s         settings
	app       appInfo
	machine   string
	loadStart string
	loadEnd   string
	about     map[string]string // per client: what ran
	entries   []*entry
}

// metric is one row group of the table.
type metric struct {
	name   string
	lower  bool // lower values are better (times); else higher (calls/s)
	value  func(*tally) (float64, bool)
	format func(float64) string
}

func (r *report) metrics() []metric {
	s := r.s
	return []metric{
		{fmt.Sprintf("connect (median of %d)", s.connects), true, func(t *tally) (float64, bool) {
			return ms(benchapp.Quantile(t.connects, 0.5)), len(t.connects) > 0
		}, fmtMs},
		{"sequential calls/s", false, func(t *tally) (float64, bool) {
			n := len(t.latencies)
			return float64(n) / t.seqWall.Seconds(), n > 0 && t.seqWall > 0
		}, fmtRate},
		{"sequential p50", true, func(t *tally) (float64, bool) {
			return ms(benchapp.Quantile(t.latencies, 0.5)), len(t.latencies) > 0
		}, fmtMs},
		{"sequential p99", true, func(t *tally) (float64, bool) {
			return ms(benchapp.Quantile(t.latencies, 0.99)), len(t.latencies) > 0
		}, fmtMs},
		{fmt.Sprintf("concurrent calls/s (%d in flight)", s.inFlight), false, func(t *tally) (float64, bool) {
			return float64(t.concOK) / t.concWall.Seconds(), t.concOK > 0 && t.concWall > 0
		}, fmtRate},
	}
}

// entry returns the client's entry, or nil when it was not measured.
func (r *report) entry(name string) *entry {
	for _, e := range r.entries {
		if e.name == name {
			return e
		}
	}
	return nil
}

// print writes the table, the Go client's overhead over the raw floor and the
// targets.
func (r *report) print(w io.Writer) {
	s := r.s
	server := "per-call analytics summary off: " + strings.Join(benchapp.QuietAnalytics, " ")
	if s.analytics {
		server = "Gradio's per-call analytics summary on (-gradio-analytics)"
	}
	fmt.Fprintf(w, "Gradio %s, testdata/apps/echo.py (%s, fn_index %d); %s\n", r.app.version, api, r.app.fnIndex, server)
	fmt.Fprintf(w, "machine: %s; load average %s at the start, %s at the end\n", r.machine, r.loadStart, r.loadEnd)
	for _, e := range r.entries {
		fmt.Fprintf(w, "  %-15s %s\n", label(e.name), r.about[e.name])
	}
	fmt.Fprintf(w, "workload per client: %d connects, %d sequential calls, %d concurrent calls with %d in flight,\n",
		s.connects, s.calls, s.concurrent, s.inFlight)
	fmt.Fprintf(w, "  in %d rounds that alternate between the clients, after %d sequential and %d concurrent warm-up calls\n\n",
		s.rounds, s.warmup, s.inFlight)

	goEntry := r.entry(clientGo)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tclient\tvalue\tvs Go client\t")
	for _, m := range r.metrics() {
		name := m.name
		for _, e := range r.entries {
			v, ok := m.value(&e.t)
			cell, vs := "—", ""
			if ok {
				cell = m.format(v)
			}
			if goEntry != nil && e != goEntry && ok {
				if g, gok := m.value(&goEntry.t); gok {
					vs = ratioText(slowdown(m, g, v))
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, label(e.name), cell, vs)
			name = ""
		}
	}
	tw.Flush()
	if r.entry(clientRaw) != nil {
		fmt.Fprintln(w, "(raw floor: latency stops at process_completed, before it reads the rest of the response;")
		fmt.Fprintln(w, " each of its concurrent calls in flight has a session of its own: sharing one session's stream is client logic)")
	}

	for _, e := range r.entries {
		if f := e.t.seqErrors + e.t.concErrs; f > 0 {
			fmt.Fprintf(w, "\n%s: %d of %d sequential and %d of %d concurrent calls failed (left out of the numbers); the first: %s\n",
				label(e.name), e.t.seqErrors, e.t.seqCalls, e.t.concErrs, e.t.concOK+e.t.concErrs, clip(e.t.firstErr, 300))
		}
	}

	if raw := r.entry(clientRaw); goEntry != nil && raw != nil && len(goEntry.t.latencies) > 0 && len(raw.t.latencies) > 0 {
		g, rw := benchapp.Quantile(goEntry.t.iterations, 0.5), benchapp.Quantile(raw.t.iterations, 0.5)
		gm, rm := meanPerCall(&goEntry.t), meanPerCall(&raw.t)
		fmt.Fprintf(w, "\nGo client vs raw floor, sequential time per call: %.2fx (median loop iteration, %s vs %s);\n",
			g.Seconds()/rw.Seconds(), fmtMs(ms(g)), fmtMs(ms(rw)))
		fmt.Fprintf(w, "  mean %.2fx (phase wall time over calls, %s vs %s); p50 latency %.2fx\n",
			gm.Seconds()/rm.Seconds(), fmtMs(ms(gm)), fmtMs(ms(rm)),
			benchapp.Quantile(goEntry.t.latencies, 0.5).Seconds()/benchapp.Quantile(raw.t.latencies, 0.5).Seconds())
	}

	benchapp.PrintTargets(w, r.targets())
}

// targets are the Go client's performance goals and whether they were met.
func (r *report) targets() []benchapp.Target {
	goEntry, raw, py, js := r.entry(clientGo), r.entry(clientRaw), r.entry(clientPython), r.entry(clientJS)
	var out []benchapp.Target

	t := benchapp.Target{Name: "sequential time per call within 1.10x of the raw floor", Verdict: "n/a", Detail: "needs -clients go,raw"}
	if goEntry != nil && raw != nil && len(goEntry.t.iterations) > 0 && len(raw.t.iterations) > 0 {
		x := benchapp.Quantile(goEntry.t.iterations, 0.5).Seconds() / benchapp.Quantile(raw.t.iterations, 0.5).Seconds()
		t.Verdict, t.Detail = benchapp.Verdict(x <= 1.10), fmt.Sprintf("%.2fx (median loop iteration)", x)
	}
	out = append(out, t)

	t = benchapp.Target{Name: "connect at least 5x faster than gradio_client", Verdict: "n/a", Detail: "needs -clients go,python"}
	if goEntry != nil && py != nil {
		x := benchapp.Quantile(py.t.connects, 0.5).Seconds() / benchapp.Quantile(goEntry.t.connects, 0.5).Seconds()
		t.Verdict, t.Detail = benchapp.Verdict(x >= 5), fmt.Sprintf("%.1fx faster", x)
	}
	out = append(out, t)

	t = benchapp.Target{Name: "ahead of both official clients on every row", Verdict: "n/a", Detail: "needs -clients go,python,js"}
	if goEntry != nil && py != nil && js != nil {
		var behind []string
		for _, m := range r.metrics() {
			g, gok := m.value(&goEntry.t)
			for _, o := range []*entry{py, js} {
				v, ok := m.value(&o.t)
				if !gok || !ok {
					behind = append(behind, fmt.Sprintf("%s: no value", m.name))
				} else if x := slowdown(m, g, v); x <= 1 {
					behind = append(behind, fmt.Sprintf("%s vs %s: %s", m.name, label(o.name), ratioText(x)))
				}
			}
		}
		t.Verdict, t.Detail = benchapp.Verdict(len(behind) == 0), "all rows"
		if len(behind) > 0 {
			t.Detail = "behind on " + strings.Join(behind, "; ")
		}
	}
	return append(out, t)
}

// slowdown is how many times worse the other client's value v is than the
// Go client's g: above 1 the Go client is ahead.
func slowdown(m metric, g, v float64) float64 {
	if m.lower {
		return v / g
	}
	return g / v
}

// ratioText says how another client compares with the Go client, given its
// slowdown.
func ratioText(x float64) string {
	switch {
	case math.IsInf(x, 0) || math.IsNaN(x):
		return "?"
	case x >= 1:
		return benchapp.FormatRatio(x) + " slower"
	default:
		return benchapp.FormatRatio(1/x) + " faster"
	}
}

// meanPerCall is the mean time per sequential call: the phases' wall time
// over the calls that succeeded (the inverse of calls/s).
func meanPerCall(t *tally) time.Duration {
	if len(t.latencies) == 0 {
		return 0
	}
	return t.seqWall / time.Duration(len(t.latencies))
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

// fmtMs prints milliseconds with three significant digits or more.
func fmtMs(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%.2f ms", v)
	}
}

func fmtRate(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// clip shortens s to n bytes.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
