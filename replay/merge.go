package replay

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/internal/term"
)

// MaxJUnitSize bounds each report MergeJUnit reads.
const MaxJUnitSize = 256 << 20

// MergeJUnit writes the JUnit reports of several replays (the shards of one
// run, see gradiorec replay --shard) as one: a suite per recording, in order
// of name. A recording split across shards by session becomes one suite
// again, its calls in recorded order and its "connect" and "api drift" cases
// once; its time is the sum of the shards'. The merge of every shard equals
// the report of the unsharded run but for the times. Each report is read up
// to MaxJUnitSize; an error names the report it is about.
func MergeJUnit(w io.Writer, reports []JUnitReport) error {
	bySuite := map[string]*junitSuite{}
	for _, r := range reports {
		suites, err := readJUnit(r.Body)
		if err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
		for _, s := range suites {
			m := bySuite[s.Name]
			if m == nil {
				bySuite[s.Name] = &s
				continue
			}
			m.Time += s.Time
			for _, c := range s.Cases {
				if _, call := callNumber(c.Name); call || !slices.ContainsFunc(m.Cases, func(h junitCase) bool { return h.Name == c.Name }) {
					m.Cases = append(m.Cases, c)
				}
			}
		}
	}
	merged := junitSuites{Suites: []junitSuite{}}
	for _, s := range bySuite {
		slices.SortStableFunc(s.Cases, func(a, b junitCase) int {
			na, ca := callNumber(a.Name)
			nb, cb := callNumber(b.Name)
			switch {
			case ca && cb:
				return na - nb
			case ca:
				return 1 // "connect" and "api drift" first
			case cb:
				return -1
			}
			return 0
		})
		s.count()
		merged.Suites = append(merged.Suites, *s)
	}
	slices.SortFunc(merged.Suites, func(a, b junitSuite) int { return strings.Compare(a.Name, b.Name) })
	return merged.write(w)
}

// JUnitReport is a report for MergeJUnit: its name, for errors, and body.
type JUnitReport struct {
	Name string
	Body io.Reader
}

// readJUnit reads a JUnit document: <testsuites>, or a lone <testsuite>.
func readJUnit(r io.Reader) ([]junitSuite, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxJUnitSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxJUnitSize {
		return nil, fmt.Errorf("larger than %d MiB: not a replay's JUnit report", MaxJUnitSize>>20)
	}
	var root struct{ XMLName xml.Name }
	if err := xml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("not XML (%v): give the files that gradiorec replay --junit wrote", err)
	}
	switch root.XMLName.Local {
	case "testsuites":
		var suites junitSuites
		err := xml.Unmarshal(data, &suites)
		return suites.Suites, err
	case "testsuite":
		var one junitSuite
		err := xml.Unmarshal(data, &one)
		return []junitSuite{one}, err
	}
	return nil, fmt.Errorf("not a JUnit report: its root is <%s>, not <testsuites>", term.Escape(root.XMLName.Local))
}

// callNumber reads the recorded call id from a case named "call 12 /x".
func callNumber(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "call ")
	if !ok {
		return 0, false
	}
	num, _, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(num)
	return n, err == nil
}
