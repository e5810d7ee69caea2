package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// replayCommand is gradiorec replay.
var replayCommand = command{
	summary: "replay a recording against the app and report what changed",
	usage:   "[--url URL] [--intent] [--parallel N] [--shard I/N] [--max-slowdown R] [--runs N] [--learn-noise N] [--rules FILE] [--json] [--junit FILE] [--all] session.json|FOLDER...",
	help: `Replays every call of the recording with the Go client, one session per
recorded session, and compares each output with the recorded one. Before the
calls it compares the app's API with the recorded one and reports drift.
Given a folder, it replays every recording (*.json) below it, in order of
name; given several recordings, each of them.

--parallel N replays N recorded sessions at once, of one recording or of
several, on one connection pool: each session's calls in their recorded
order (calls that overlapped in the recording may overlap), the reports in
recorded order. Sessions that share state on the server (a global counter)
may differ when replayed at once.
--shard I/N replays part I of N: the recordings whose names (their paths
below the folder, without .json) hash to it, or, for one recording, the
sessions whose ids do (FNV-1a, modulo N). N runners with I = 1..N cover
every recording once; "gradiorec report merge" joins their --junit reports.
--max-slowdown 2x fails the replay (exit 1) when an endpoint's median latency
grew more than 2 times over the recorded one (medians under 20ms count as
20ms, so jitter on fast calls does not flap); the report carries each
endpoint's p50, p95 and max, recorded and replayed (--all prints them).

--learn-noise N replays N times first, adds masks for whatever differed
between those runs (timestamps, random values; a stream whose updates vary
gets "final output only") to the recording and saves it.
--rules FILE chooses matchers (numeric tolerance, text similarity, image
tolerance, ignore, final) per endpoint, call or output path; see docs/replay.md.
--intent replays the intent form, the calls that generate writes by default
(a ChatInterface turn as one call of its public chat endpoint, with the reply
the page got; calls that only changed how the page looks left out), to check
the code a person would write; by default the page's own calls are replayed.
--junit FILE also writes the report as JUnit XML; FILE is checked before the
calls: not an input of the replay (the recording, its journal or files folder,
the rules file), and writable. A report that cannot be written exits 2.
--call-timeout D (default 10m) fails a call still running after D and goes on
with the next; --connect-timeout (10s) and --read-timeout (60s) bound each
request and each silence of the app. $HF_TOKEN goes only to Hugging Face
hosts unless --token-to-any-host is given; see docs/replay.md.

Exit codes: 0 every call matched, 1 an output differs or an endpoint got
slower than --max-slowdown, 2 bad arguments or a bad recording, 3 the app's
API drifted, 4 the app could not be reached or a call could not be made or
timed out, 130 interrupted (Ctrl-C) before it finished.`,
	run: runReplay,
}

func runReplay(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "replay")
	url := fs.String("url", "", "the app to replay against (default: the recorded URL)")
	runs := fs.Int("runs", 1, "replay this many times; the worst outcome counts")
	learn := fs.Int("learn-noise", 0, "first replay `N` times and mask what differs between runs, saving the masks in the recording")
	rulesFile := fs.String("rules", "", "a rules `file` choosing matchers per endpoint, call or output path")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	junit := fs.String("junit", "", "also write the report as JUnit XML to `file`")
	all := fs.Bool("all", false, "list every call, not only those that did not pass")
	parallel := fs.Int("parallel", 1, "replay `N` recorded sessions at once (of one recording or of several)")
	maxSlowdown := fs.String("max-slowdown", "", "fail when an endpoint's median latency grew more than this `ratio` (e.g. 2x) over the recorded one")
	shardFlag := fs.String("shard", "", "replay only part `I/N` of the recordings (of a single recording: of its sessions), chosen by name")
	intentForm := fs.Bool("intent", false, "replay the intent form: the calls the generated code makes by default (a ChatInterface turn as one call of its chat endpoint, no UI-only calls)")
	callTimeout := fs.Duration("call-timeout", replay.DefaultCallTimeout, "fail a call that has not finished after this long, and go on with the next (0: no limit)")
	var cf connectFlags
	cf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("want a recording file or a folder of recordings")
	}
	if *callTimeout < 0 {
		return usagef("--call-timeout %s is negative (0 means no limit)", *callTimeout)
	}
	if *runs < 1 {
		return usagef("--runs must be at least 1, not %d", *runs)
	}
	if *parallel < 1 {
		return usagef("--parallel must be at least 1, not %d", *parallel)
	}
	if *learn == 1 || *learn < 0 {
		return usagef("--learn-noise needs at least 2 runs to compare, not %d", *learn)
	}
	var slowdown float64
	if *maxSlowdown != "" {
		if slowdown, err = replay.ParseSlowdown(*maxSlowdown); err != nil {
			return usagef("--max-slowdown: %v", err)
		}
	}
	var sh shard
	if *shardFlag != "" {
		if sh, err = parseShard(*shardFlag); err != nil {
			return err
		}
	}
	items, several, err := listRecordings(pos)
	if err != nil {
		return err
	}
	if several && *learn > 0 {
		return usagef("--learn-noise learns the noise of one recording at a time, not of %d", len(items))
	}
	if *intentForm && *learn > 0 {
		return usagef("--learn-noise saves masks in the recording as the page made its calls: give it without --intent")
	}
	if sh.n > 0 && *learn > 0 {
		return usagef("--learn-noise replays the whole recording: give it without --shard")
	}
	if sh.n > 0 && several {
		items = sh.pickRecordings(e, items) // before loading: a runner loads only its share
	}
	if err := loadRecordings(items); err != nil {
		return err
	}
	if *intentForm {
		for i := range items {
			if items[i].rec, err = codegen.Intent(items[i].rec); err != nil {
				return &exitError{code: replay.ExitBadInput, err: fmt.Errorf("%s: %w", items[i].path, err)}
			}
		}
	}
	if sh.n > 0 && !several {
		items = sh.pickSessions(e, items[0])
	}
	copts, err := cf.options()
	if err != nil {
		return err
	}
	opts := replay.Options{URL: *url, Client: copts, CallTimeout: *callTimeout, Parallel: *parallel, MaxSlowdown: slowdown}
	if *rulesFile != "" {
		if opts.Rules, err = replay.LoadRules(*rulesFile); err != nil {
			return &exitError{code: replay.ExitBadInput, err: err}
		}
	}
	var report *reportFile // checked before any call, written at the end
	if *junit != "" {
		first := ""
		for _, it := range items {
			if first == "" {
				first = it.path
			} else if err := notAnInput("--junit", *junit, it.path); err != nil {
				return err
			}
		}
		if report, err = reserveReport("--junit", *junit, first, *rulesFile); err != nil {
			return err
		}
		defer report.discard()
	}
	if *learn > 0 {
		if err := learnNoise(ctx, e, items[0].path, items[0].rec, opts, *learn); err != nil {
			return err
		}
	}

	style := replay.Plain
	if isTerminal(e.stdout) && os.Getenv("NO_COLOR") == "" {
		style = replay.Colour
	}
	printCall := func(c replay.CallResult) {
		if *all || c.Status != replay.Passed && c.Status != replay.Skipped {
			style.WriteCall(e.stdout, c)
		}
	}
	if !*asJSON && !several {
		opts.OnCall = printCall // as they finish
	}
	onReport := func(i int, rep *replay.Report) {
		if msg := cf.loginHint(rep.Err, rep.URL); msg != "" {
			rep.Err = msg
		}
		if *asJSON {
			return
		}
		if several {
			fmt.Fprintf(e.stdout, "%s\n", term.Escape(items[i].name))
			for _, c := range rep.Calls {
				printCall(c)
			}
		}
		if *all {
			rep.WriteLatency(e.stdout, style)
		}
		rep.WriteSummary(e.stdout, style)
	}
	recordings := make([]*recording.Recording, len(items))
	for i, it := range items {
		recordings[i] = it.rec
	}
	worst := make([]*replay.Report, len(items)) // of each recording, over the runs
	for run := range *runs {
		if *runs > 1 && !*asJSON {
			fmt.Fprintf(e.stdout, "run %d of %d\n", run+1, *runs)
		}
		reports, err := replay.RunAll(ctx, recordings, opts, onReport)
		if err != nil {
			return replayError(err)
		}
		for i, rep := range reports {
			if worst[i] == nil || rep.ExitCode() > worst[i].ExitCode() {
				worst[i] = rep
			}
		}
	}
	if len(items) == 0 && !*asJSON {
		fmt.Fprintln(e.stdout, "nothing to replay in this shard")
	}
	if *asJSON {
		if err := writeReportsJSON(e.stdout, items, worst, several); err != nil {
			return err
		}
	}
	if report != nil {
		names := make([]string, len(items))
		for i, it := range items {
			names[i] = it.name
		}
		if err := report.write(func(w io.Writer) error { return replay.WriteJUnitSuites(w, worst, names) }); err != nil {
			return err
		}
	}
	code := replay.ExitPass
	for _, rep := range worst {
		code = max(code, rep.ExitCode())
	}
	if code != replay.ExitPass {
		return &exitError{code: code}
	}
	return nil
}

// writeReportsJSON prints the report of one recording given alone as an
// object, and those of several (or of a shard with none) as an array of
// {"recording": name, "report": {...}}.
func writeReportsJSON(w io.Writer, items []replayItem, reports []*replay.Report, several bool) error {
	if !several && len(reports) == 1 {
		return reports[0].WriteJSON(w)
	}
	type entry struct {
		Recording string          `json:"recording"`
		Report    json.RawMessage `json:"report"`
	}
	entries := make([]entry, len(items))
	for i, rep := range reports {
		var b bytes.Buffer
		if err := rep.WriteJSON(&b); err != nil {
			return err
		}
		entries[i] = entry{Recording: items[i].name, Report: b.Bytes()}
	}
	enc := json.NewEncoder(term.JSON(w))
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

// learnNoise replays runs times, adds the masks learned to the recording
// and saves it in place.
func learnNoise(ctx context.Context, e *env, path string, rec *recording.Recording, opts replay.Options, runs int) error {
	if err := checkWritable(path); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "learning noise: replaying %d times\n", runs)
	masks, last, err := replay.Learn(ctx, rec, opts, runs)
	if err != nil {
		return replayError(err)
	}
	if steady := steadyChanges(last, masks); len(steady) > 0 {
		fmt.Fprintf(e.stderr, "every run differed from the recording alike in call(s) %s: a change in the app, "+
			"or noise that came out the same %d times; learn with more runs (--learn-noise %d) to tell\n",
			strings.Join(steady, ", "), runs, 2*runs)
	}
	if len(masks) == 0 {
		fmt.Fprintf(e.stderr, "the %d runs did not differ: no noise to mask; the recording is unchanged\n", runs)
		return nil
	}
	fmt.Fprintf(e.stderr, "the %d runs differed in:\n", runs)
	before := slices.Clone(rec.Masks)
	for _, m := range masks {
		what := "output " + term.Escape(m.Path)
		if m.Path == replay.UpdatesPath {
			what = "its streamed updates (their number or contents): only the final output will be compared"
		}
		state := "masked now"
		if slices.Contains(before, m) {
			state = "already masked"
		}
		fmt.Fprintf(e.stderr, "  call %d %s: %s, %s\n", m.Call, term.Escape(m.Endpoint), what, state)
	}
	added := replay.AddMasks(rec, masks)
	if added == 0 {
		fmt.Fprintln(e.stderr, "all of it was masked already; the recording is unchanged")
		return nil
	}
	if err := recording.Save(path, rec); err != nil {
		return &exitError{code: replay.ExitBadInput, err: fmt.Errorf("save the learned masks: %w", err)}
	}
	fmt.Fprintf(e.stderr, "saved %d new mask(s) in %s\n", added, path)
	return nil
}

// steadyChanges names the calls that differed from the recording in the
// last learning run where no learned mask covers it: in a part that came
// out the same in every run.
func steadyChanges(last *replay.Report, masks []recording.Mask) []string {
	var names []string
	for _, c := range last.Calls {
		covered := func(d replay.Diff) bool {
			return slices.ContainsFunc(masks, func(m recording.Mask) bool {
				return m.Call == c.ID && (m.Path == replay.UpdatesPath || d.Path == m.Path || strings.HasPrefix(d.Path, m.Path+"/"))
			})
		}
		if c.Status != replay.Failed {
			continue
		}
		if len(c.Diffs) > 0 && !slices.ContainsFunc(c.Diffs, func(d replay.Diff) bool { return !covered(d) }) {
			continue // every difference is masked now
		}
		names = append(names, fmt.Sprintf("%d %s", c.ID, term.Escape(c.Endpoint)))
	}
	return names
}

// replayError gives a replay error its exit code.
func replayError(err error) error {
	if errors.Is(err, replay.ErrBadInput) {
		return &exitError{code: replay.ExitBadInput, err: err}
	}
	return err
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
