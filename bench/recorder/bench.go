package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
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

func (s settings) runs(phase string) bool { return slices.Contains(s.phases, phase) }

func defaultSettings() settings {
	return settings{burst: 2000, bursts: 3, stamps: 200, stampWarmup: 10, ticks: 200, calls: 50, rounds: 6, starts: 5, version: "6.31.0",
		phases: slices.Clone(allPhases)}
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

// sessionPair is one round of the overhead phase.
type sessionPair struct{ recorded, plain time.Duration }

// burstRound is one round of the completeness phase.
type burstRound struct{ recorded, plain, goClient burstRun }

// bench starts the echo app (and, for the latency phase, the ticks app) and
// a Chromium, runs the four phases and returns the report. Everything it
// started is stopped when it returns. Progress goes to log.
func bench(ctx context.Context, s settings, log io.Writer) (*report, error) {
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

	fmt.Fprintln(log, "starting Chromium")
	b, err := startBrowser(ctx)
	if err != nil {
		return nil, err
	}
	defer b.close()
	if v, err := chromedp.CallBrowser(b.ctx, cdpbrowser.GetVersion, cdp.Empty{}); err == nil {
		rep.chromium = v.Product
	}
	c, err := gradio.Connect(ctx, app.URL, gradio.WithJSONNumber())
	if err != nil {
		return nil, fmt.Errorf("connect the Go client: %w", err)
	}
	defer c.Close()

	// Warm up the app, the browser and the client: one short session of each
	// kind, one burst of each kind.
	fmt.Fprintln(log, "warm-up")
	r, err := record(ctx, b.rec, url)
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
	if _, err := burstGo(ctx, c, 10); err != nil {
		return nil, err
	}

	start := time.Now()
	for i := range s.bursts {
		if !s.runs(phaseCompleteness) {
			break
		}
		fmt.Fprintf(log, "completeness: burst %d of %d (%s)\n", i+1, s.bursts, benchapp.Elapsed(start))
		var br burstRound
		kinds := []func() error{
			func() (err error) { br.recorded, err = burstRecorded(ctx, b, url, s.burst); return },
			func() (err error) { br.plain, err = burstPlain(ctx, b, url, s.burst); return },
			func() (err error) { br.goClient, err = burstGo(ctx, c, s.burst); return },
		}
		if err := alternate(i, kinds...); err != nil {
			return nil, fmt.Errorf("burst of %d: %w", s.burst, err)
		}
		rep.bursts = append(rep.bursts, br)
	}

	if s.runs(phaseLatency) {
		fmt.Fprintf(log, "latency: %d /ticks updates on an open stream through the recorder and the Go client (%s)\n", s.ticks, benchapp.Elapsed(start))
		tc, err := gradio.Connect(ctx, tickApp.URL, gradio.WithJSONNumber())
		if err != nil {
			return nil, fmt.Errorf("connect the Go client to %s: %w", ticksScript, err)
		}
		rep.streamed, err = ticks(ctx, b, tc, tickApp.URL+"/", s.ticks)
		tc.Close()
		if err != nil {
			return nil, fmt.Errorf("latency: %w", err)
		}
		fmt.Fprintf(log, "latency: %d /stamp calls through the recorder and the Go client (%s)\n", s.stampWarmup+s.stamps, benchapp.Elapsed(start))
		if rep.latency, err = stamps(ctx, b, c, url, s.stamps, s.stampWarmup); err != nil {
			return nil, fmt.Errorf("latency: %w", err)
		}
	}

	for i := range s.rounds {
		if !s.runs(phaseOverhead) {
			break
		}
		fmt.Fprintf(log, "overhead: session %d of %d, %d calls each (%s)\n", i+1, s.rounds, s.calls, benchapp.Elapsed(start))
		var p sessionPair
		err := alternate(i,
			func() (err error) { p.recorded, err = sessionRecorded(ctx, b, url, s.calls); return },
			func() (err error) { p.plain, err = sessionPlain(ctx, b, url, s.calls); return },
		)
		if err != nil {
			return nil, fmt.Errorf("overhead: %w", err)
		}
		rep.sessions = append(rep.sessions, p)
	}

	for i := range s.starts {
		if !s.runs(phaseStartup) {
			break
		}
		fmt.Fprintf(log, "start-up %d of %d (%s)\n", i+1, s.starts, benchapp.Elapsed(start))
		var st startRun
		err := alternate(i,
			func() (err error) { st.recorder, err = startRecorder(ctx, url); return },
			func() (err error) { st.load, st.rendered, err = startBare(ctx, b.path, url); return },
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
