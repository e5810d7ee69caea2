package replay

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/internal/term"
)

// Status is the verdict on one replayed call.
type Status string

// The verdicts on a call.
const (
	Passed  Status = "pass"    // every output matched
	Failed  Status = "fail"    // an output differs (see Diffs)
	Drifted Status = "drift"   // the endpoint changed since the recording (see Report.Drift)
	Errored Status = "error"   // the call could not be made or checked (see Err)
	Skipped Status = "skipped" // not replayed (see Reason)
)

// Outcome is the verdict on a whole replay, from worst to best.
type Outcome string

// The outcomes of a replay. Exit codes of `gradiorec replay` follow them
// (see ExitCode).
const (
	Pass        Outcome = "pass"        // every replayed call matched
	Mismatch    Outcome = "mismatch"    // some output differs
	Slower      Outcome = "slower"      // an endpoint got slower than Options.MaxSlowdown allows
	DriftFound  Outcome = "drift"       // the app's API changed since the recording
	Unreachable Outcome = "unreachable" // the app could not be reached, or went away
)

// CallResult is the verdict on one call.
type CallResult struct {
	ID         int           `json:"id"`       // the recorded call's id
	Session    string        `json:"session"`  // its session id
	Endpoint   string        `json:"endpoint"` // "/predict", or "fn_index 3"
	Status     Status        `json:"status"`
	Diffs      []Diff        `json:"diffs,omitempty"`  // Failed, Drifted: what differs
	Err        string        `json:"error,omitempty"`  // Errored, Drifted: why
	Reason     string        `json:"reason,omitempty"` // Skipped: why
	Duration   time.Duration `json:"duration_ns"`      // the call as the client saw it
	ServerTime time.Duration `json:"server_time_ns"`   // the function's run time as the server reported it
}

// Report is the result of a replay.
type Report struct {
	URL      string        `json:"url"` // the app replayed against
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	Outcome  Outcome       `json:"outcome"`
	Err      string        `json:"error,omitempty"` // why the app could not be reached
	Drift    []Drift       `json:"drift,omitempty"`
	Calls    []CallResult  `json:"calls"`
	// Latency is each endpoint's latency, recorded and replayed.
	Latency []Latency `json:"latency,omitempty"`
	// MaxSlowdown is the limit on an endpoint's slowdown (0: none).
	MaxSlowdown float64 `json:"max_slowdown,omitempty"`
}

// outcome derives the replay's outcome from its calls and drift.
func (r *Report) outcome() Outcome {
	count := r.Count()
	switch {
	case r.Err != "" || count[Errored] > 0:
		return Unreachable
	case len(r.Drift) > 0 || count[Drifted] > 0:
		return DriftFound
	case count[Failed] > 0:
		return Mismatch
	case slices.ContainsFunc(r.Latency, func(l Latency) bool { return l.TooSlow }):
		return Slower
	}
	return Pass
}

// Count returns the number of calls per status.
func (r *Report) Count() map[Status]int {
	n := map[Status]int{}
	for _, c := range r.Calls {
		n[c.Status]++
	}
	return n
}

// Exit codes of `gradiorec replay`, one per outcome, plus bad input.
const (
	ExitPass        = 0 // every call matched
	ExitMismatch    = 1 // an output differs, or an endpoint got too slow
	ExitBadInput    = 2 // bad arguments, a corrupt or unknown recording, a missing fixture
	ExitDrift       = 3 // the app's API changed
	ExitUnreachable = 4 // the app could not be reached, or went away
)

// ExitCode is the exit code for the outcome.
func (r *Report) ExitCode() int {
	switch r.Outcome {
	case Pass:
		return ExitPass
	case Mismatch, Slower:
		return ExitMismatch
	case DriftFound:
		return ExitDrift
	}
	return ExitUnreachable
}

// WriteJSON writes the report as indented JSON. The password of the app's
// URL is hidden, and DEL, C1 controls and bidi overrides in what the app
// and the recording said are written as \u escapes (term.JSON), as
// encoding/json does for the other controls.
func (r *Report) WriteJSON(w io.Writer) error {
	safe := *r
	safe.URL, safe.Err = term.HideURLPasswords(r.URL), term.HideURLPasswords(r.Err)
	enc := json.NewEncoder(term.JSON(w))
	enc.SetIndent("", "  ")
	return enc.Encode(&safe)
}

// Styles for WriteText: colours for a terminal, or none.
var (
	Plain  = Style{}
	Colour = Style{pass: "\x1b[32m", fail: "\x1b[31m", warn: "\x1b[33m", dim: "\x1b[2m", reset: "\x1b[0m"}
)

// Style is how WriteText marks verdicts.
type Style struct{ pass, fail, warn, dim, reset string }

func (s Style) paint(colour, text string) string {
	if colour == "" {
		return text
	}
	return colour + text + s.reset
}

func (s Style) status(st Status) string {
	switch st {
	case Passed:
		return s.paint(s.pass, "PASS ")
	case Failed:
		return s.paint(s.fail, "FAIL ")
	case Drifted:
		return s.paint(s.warn, "DRIFT")
	case Errored:
		return s.paint(s.fail, "ERROR")
	}
	return s.paint(s.dim, "SKIP ")
}

// WriteCall writes one call's verdict as WriteText does, for progress while
// a replay runs. What the recording and the app said (names, values,
// errors) is shown with its control characters escaped (term.Escape).
func (s Style) WriteCall(w io.Writer, c CallResult) {
	fmt.Fprintf(w, "%s call %d %s %s\n", s.status(c.Status), c.ID, term.Escape(c.Endpoint),
		s.paint(s.dim, fmt.Sprintf("(%s, %s)", term.Escape(c.Session), round(c.Duration))))
	for _, d := range c.Diffs {
		fmt.Fprintf(w, "      %s\n", term.Escape(d.String()))
	}
	if c.Err != "" {
		fmt.Fprintf(w, "      %s\n", term.Escape(c.Err))
	}
	if c.Reason != "" {
		fmt.Fprintf(w, "      %s\n", s.paint(s.dim, term.Escape(c.Reason)))
	}
}

// WriteText writes the report for people: each call that did not pass
// (every call with all), then the summary (see WriteSummary).
func (r *Report) WriteText(w io.Writer, s Style, all bool) {
	for _, c := range r.Calls {
		if all || c.Status != Passed && c.Status != Skipped {
			s.WriteCall(w, c)
		}
	}
	r.WriteSummary(w, s)
}

// WriteSummary writes why the app could not be reached, or the drift found
// and a line that counts the calls by verdict, with control characters
// escaped and the URL's password hidden (term.Escape).
func (r *Report) WriteSummary(w io.Writer, s Style) {
	if r.Err != "" {
		fmt.Fprintf(w, "%s %s: %s\n", s.paint(s.fail, "UNREACHABLE"), term.Escape(r.URL), term.Escape(r.Err))
		return
	}
	if len(r.Drift) > 0 {
		fmt.Fprintf(w, "%s the app's API changed since the recording:\n", s.paint(s.warn, "DRIFT"))
		for _, d := range r.Drift {
			fmt.Fprintf(w, "      %s\n", term.Escape(d.String()))
		}
	}
	for _, l := range r.Latency {
		if l.TooSlow {
			fmt.Fprintf(w, "%s %s, over the limit of %gx\n", s.paint(s.fail, "SLOWER"), term.Escape(l.String()), r.MaxSlowdown)
		}
	}
	n := r.Count()
	parts := []string{fmt.Sprintf("%d passed", n[Passed])}
	for _, st := range []Status{Failed, Drifted, Errored, Skipped} {
		if n[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[st], verdictNames[st]))
		}
	}
	colour := s.pass
	if r.Outcome != Pass {
		colour = s.fail
	}
	fmt.Fprintf(w, "%s: %s against %s in %s\n", s.paint(colour, strings.ToUpper(string(r.Outcome))), strings.Join(parts, ", "), term.Escape(r.URL), round(r.Duration))
}

var verdictNames = map[Status]string{Failed: "failed", Drifted: "drifted", Errored: "errors", Skipped: "skipped"}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d
}

// JUnit XML, as CI systems read it.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     float64     `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      float64       `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one test case per call, named
// suite; drift is a failing case of its own.
func (r *Report) WriteJUnit(w io.Writer, suite string) error {
	return WriteJUnitSuites(w, []*Report{r}, []string{suite})
}

// WriteJUnitSuites writes reports as JUnit XML, one test suite each, named
// by names.
func WriteJUnitSuites(w io.Writer, reports []*Report, names []string) error {
	suites := junitSuites{Suites: []junitSuite{}}
	for i, r := range reports {
		suites.Suites = append(suites.Suites, r.junit(names[i]))
	}
	return suites.write(w)
}

// write writes the suites as an XML document.
func (suites junitSuites) write(w io.Writer) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(suites); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junit is the report as a JUnit test suite.
func (r *Report) junit(suite string) junitSuite {
	s := junitSuite{Name: suite, Time: r.Duration.Seconds()}
	if r.Err != "" {
		s.Cases = append(s.Cases, junitCase{Name: "connect", ClassName: suite, Error: &junitProblem{Message: "app unreachable", Type: "unreachable", Text: r.Err}})
	}
	if len(r.Drift) > 0 {
		var b strings.Builder
		for _, d := range r.Drift {
			fmt.Fprintln(&b, d)
		}
		s.Cases = append(s.Cases, junitCase{Name: "api drift", ClassName: suite, Failure: &junitProblem{Message: fmt.Sprintf("%d change(s) to the app's API", len(r.Drift)), Type: "drift", Text: b.String()}})
	}
	for _, l := range r.Latency {
		if l.TooSlow {
			s.Cases = append(s.Cases, junitCase{Name: "latency " + l.Endpoint, ClassName: suite, Failure: &junitProblem{
				Message: fmt.Sprintf("%.2gx slower, over the limit of %gx", l.Slowdown, r.MaxSlowdown), Type: "slower", Text: l.String()}})
		}
	}
	for _, c := range r.Calls {
		jc := junitCase{Name: fmt.Sprintf("call %d %s", c.ID, c.Endpoint), ClassName: suite + "." + c.Session, Time: c.Duration.Seconds()}
		var b strings.Builder
		for _, d := range c.Diffs {
			fmt.Fprintln(&b, d)
		}
		if c.Err != "" {
			fmt.Fprintln(&b, c.Err)
		}
		switch c.Status {
		case Failed:
			jc.Failure = &junitProblem{Message: "output differs", Type: "mismatch", Text: b.String()}
		case Drifted:
			jc.Failure = &junitProblem{Message: "endpoint changed", Type: "drift", Text: b.String()}
		case Errored:
			jc.Error = &junitProblem{Message: "call not made", Type: "error", Text: b.String()}
		case Skipped:
			jc.Skipped = &junitProblem{Message: c.Reason}
		}
		s.Cases = append(s.Cases, jc)
	}
	s.count()
	return s
}

// count sets the suite's totals from its cases.
func (s *junitSuite) count() {
	s.Tests, s.Failures, s.Errors, s.Skipped = 0, 0, 0, 0
	for _, c := range s.Cases {
		s.Tests++
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
	}
}
