// Command apirecorder compares gradiorec with Gradio's own API Recorder on
// the test-bed apps, side by side on the same session.
//
//	go run ./bench/apirecorder [-version 6.31.0] [-v] [app ...]
//
// For each app (default: every app with a steps file in testdata/steps,
// but the *_changed and *_renamed twins, which replay their base app's
// session, and llm, whose outputs are random at every run) it starts the app on a free loopback port, opens it in
// Chromium, starts the API Recorder from the "Use via API" panel, runs the
// steps file while gradiorec records the same page, and reads the API
// Recorder's Python, JavaScript and cURL snippets. Then it runs each
// snippet unchanged against the app (Python with gradio_client under
// measure.py, which keeps every result; JavaScript with @gradio/client;
// cURL with bash), checks whether the Python snippet's results are the
// session's outputs (files by SHA-256, without what the golden
// recording's masks say varies), and writes gradiorec's intent script for
// the same recording as a project, with its input files, and runs it as
// its README says. It prints the Markdown table of the README; -v also
// prints each snippet and gradiorec's code, with their output.
//
// Lines are lines of code (not blank, not comments or docstrings) of each
// tool's script in the same language. That gradiorec's code reproduces the
// session, beyond running, is checked elsewhere, in every language and on
// every Gradio version: codegen's TestGeneratedCodeRuns executes the
// generated code of every golden recording against its app.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
	"github.com/gradiorec/gradiorec/recorder"
)

// The auth app's login, as testdata/apps/auth.py defaults it.
const authUser, authPassword = "admin", "s3cret-pass"

func main() {
	version := flag.String("version", "6.31.0", "the Gradio version of the apps")
	verbose := flag.Bool("v", false, "print each snippet, its output and gradiorec's code")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := mainErr(ctx, *version, *verbose, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "apirecorder:", err)
		os.Exit(1)
	}
}

func mainErr(ctx context.Context, version string, verbose bool, apps []string) error {
	root, py, err := benchapp.Locate("", version)
	if err != nil {
		return err
	}
	if len(apps) == 0 {
		if apps, err = Apps(root); err != nil {
			return err
		}
	}
	b, err := recorder.NewBrowser(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	tl := Tools{Root: root, Python: py}
	var rows []*Row
	for _, name := range apps {
		row, err := compareApp(ctx, tl, b, version, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if verbose {
			row.WriteDetails(os.Stdout)
		}
		rows = append(rows, row)
	}
	WriteTable(os.Stdout, rows)
	return nil
}

func compareApp(ctx context.Context, tl Tools, b *recorder.Browser, version, name string) (*Row, error) {
	script, err := LoadSteps(tl.Root, name)
	if err != nil {
		return nil, err
	}
	app, err := benchapp.Start(ctx, tl.Python, filepath.Join(tl.Root, "testdata", "apps", name+".py"), nil)
	if err != nil {
		return nil, err
	}
	defer app.Stop()
	var opts []recorder.Option
	if name == "auth" {
		opts = append(opts, recorder.WithLogin(authUser, authPassword))
	}
	s, err := Record(ctx, b, app.URL+"/", name, script, opts...)
	if err != nil {
		return nil, err
	}
	if name == "auth" {
		s.Env = []string{"GRADIO_USERNAME=" + authUser, "GRADIO_PASSWORD=" + authPassword}
	}
	return tl.Compare(ctx, s, GoldenMasks(tl.Root, version, name))
}

// Apps lists the test-bed apps with a steps file, but the twins that
// replay their base app's session (*_changed, *_renamed) and llm, whose
// every output is random (replay learns its noise; no golden masks it).
func Apps(root string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(root, "testdata", "steps", "*.yaml"))
	if err != nil {
		return nil, err
	}
	var apps []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if !strings.HasSuffix(name, "_changed") && !strings.HasSuffix(name, "_renamed") && name != "llm" {
			apps = append(apps, name)
		}
	}
	slices.Sort(apps)
	return apps, nil
}

// WriteDetails writes what the row was made from, for a person.
func (r *Row) WriteDetails(w *os.File) {
	for _, l := range langs {
		fmt.Fprintf(w, "==== %s: API Recorder, %s (%d lines; runs: %s)\n%s\n---- its output\n%s\n", r.App, l.tab, r.Lines[l.lang], yesNo(r.Runs[l.lang].OK), r.Snippets[l.lang], r.Runs[l.lang].Output)
		fmt.Fprintf(w, "==== %s: gradiorec's intent script, %s (%d lines; runs: %s)\n%s\n---- its output\n%s\n", r.App, l.tab, r.Ours[l.lang], yesNo(r.OursRuns[l.lang].OK), r.Code[l.lang], r.OursRuns[l.lang].Output)
	}
	if r.Why != "" {
		fmt.Fprintf(w, "==== %s: does not reproduce: %s\n", r.App, r.Why)
	}
}
