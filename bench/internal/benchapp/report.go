package benchapp

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// Quantile returns the q-quantile of ds by the nearest-rank method (0 for
// none).
func Quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// FormatRatio prints a ratio as "1.23x", or "12.3x" from 10 up.
func FormatRatio(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.1fx", x)
	}
	return fmt.Sprintf("%.2fx", x)
}

// Elapsed is the time since start, rounded for progress lines.
func Elapsed(start time.Time) time.Duration {
	return time.Since(start).Round(100 * time.Millisecond)
}

// Target is a goal a harness measures and reports without asserting it.
type Target struct {
	Name    string
	Verdict string // PASS, FAIL or n/a
	Detail  string
}

// Verdict is PASS when ok, else FAIL.
func Verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

// PrintTargets writes the targets, one a line, and the reminder that closes
// every report.
func PrintTargets(w io.Writer, targets []Target) {
	fmt.Fprintln(w, "\ntargets (reported, not asserted):")
	for _, t := range targets {
		fmt.Fprintf(w, "  %-4s  %s: %s\n", t.Verdict, t.Name, t.Detail)
	}
	fmt.Fprintln(w, "\nThe machine is shared and noisy: compare the ratios, not the absolute times, and only within one run.")
}
