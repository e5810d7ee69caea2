// Command recorder measures the cost and the completeness of the recorder's
// capture (package recorder), with real Chromium on a real Gradio app, in
// one run.
//
//	go run ./bench/recorder [-sources cdp,extension] [-burst 2000] [-bursts 3] [-ticks 200] [-stamps 200] [-calls 50] [-rounds 6] [-starts 5] [-phases …] [-version 6.31.0]
//
// It starts testdata/apps/echo.py, and for the latency phase
// bench/recorder/testdata/ticks.py, each on a free loopback port with the
// project's virtualenv for the Gradio version, in a process group of its
// own that is stopped at exit (also on Ctrl-C and errors), and a Chromium
// for each source, in which recorders (WithBrowser) and plain tabs without
// capture open side by side. The sources are "cdp", the recorder's own
// DevTools capture, in a Chromium with the recorder's flags
// (recorder.BrowserFrom), and "extension", gradiorec's browser extension
// (WithVia), in a Chromium that recorder.NewBrowser starts with the
// extension loaded and paired with a relay server of the harness's. The
// completeness, latency and overhead phases run for each source; start-up
// for cdp. Four phases:
//
//   - completeness: a recorder's tab sets n and clicks Burst, a generator
//     that yields 1..n as fast as it can; the recording must hold every
//     update, in order, and the final n. Also timed: the click until the
//     page shows n, against a plain tab, and the click until the recorder's
//     completed event, against the Go client's Submit of the same burst;
//     and this process's allocations per update.
//   - latency: /ticks (ticks.py) is a generator that yields the server's
//     time.time_ns() every 20 ms; the delay from each stamp to the
//     CallUpdated event that brings it to the recorder's WithOnEvent
//     callback is measured for -ticks updates sent on an open event stream,
//     p50 and p99, against the Go client's delay on calls of its own (same
//     machine, same clock). Per call: /stamp returns the server's
//     time.time_ns() taken just before it returns, before the page has
//     opened the call's event stream; the delay to the completed call is
//     measured for -stamps calls the same way.
//   - overhead: a session of -calls fill+click echo calls (steps.Script)
//     run in a recorder's tab and in a plain tab, both waiting for the
//     answer on the page, in -rounds rounds that alternate the order.
//   - start-up: recorder.New with a browser of its own (what `gradiorec
//     record` does) against a bare Chromium launch that opens the same URL
//     until the load event, and until the app is rendered.
//
// It prints one table with the ratios, a row per measure and source, and
// PASS or FAIL for the targets of each source (every burst complete; the
// p50 of an update's delay on an open stream under 10 ms; a recorded
// session within 1.10x of the plain one), without asserting them. See
// bench/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the command: it returns the exit status (0 also when a target is
// missed: the harness reports, it does not assert).
func run(args []string, stdout, stderr io.Writer) int {
	s, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench(ctx, s, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "recorder:", err)
		return 1
	}
	rep.print(stdout)
	return 0
}

// parseFlags reads the command line into settings.
func parseFlags(args []string, stderr io.Writer) (settings, error) {
	s := defaultSettings()
	fs := flag.NewFlagSet("recorder", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./bench/recorder [flags]\n\nMeasures the recorder's capture on testdata/apps/echo.py (and bench/recorder/testdata/ticks.py) in real Chromium, through DevTools and through the browser extension: completeness of a burst, latency, overhead of a session, start-up.\n\nFlags:")
		fs.PrintDefaults()
	}
	fs.IntVar(&s.burst, "burst", s.burst, "updates of each /burst call")
	fs.IntVar(&s.bursts, "bursts", s.bursts, "bursts of each kind: recorded, plain tab, Go client")
	fs.IntVar(&s.ticks, "ticks", s.ticks, "/ticks updates on an open stream measured through the recorder and through the Go client")
	fs.IntVar(&s.stamps, "stamps", s.stamps, "/stamp calls measured through the recorder and through the Go client")
	fs.IntVar(&s.stampWarmup, "stamp-warmup", s.stampWarmup, "/stamp calls before those, not measured")
	fs.IntVar(&s.calls, "calls", s.calls, "echo calls (fill+click) of each overhead session")
	fs.IntVar(&s.rounds, "rounds", s.rounds, "overhead sessions of each kind: recorded, plain tab")
	fs.IntVar(&s.starts, "starts", s.starts, "start-ups of each kind: recorder.New, bare Chromium")
	phases := fs.String("phases", strings.Join(s.phases, ","), "phases to run, comma-separated: "+strings.Join(allPhases, ", "))
	sources := fs.String("sources", strings.Join(s.sources, ","), "sources to record through, comma-separated, each in a Chromium of its own: "+strings.Join(allSources, ", "))
	fs.StringVar(&s.version, "version", s.version, "Gradio version (the virtualenv .venv/gradio-<version>)")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	s.phases = strings.Split(*phases, ",")
	s.sources = nil
	if *sources != "" {
		s.sources = strings.Split(*sources, ",")
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "recorder: unexpected arguments %q\n", fs.Args())
		return s, errors.New("unexpected arguments")
	}
	if err := s.check(); err != nil {
		fmt.Fprintln(stderr, "recorder:", err)
		return s, err
	}
	return s, nil
}
