package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// recordOptions are record's flags, checked.
type recordOptions struct {
	url         string
	out         string
	stepsFile   string
	script      steps.Script // nil without --steps
	show        bool
	force       bool
	timeout     time.Duration
	openTimeout time.Duration
	chromium    string
	via         string
	attach      string
	maxFileSize sizeFlag
	login       loginFlags
	user        string
	password    string
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

// recordFlags parses and checks record's command line, and reads the steps
// file, before anything starts.
func recordFlags(e *env, args []string) (*recordOptions, error) {
	fs := newFlags(e, "record")
	o := &recordOptions{}
	fs.StringVar(&o.out, "o", "", "save the recording to `FILE` (required)")
	fs.StringVar(&o.stepsFile, "steps", "", "drive the page headlessly with the steps `FILE`")
	fs.BoolVar(&o.show, "show-browser", false, "open a Chromium window to use the app yourself")
	fs.BoolVar(&o.force, "force", false, "replace the -o file if it exists")
	fs.DurationVar(&o.timeout, "timeout", 0, "fail a --steps run that takes longer than this")
	fs.DurationVar(&o.openTimeout, "open-timeout", 2*time.Minute, "give up opening the app after this long")
	fs.StringVar(&o.chromium, "chromium", "", "the Chromium or Chrome executable (default: $GRADIOREC_CHROMIUM, else found)")
	fs.StringVar(&o.via, "via", "cdp", "capture through `cdp` (DevTools) or the browser extension (extension)")
	fs.StringVar(&o.attach, "attach", "", "record the app's tab in the Chromium whose remote debugging `endpoint` this is (PORT, or http://127.0.0.1:PORT)")
	fs.Var(&o.maxFileSize, "max-file-size", "keep the bytes of output files up to this `size` (default 64MiB)")
	o.login.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	switch {
	case len(pos) != 1:
		return nil, usagef("want one app URL, got %d arguments", len(pos))
	case o.out == "":
		return nil, usagef("say where to save the recording with -o FILE, e.g. -o session.json")
	case o.timeout < 0:
		return nil, usagef("--timeout %s is negative", o.timeout)
	case o.openTimeout <= 0:
		return nil, usagef("--open-timeout %s is not positive: give the time opening the app may take, e.g. 5m", o.openTimeout)
	case o.timeout > 0 && o.stepsFile == "":
		return nil, usagef("--timeout limits a --steps run; end other recordings with Ctrl-C")
	case o.via != "cdp" && o.via != "extension":
		return nil, usagef("--via %q: capture through cdp (the default) or extension", o.via)
	case o.attach != "" && (o.via != "cdp" || o.show || o.chromium != ""):
		return nil, usagef("--attach records a tab of a running Chromium: it goes without --via, --show-browser and --chromium")
	}
	if o.attach != "" {
		if o.attach, err = debugEndpoint(o.attach); err != nil {
			return nil, err
		}
	}
	if o.url, err = appURL(pos[0]); err != nil {
		return nil, err
	}
	if o.user, o.password = o.login.credentials(); o.user != "" && o.password == "" {
		return nil, usagef("no password for user %q: set the environment variable %s", o.user, o.login.passwordEnv)
	}
	if err := checkOutput(o.out, o.force); err != nil {
		return nil, err
	}
	if o.show {
		if err := checkDisplay(); err != nil {
			return nil, err
		}
	}
	if o.stepsFile != "" {
		if o.script, err = steps.Load(o.stepsFile); err != nil {
			return nil, &exitError{code: ExitUsage, err: err}
		}
		if o.script == nil {
			o.script = steps.Script{}
		}
	}
	return o, nil
}

// appURL checks the app's URL; a host:port without a scheme is taken as
// http.
func appURL(s string) (string, error) {
	if !strings.Contains(s, "://") {
		if owner, name, ok := strings.Cut(s, "/"); ok && owner != "" && name != "" &&
			!strings.ContainsAny(s, ".:") && !strings.Contains(name, "/") {
			return "", usagef("%q looks like a Space id: give the URL of its app instead (https://OWNER-NAME.hf.space)", s)
		}
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usagef("%q is not an http or https URL", s)
	}
	return u.String(), nil
}

// checkOutput makes sure that recording into path loses nothing: an
// existing recording is replaced only with --force, and the journal of an
// interrupted one is never touched. Its errors are bad arguments
// (ExitUsage).
func checkOutput(path string, force bool) error {
	if strings.HasSuffix(path, ".files") {
		return usagef("-o %s: a recording may not be named *.files (that is the name of its files folder)", path)
	}
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return usagef("-o %s is a folder: give a file name, e.g. -o %s", path, filepath.Join(path, "session.json"))
		}
		if !force {
			return &exitError{code: ExitUsage, err: fmt.Errorf("%s exists: give another -o FILE, or --force to replace it", path)}
		}
	}
	if jp := recording.JournalPath(path); exists(jp) {
		return &exitError{code: ExitUsage, err: fmt.Errorf("%s holds the calls of an interrupted recording: "+
			"save them with `gradiorec recover %s` (or delete the journal), then record again", jp, path)}
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return &exitError{code: ExitUsage, err: fmt.Errorf("-o %s: the folder %s does not exist", path, filepath.Dir(path))}
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// checkDisplay fails early when a visible browser cannot open.
func checkDisplay() error {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return &exitError{code: ExitError, err: errors.New("--show-browser needs a display, and neither $DISPLAY nor $WAYLAND_DISPLAY is set: " +
			"run it in a desktop session, or record headlessly with --steps FILE")}
	}
	return nil
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

// sizeFlag is a byte size: 1048576, 512K, 64M, 64MB, 64MiB, 1G (powers of
// 1024).
type sizeFlag struct {
	n   int64
	set bool
}

func (s *sizeFlag) String() string {
	if s == nil || !s.set {
		return ""
	}
	return fmt.Sprint(s.n)
}

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	s.n, s.set = n, true
	return nil
}

func parseSize(v string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(v))
	i := strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		i = len(t)
	}
	digits, unit := t[:i], strings.TrimSpace(t[i:])
	var shift uint
	switch strings.TrimSuffix(strings.TrimSuffix(unit, "B"), "I") {
	case "":
	case "K":
		shift = 10
	case "M":
		shift = 20
	case "G":
		shift = 30
	default:
		return 0, fmt.Errorf("%q is not a size: write bytes, or a number with K, M or G (e.g. 64M)", v)
	}
	var n int64
	if _, err := fmt.Sscan(digits, &n); err != nil || digits == "" {
		return 0, fmt.Errorf("%q is not a size: write bytes, or a number with K, M or G (e.g. 64M)", v)
	}
	if n > (1<<62)>>shift {
		return 0, fmt.Errorf("%q is too large", v)
	}
	return n << shift, nil
}
