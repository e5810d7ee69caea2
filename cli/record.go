package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/gradiorec/gradiorec/extension"
	"github.com/gradiorec/gradiorec/internal/session"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/internal/watch"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// recordCommand is gradiorec record.
var recordCommand = command{
	summary: "record a session in an app: a steps file, or you in a browser window",
	usage:   "-o FILE [--steps STEPS | --show-browser] [flags] URL",
	help: "Opens the Gradio app at URL in Chromium and records every API call its page makes\n" +
		"(the app may be embedded in a frame of another site, as on a Space's page)\n" +
		"into FILE (fixture files go to the folder beside it: session.json → session.files/).\n" +
		"  --steps STEPS    drive the page headlessly with a steps file (YAML or JSON, see\n" +
		"                   docs/steps-format.md); the recording ends with the last step\n" +
		"  --show-browser   open a Chromium window and use the app yourself; close the window\n" +
		"                   or press Ctrl-C to end the recording\n" +
		"  neither          record the headless page until Ctrl-C\n" +
		"Each call is printed as it ends, and journaled to FILE.journal: if gradiorec is\n" +
		"killed, `gradiorec recover FILE` saves what was recorded. FILE is not replaced\n" +
		"unless --force is given.\n\n" +
		"flags:\n" +
		"  -o FILE              where to save the recording (required)\n" +
		"  --force              replace FILE if it exists\n" +
		"  --timeout D          fail a --steps run that has not ended D after it started\n" +
		"                       (opening the app included), e.g. 5m\n" +
		"  --open-timeout D     give up opening the app (Chromium, the page, the login) after\n" +
		"                       D (default 2m, or --timeout when that is shorter)\n" +
		"  --user U             log in as U (default $GRADIO_USER); the password is read from\n" +
		"  --password-env NAME  the environment variable NAME (default GRADIO_PASSWORD)\n" +
		"  --chromium PATH      the Chromium or Chrome to run (default $GRADIOREC_CHROMIUM,\n" +
		"                       else chromium or google-chrome)\n" +
		"  --via extension      capture through gradiorec's browser extension, loaded into the\n" +
		"                       Chromium record starts (default: DevTools, --via cdp)\n" +
		"  --attach PORT        record the app's tab of the Chromium you started with\n" +
		"                       --remote-debugging-port=PORT, as it is (your cookies, no new\n" +
		"                       tab); anything that reaches that port controls the browser\n" +
		"  --max-file-size N    keep the bytes of output files up to N (default 64MiB; K, M\n" +
		"                       and G are powers of 1024); larger ones are kept by hash only\n\n" +
		"Exit status: 0 when the steps ran through, or an interactive session ended with\n" +
		"Ctrl-C or by closing the window; 1 when recording failed or was cut short (an\n" +
		"interrupted steps run, the app or Chromium gone: what was captured is saved); 2 for\n" +
		"bad arguments or a bad steps file.",
	run: runRecord,
}

func runRecord(ctx context.Context, e *env, args []string) error {
	o, err := recordFlags(e, args)
	if err != nil {
		return err
	}
	chromium := ""
	if o.attach == "" {
		if chromium, err = findChromium(o.chromium); err != nil {
			return err
		}
	}

	// The recorder redacts the calls it prints, journals and saves: the
	// password, $HF_TOKEN, cookies, password boxes, secret-named inputs.
	p := &printer{w: e.stderr}
	opts := []recorder.Option{
		recorder.WithExecPath(chromium),
		recorder.WithOnEvent(p.event),
		recorder.WithTool("gradiorec " + version.Version),
	}
	if o.show {
		opts = append(opts, recorder.WithShowBrowser())
	}
	if o.user != "" {
		opts = append(opts, recorder.WithLogin(o.user, o.password))
	}
	if o.maxFileSize.set {
		opts = append(opts, recorder.WithMaxFileSize(o.maxFileSize.n))
	}

	p.printf("opening %s", o.url)
	started := time.Now()
	openLimit, openFlag := o.openTimeout, "--open-timeout"
	if o.timeout > 0 && o.timeout < openLimit {
		openLimit, openFlag = o.timeout, "--timeout"
	}
	opening, opened := context.WithTimeout(ctx, openLimit)
	if o.attach != "" {
		tab, err := attachTab(opening, o.attach, o.url, p)
		if err != nil {
			opened()
			return &exitError{code: ExitError, err: err}
		}
		defer tab.close()
		opts = append(opts, tab.options...)
	}
	if o.via == "extension" {
		via, err := viaExtension(opening, chromium, o.show, p)
		if err != nil {
			opened()
			return openError(ctx, o, err)
		}
		defer via.close()
		opts = append(opts, via.options...)
	}
	var journalFailed atomic.Bool // then the calls are only in memory
	s, err := session.Start(opening, o.url, session.Config{
		Path: o.out, Interactive: o.show && o.script == nil, Options: opts,
		OnFault: func(err error) {
			journalFailed.Store(true)
			p.printf("warning: %v", err)
		},
	})
	timedOut := opening.Err() == context.DeadlineExceeded && ctx.Err() == nil
	opened()
	if err != nil && timedOut {
		return &exitError{code: ExitError, err: fmt.Errorf("%s did not open within %s (%s): nothing was recorded\n"+
			"is the app running and answering? A slow app (a Space waking up) may need a longer %s", o.url, openLimit, openFlag, openFlag)}
	}
	if err != nil {
		return openError(ctx, o, err)
	}
	// run ends with the recording: its cause says why (an *watch.End), or
	// ctx (Ctrl-C) ended it.
	rec, run := s.Recorder(), s.Context()
	defer context.AfterFunc(ctx, func() { s.End(nil) })()
	app := rec.App()
	p.printf("recording %s (Gradio %s) into %s", o.url, app.Version, o.out)

	var stepsErr error
	switch {
	case o.script != nil:
		p.printf("running %s from %s", plural(len(o.script), "step", "steps"), o.stepsFile)
		stepsErr = runSteps(run, s.End, rec, o.script, o.timeout, started)
	case o.show:
		p.printf("use the app in the browser window; close the window or press Ctrl-C to stop and save")
		<-run.Done()
	default:
		p.printf("no --steps and no --show-browser: recording the headless page until Ctrl-C " +
			"(nothing acts on it; use --show-browser to use the app yourself, or --steps FILE)")
		<-run.Done()
	}
	reason := s.Why()
	switch {
	case ctx.Err() != nil:
		// Ctrl-C is how an interactive session ends; a second one quits at once (Main).
		reason = &watch.End{Msg: "interrupted", Normal: o.script == nil}
		if journalFailed.Load() {
			p.printf("stopping: saving what was recorded (the calls are only in memory: a second Ctrl-C would lose them)")
		} else {
			p.printf("stopping: saving what was recorded (press Ctrl-C again to quit at once; %s keeps the calls)",
				recording.JournalPath(o.out))
		}
	case reason != nil && reason.Normal:
		p.printf("%s: stopping", reason.Msg)
	}
	if stepsErr != nil && reason == nil {
		// A step fails at once when the browser or the app goes away,
		// before the watchers tell: say which.
		reason = watch.Gone(context.WithoutCancel(ctx), rec.Tab(), app.Root)
	}

	saved, stopErr := s.Stop()
	var se *recorder.SaveError
	switch {
	case errors.As(stopErr, &se):
		// Every message says truly where the calls are, and the status
		// is not 0: they are not (all) where they were asked to be.
		return &exitError{code: ExitError, err: fmt.Errorf("%s: %w%s", summary(saved), se, saveHint(se))}
	case stopErr != nil:
		p.printf("warning: %v", stopErr)
	}
	p.printf("saved %s to %s", summary(saved), o.out)
	return recordResult(reason, stepsErr)
}

// findChromium finds the Chromium to run, or says how to give it.
func findChromium(path string) (string, error) {
	chromium, err := recorder.FindChromium(path)
	switch {
	case err == nil:
		return chromium, nil
	case path != "":
		return "", err
	case os.Getenv("GRADIOREC_CHROMIUM") != "":
		return "", fmt.Errorf("%w\ncheck $GRADIOREC_CHROMIUM, or give the path with --chromium PATH", err)
	}
	return "", fmt.Errorf("%w\nor give its path with --chromium PATH", err)
}

// extensionBrowser is a Chromium with gradiorec's extension loaded and
// paired with a relay server of record's own (--via extension).
type extensionBrowser struct {
	options []recorder.Option
	close   func()
}

// viaExtension starts Chromium with the extension and pairs it; the
// recorder then opens its tab there and records what the extension relays.
func viaExtension(ctx context.Context, chromium string, show bool, p *printer) (*extensionBrowser, error) {
	dir, err := extension.Unpack("")
	if err != nil {
		return nil, err
	}
	opts := []recorder.Option{recorder.WithExecPath(chromium), recorder.WithExtension(dir)}
	if show {
		opts = append(opts, recorder.WithShowBrowser())
	}
	b, err := recorder.NewBrowser(ctx, opts...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	logf := func(format string, args ...any) { p.printf(format, args...) }
	via, err := extension.Connect(ctx, b.Context(), logf)
	if err != nil {
		b.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	attach := func(ctx context.Context, target string) (*recorder.Relay, error) {
		r := recorder.NewRelay()
		return r, via.Record(ctx, target, r)
	}
	return &extensionBrowser{
		options: []recorder.Option{recorder.WithBrowser(b), recorder.WithVia(attach)},
		close: func() {
			via.Close()
			b.Close()
			os.RemoveAll(dir)
		},
	}, nil
}

// saveHint tells what to do after a recording was not saved where it was
// asked to be: where there is room, never a command that fails the same way.
func saveHint(se *recorder.SaveError) string {
	switch {
	case se.SavedTo == se.Path:
		return ""
	case se.SavedTo != "":
		return fmt.Sprintf("\nmove it where you want it once there is room (with its %s folder)", filepath.Base(recording.FilesDir(se.SavedTo)))
	case se.Journal != "":
		return fmt.Sprintf("\nfree space, then save the journal's calls elsewhere: `gradiorec recover -o OTHER.json %s`", se.Path)
	}
	return ""
}

// runSteps runs the script in the recorder's tab until it ends or run ends;
// a --timeout, counted from started, ends run.
func runSteps(run context.Context, end func(*watch.End), rec *recorder.Recorder, script steps.Script, timeout time.Duration, started time.Time) error {
	tab, cancel := context.WithCancel(rec.Tab())
	defer cancel()
	defer context.AfterFunc(run, cancel)()
	if timeout > 0 {
		t := time.AfterFunc(time.Until(started.Add(timeout)), func() {
			end(&watch.End{Msg: fmt.Sprintf("the steps did not finish within --timeout %s", timeout)})
		})
		defer t.Stop()
	}
	if err := script.Run(tab, rec.WaitIdle); err != nil {
		return err
	}
	// A call the last step caused without waiting for it (idle: false).
	idle, cancelIdle := context.WithTimeout(tab, steps.DefaultTimeout)
	defer cancelIdle()
	if err := rec.WaitIdle(idle); err != nil && run.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// recordResult is record's error (nil for success) once the recording is
// saved: why it ended, if that was not the normal way.
func recordResult(reason *watch.End, stepsErr error) error {
	var stepErr *steps.StepError
	during := ""
	if errors.As(stepsErr, &stepErr) {
		during = fmt.Sprintf(" while step %d (%s) was running", stepErr.Step.N, stepErr.Step)
	}
	switch {
	case reason != nil && reason.Normal:
		return nil
	case reason != nil:
		return &exitError{code: ExitError, err: fmt.Errorf("%s%s: the recording holds what happened until then", reason.Msg, during)}
	case stepsErr != nil:
		return &exitError{code: ExitError, err: fmt.Errorf("%w\nthe recording holds what happened until then", stepsErr)}
	}
	return nil
}

// openError explains why the app could not be opened, and what to do.
func openError(ctx context.Context, o *recordOptions, err error) error {
	hint := ""
	switch {
	case ctx.Err() != nil:
		return &exitError{code: ExitError, err: errors.New("interrupted before the app opened: nothing was recorded")}
	case errors.Is(err, recorder.ErrUnreachable):
		hint = "is the app running? Start it, or check the URL"
	case errors.Is(err, recorder.ErrNotGradio):
		hint = "check the URL: it must be the page of a Gradio app, as a browser shows it (e.g. http://127.0.0.1:7860/)"
	case errors.Is(err, recorder.ErrLoginRequired):
		return &exitError{code: ExitError, err: fmt.Errorf("%s needs a login: give the user with --user NAME (or $GRADIO_USER) "+
			"and the password in $%s", o.url, o.login.passwordEnv)}
	case errors.Is(err, recorder.ErrLoginFailed):
		hint = "check the user name and the password in $" + o.login.passwordEnv
	case errors.Is(err, recording.ErrJournalExists):
		hint = recoverHint(o.out)
	case errors.Is(err, recorder.ErrNoChromium):
		hint = "or give its path with --chromium PATH"
	}
	if hint != "" {
		err = fmt.Errorf("%w\n%s", err, hint)
	}
	return &exitError{code: ExitError, err: err}
}

// recoverHint tells how to save the calls a journal kept.
func recoverHint(out string) string {
	force := ""
	if st, err := os.Stat(out); err == nil && st.Mode().IsRegular() {
		force = " --force"
	}
	return fmt.Sprintf("the calls are kept in %s: run `gradiorec recover%s %s` to save them", recording.JournalPath(out), force, out)
}
