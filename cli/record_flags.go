package cli

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

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
