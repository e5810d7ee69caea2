package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
	"github.com/gradiorec/gradiorec/gradio"
)

// settings are the parameters of one run.
type settings struct {
	burst       int      // updates of each burst
	bursts      int      // bursts of each kind (recorded, plain, Go client)
	stamps      int      // /stamp calls measured, through the recorder and the Go client each
	stampWarmup int      // /stamp calls before those, not measured
	ticks       int      // /ticks updates measured on an open stream, through the recorder and the Go client each
	calls       int      // echo calls of the overhead session
	rounds      int      // overhead sessions of each kind (recorded, plain)
	starts      int      // start-ups of each kind (recorder, bare Chromium)
	phases      []string // of allPhases, in any order; they run in allPhases's order
	sources     []string // of allSources, in the order of the table's rows
	version     string
	root        string // the repository; found from the working directory when ""
}

// The phases of a run.
const (
	phaseCompleteness = "completeness"
	phaseLatency      = "latency"
	phaseOverhead     = "overhead"
	phaseStartup      = "startup"
)

var allPhases = []string{phaseCompleteness, phaseLatency, phaseOverhead, phaseStartup}

// The sources a recorder captures through, each in a Chromium of its own:
// DevTools (the recorder's Network domain, recorder/cdp.go) and the browser
// extension (WithVia, recorder/relay.go). Start-up is measured for
// sourceCDP only.
const (
	sourceCDP       = "cdp"
	sourceExtension = "extension"
)

var allSources = []string{sourceCDP, sourceExtension}

func (s settings) runs(phase string) bool { return slices.Contains(s.phases, phase) }

func defaultSettings() settings {
	return settings{burst: 2000, bursts: 3, stamps: 200, stampWarmup: 10, ticks: 200, calls: 50, rounds: 6, starts: 5, version: "6.31.0",
		phases: slices.Clone(allPhases), sources: slices.Clone(allSources)}
}

func (s settings) check() error {
	if s.burst < 1 || s.bursts < 1 || s.stamps < 1 || s.ticks < 1 || s.calls < 1 || s.rounds < 1 || s.starts < 1 || s.stampWarmup < 0 {
		return errors.New("-burst, -bursts, -stamps, -ticks, -calls, -rounds and -starts must be at least 1, -stamp-warmup at least 0")
	}
	if len(s.phases) == 0 {
		return errors.New("-phases is empty")
	}
	for _, p := range s.phases {
		if !slices.Contains(allPhases, p) {
			return fmt.Errorf("unknown phase %q in -phases; known: %s", p, strings.Join(allPhases, ", "))
		}
	}
	if len(s.sources) == 0 {
		return errors.New("-sources is empty: give cdp, extension or both")
	}
	for i, src := range s.sources {
		if !slices.Contains(allSources, src) {
			return fmt.Errorf("unknown source %q in -sources; known: %s", src, strings.Join(allSources, ", "))
		}
		if slices.Contains(s.sources[:i], src) {
			return fmt.Errorf("source %q twice in -sources: give each once", src)
		}
	}
	return nil
}

// ticksScript is the ticks app, under bench/recorder: a generator that
// stamps its updates (see ticks.go). It imports testdata/apps/_testbed.py.
const ticksScript = "testdata/ticks.py"

// startTicks starts the ticks app with the interpreter py, with the quiet
// analytics settings; root is the repository.
func startTicks(ctx context.Context, root, py string) (*benchapp.App, error) {
	env := append([]string{"PYTHONPATH=" + filepath.Join(root, "testdata", "apps")}, benchapp.QuietAnalytics...)
	return benchapp.Start(ctx, py, filepath.Join(root, "bench", "recorder", ticksScript), env)
}

// sessionPair is one round of the overhead phase, for one source.
type sessionPair struct{ recorded, plain time.Duration }

// burstRound is one round of the completeness phase, for one source; the
// Go client's burst of the round is the baseline of every source.
type burstRound struct{ recorded, plain, goClient burstRun }

// sourceRun is what the phases measured through one source, against the
// plain tabs of the same browser and the Go client.
type sourceRun struct {
	source   string
	bursts   []burstRound
	streamed streamed
	latency  latencies
	sessions []sessionPair
}

// lockedWriter writes to w one Write at a time: the progress of the
// harness and the relay's diagnostics, from its own goroutines, share it.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// bench starts the echo app (and, for the latency phase, the ticks app) and
// a Chromium for each source, runs the four phases and returns the report.
// Everything it started is stopped when it returns. Progress, and the
// relay's diagnostics for the extension source, go to log.
func bench(ctx context.Context, s settings, log io.Writer) (*report, error) {
	log = &lockedWriter{w: log}
	root, py, err := benchapp.Locate(s.root, s.version)
	if err != nil {
		return nil, err
	}
	rep := &report{s: s, machine: benchapp.Machine(), loadStart: benchapp.LoadAverage(), date: time.Now()}

	apps := filepath.Join(root, "testdata", "apps")
	var tickApp *benchapp.App
	tickErr := make(chan error, 1)
	if s.runs(phaseLatency) {
		// Side by side with echo.py: importing Gradio takes a while.
		fmt.Fprintf(log, "starting bench/recorder/%s on Gradio %s\n", ticksScript, s.version)
		go func() {
			var err error
			tickApp, err = startTicks(ctx, root, py)
			tickErr <- err
		}()
	} else {
		tickErr <- nil
	}
	fmt.Fprintf(log, "starting testdata/apps/echo.py on Gradio %s\n", s.version)
	app, err := benchapp.Start(ctx, py, filepath.Join(apps, "echo.py"), benchapp.QuietAnalytics)
	if terr := <-tickErr; terr != nil || err != nil {
		if app != nil {
			app.Stop()
		}
		if tickApp != nil {
			tickApp.Stop()
		}
		return nil, errors.Join(err, terr)
	}
	defer app.Stop()
	if tickApp != nil {
		defer tickApp.Stop()
	}
	url := app.URL + "/"

	logf := func(format string, args ...any) { fmt.Fprintf(log, format+"\n", args...) }
	var browsers []*browser
	defer func() {
		for _, b := range browsers {
			b.close()
		}
	}()
	for _, src := range s.sources {
		fmt.Fprintf(log, "starting Chromium for the %s source\n", src)
		b, err := startBrowser(ctx, src, logf)
		if err != nil {
			return nil, fmt.Errorf("%s source: %w", src, err)
		}
		browsers = append(browsers, b)
		rep.sources = append(rep.sources, &sourceRun{source: src})
	}
	if v, err := chromedp.CallBrowser(browsers[0].ctx, cdpbrowser.GetVersion, cdp.Empty{}); err == nil {
		rep.chromium = v.Product
	}
	c, err := gradio.Connect(ctx, app.URL, gradio.WithJSONNumber())
	if err != nil {
		return nil, fmt.Errorf("connect the Go client: %w", err)
	}
	defer c.Close()

	// Warm up the app, the browsers and the client: one short session of
	// each kind in each browser, one burst of the Go client.
	fmt.Fprintln(log, "warm-up")
	for _, b := range browsers {
		r, err := record(ctx, b, url)
		if err != nil {
			return nil, err
		}
		rep.gradio = r.rec.App().Version
		r.rec.Stop()
		if _, err := sessionRecorded(ctx, b, url, 2); err != nil {
			return nil, err
		}
		if _, err := sessionPlain(ctx, b, url, 2); err != nil {
			return nil, err
		}
	}
	if _, err := burstGo(ctx, c, 10); err != nil {
		return nil, err
	}

	start := time.Now()
	for i := range s.bursts {
		if !s.runs(phaseCompleteness) {
			break
		}
		fmt.Fprintf(log, "completeness: burst %d of %d (%s)\n", i+1, s.bursts, benchapp.Elapsed(start))
		rounds := make([]burstRound, len(browsers))
		var goClient burstRun
		var kinds []func() error
		for j, b := range browsers {
			br := &rounds[j]
			kinds = append(kinds,
				func() (err error) { br.recorded, err = burstRecorded(ctx, b, url, s.burst); return },
				func() (err error) { br.plain, err = burstPlain(ctx, b, url, s.burst); return },
			)
		}
		kinds = append(kinds, func() (err error) { goClient, err = burstGo(ctx, c, s.burst); return })
		if err := alternate(i, kinds...); err != nil {
			return nil, fmt.Errorf("burst of %d: %w", s.burst, err)
		}
		for j, br := range rounds {
			br.goClient = goClient
			rep.sources[j].bursts = append(rep.sources[j].bursts, br)
		}
	}

	if s.runs(phaseLatency) {
		tc, err := gradio.Connect(ctx, tickApp.URL, gradio.WithJSONNumber())
		if err != nil {
			return nil, fmt.Errorf("connect the Go client to %s: %w", ticksScript, err)
		}
		defer tc.Close()
		for j, b := range browsers {
			sr := rep.sources[j]
			fmt.Fprintf(log, "latency (%s): %d /ticks updates on an open stream through the recorder and the Go client (%s)\n", b.source, s.ticks, benchapp.Elapsed(start))
			if sr.streamed, err = ticks(ctx, b, tc, tickApp.URL+"/", s.ticks); err != nil {
				return nil, fmt.Errorf("latency (%s): %w", b.source, err)
			}
			fmt.Fprintf(log, "latency (%s): %d /stamp calls through the recorder and the Go client (%s)\n", b.source, s.stampWarmup+s.stamps, benchapp.Elapsed(start))
			if sr.latency, err = stamps(ctx, b, c, url, s.stamps, s.stampWarmup); err != nil {
				return nil, fmt.Errorf("latency (%s): %w", b.source, err)
			}
		}
	}

	for i := range s.rounds {
		if !s.runs(phaseOverhead) {
			break
		}
		fmt.Fprintf(log, "overhead: session %d of %d, %d calls each (%s)\n", i+1, s.rounds, s.calls, benchapp.Elapsed(start))
		pairs := make([]sessionPair, len(browsers))
		var kinds []func() error
		for j, b := range browsers {
			p := &pairs[j]
			kinds = append(kinds,
				func() (err error) { p.recorded, err = sessionRecorded(ctx, b, url, s.calls); return },
				func() (err error) { p.plain, err = sessionPlain(ctx, b, url, s.calls); return },
			)
		}
		if err := alternate(i, kinds...); err != nil {
			return nil, fmt.Errorf("overhead: %w", err)
		}
		for j, p := range pairs {
			rep.sources[j].sessions = append(rep.sources[j].sessions, p)
		}
	}

	for i := range s.starts {
		if !s.runs(phaseStartup) {
			break
		}
		fmt.Fprintf(log, "start-up %d of %d (%s)\n", i+1, s.starts, benchapp.Elapsed(start))
		var st startRun
		err := alternate(i,
			func() (err error) { st.recorder, err = startRecorder(ctx, url); return },
			func() (err error) { st.load, st.rendered, err = startBare(ctx, browsers[0].path, url); return },
		)
		if err != nil {
			return nil, fmt.Errorf("start-up: %w", err)
		}
		rep.starts = append(rep.starts, st)
	}
	rep.loadEnd = benchapp.LoadAverage()
	return rep, nil
}

// alternate runs the kinds of measurement of round i, in their order in
// even rounds and in the reverse order in odd ones, so that none always
// runs first on a warm or a cold machine.
func alternate(i int, kinds ...func() error) error {
	for k := range kinds {
		j := k
		if i%2 == 1 {
			j = len(kinds) - 1 - k
		}
		if err := kinds[j](); err != nil {
			return err
		}
	}
	return nil
}
