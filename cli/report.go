package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/gradiorec/gradiorec/replay"
)

// reportCommand is gradiorec report.
var reportCommand = command{
	summary: "merge the JUnit reports of sharded replays into one",
	usage:   "merge [-o FILE] report.xml...",
	help: `report merge reads the JUnit reports that the shards of one replay wrote
(gradiorec replay --shard I/N --junit FILE on N runners) and writes them as
one: a test suite per recording, in order of name, a recording split by
session across shards whole again. It equals the report of the run without
--shard but for the times. -o FILE writes it there (checked first, replaced
whole at the end); by default it goes to stdout.

Exit codes: 0 merged, 2 bad arguments or a report that is not JUnit XML.`,
	run: runReport,
}

func runReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "merge" {
		return usagef("want a subcommand: merge")
	}
	fs := newFlags(e, "report merge")
	out := fs.String("o", "", "write the merged report to `file` (default: stdout)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("want the JUnit reports to merge")
	}
	var reports []replay.JUnitReport
	for _, path := range pos {
		f, err := os.Open(path)
		if err != nil {
			return &exitError{code: replay.ExitBadInput, err: err}
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return usagef("%s is a folder: give the report files", path)
		}
		reports = append(reports, replay.JUnitReport{Name: path, Body: f})
	}
	var merged bytes.Buffer
	if err := replay.MergeJUnit(&merged, reports); err != nil {
		return &exitError{code: replay.ExitBadInput, err: err}
	}
	if *out == "" {
		_, err := merged.WriteTo(e.stdout)
		return err
	}
	report, err := reserveReport("-o", *out, "", pos...)
	if err != nil {
		return err
	}
	defer report.discard()
	if err := report.write(func(w io.Writer) error { _, err := merged.WriteTo(w); return err }); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "merged %d reports into %s\n", len(pos), *out)
	return nil
}
