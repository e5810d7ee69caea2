package gradiotest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradioproc"
)

// App is a running Gradio app from testdata/apps.
type App struct {
	Name    string // the app's file name without .py, e.g. "calculator"
	Version string // the Gradio version it runs on
	URL     string // its root URL, without a trailing slash (mount path included)

	proc *gradioproc.Process // nil when the start failed
	err  error               // why the start failed
}

// Option changes how Start runs an app.
type Option func(*config)

type config struct {
	version string
	env     []string
	fresh   bool
}

// Version runs the app on the given Gradio version instead of DefaultVersion.
func Version(v string) Option { return func(c *config) { c.version = v } }

// Env sets an environment variable of the app's process, e.g.
// Env("GRADIOREC_MOUNT_PATH", "/sub/app"). Apps with different environments
// are different processes.
func Env(key, value string) Option {
	return func(c *config) { c.env = append(c.env, key+"="+value) }
}

// Fresh starts a process of the test's own instead of the shared one; it is
// stopped when the test ends. Use it for tests that kill or change the app.
func Fresh() Option { return func(c *config) { c.fresh = true } }

var (
	mu      sync.Mutex
	running = map[string]*shared{}
	inMain  bool
)

// shared is one app process that the tests of the binary use in turn.
type shared struct {
	mu      sync.Mutex    // held while starting or stopping the process
	app     *App          // nil until started and after being stopped as idle; written under mu and s.mu
	users   int           // tests using it now
	idle    time.Time     // when the last user finished
	stopped chan struct{} // while reap stops it (under mu): closed once it has
}

// maxIdle is how many shared apps may stay up while no test uses them. An
// idle Gradio process still costs a few percent of a core (its queue loop
// polls), so a binary that goes through many apps stops the least recently
// used ones and starts them again when needed. GRADIOTEST_MAX_IDLE overrides.
var maxIdle = func() int {
	if n, err := strconv.Atoi(os.Getenv("GRADIOTEST_MAX_IDLE")); err == nil && n >= 0 {
		return n
	}
	return 4
}()

// Main runs the tests of a package that starts apps and then stops every
// shared app. Call it from TestMain; it does not return. Each of after then
// runs (say, to close a shared browser and check that its profile is
// gone); one that fails fails the binary.
func Main(m *testing.M, after ...func() error) { os.Exit(Run(m, after...)) }

// Run is Main without the exit, for a TestMain that hands its tests to
// another runner (testscript.Main takes anything with a Run method).
func Run(m interface{ Run() int }, after ...func() error) int {
	mu.Lock()
	inMain = true
	mu.Unlock()
	code := m.Run()
	mu.Lock()
	var apps []*App
	for _, s := range running {
		if s.app != nil {
			apps = append(apps, s.app)
		}
	}
	mu.Unlock()
	for _, app := range apps {
		app.Stop()
	}
	for _, f := range after {
		if err := f(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	return code
}

// Start returns a running app from testdata/apps: the binary's shared process
// for that app, version and environment, started if needed, or with Fresh a
// process of the test's own. The test fails if the app does not come up; its
// log is shown whenever the test fails.
func Start(t testing.TB, name string, opts ...Option) *App {
	t.Helper()
	c := config{version: DefaultVersion}
	for _, o := range opts {
		o(&c)
	}
	py := Python(t, c.version)
	script := filepath.Join(Root(t), "testdata", "apps", name+".py")
	if _, err := os.Stat(script); err != nil {
		t.Fatalf("no app %q: %v", name, err)
	}

	var app *App
	if c.fresh {
		app = launch(py, script, name, c)
		t.Cleanup(app.Stop)
	} else {
		app = use(t, py, script, name, c)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log of %s (Gradio %s):\n%s", app.Name, app.Version, app.Log())
		}
	})
	if app.err != nil {
		t.Fatalf("start %s on Gradio %s: %v\n%s", name, c.version, app.err, app.Log())
	}
	return app
}

// use returns the shared process for an app, starting it if it is not up,
// and marks it in use until the test ends.
func use(t testing.TB, py, script, name string, c config) *App {
	slices.Sort(c.env)
	key := name + "@" + c.version + " " + strings.Join(c.env, " ")
	mu.Lock()
	if !inMain {
		mu.Unlock()
		t.Fatal("gradiotest.Start needs gradiotest.Main in the package's TestMain, which stops the apps")
	}
	s := running[key]
	if s == nil {
		s = &shared{}
		running[key] = s
	}
	// An app that reap is stopping is not handed out: its test would find
	// it gone. Wait until it has stopped, then start it again below.
	for s.stopped != nil {
		stopped := s.stopped
		mu.Unlock()
		<-stopped
		mu.Lock()
	}
	s.users++
	mu.Unlock()

	s.mu.Lock()
	if s.app == nil || (s.app.err == nil && s.app.exited()) {
		started := launch(py, script, name, c)
		mu.Lock() // s.app is written under both locks, read under either
		s.app = started
		mu.Unlock()
	}
	app := s.app
	s.mu.Unlock()

	t.Cleanup(func() {
		mu.Lock()
		s.users--
		s.idle = time.Now()
		mu.Unlock()
		reap()
	})
	return app
}

// reap stops the least recently used idle apps beyond maxIdle.
func reap() {
	mu.Lock()
	var idle []*shared
	for _, s := range running {
		if s.users == 0 && s.app != nil && s.stopped == nil {
			idle = append(idle, s)
		}
	}
	if len(idle) <= maxIdle {
		mu.Unlock()
		return
	}
	slices.SortFunc(idle, func(a, b *shared) int { return a.idle.Compare(b.idle) })
	idle = idle[:len(idle)-maxIdle]
	for _, s := range idle {
		s.stopped = make(chan struct{}) // use waits until it has stopped
	}
	mu.Unlock()
	for _, s := range idle {
		s.mu.Lock()
		s.app.Stop()
		mu.Lock()
		s.app = nil
		close(s.stopped)
		s.stopped = nil
		mu.Unlock()
		s.mu.Unlock()
	}
}

// launch starts the app's process and waits until it serves. A port taken in
// the meantime by someone else is retried on another port.
func launch(py, script, name string, c config) *App {
	app := &App{Name: name, Version: c.version}
	mount := ""
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, "GRADIOREC_MOUNT_PATH="); ok {
			mount = v
		}
	}
	app.proc, app.err = gradioproc.Start(context.Background(), py, script, mount, c.env)
	if app.err == nil {
		app.URL = app.proc.URL
	}
	return app
}

// exited reports whether the app's process has ended.
func (a *App) exited() bool { return a.proc != nil && a.proc.Exited() }

// Stop ends the app's whole process group: SIGTERM, then SIGKILL after five
// seconds. It is safe to call more than once.
func (a *App) Stop() {
	if a.proc != nil {
		a.proc.Stop()
	}
}

// Kill ends the app at once with SIGKILL, as a crash would.
func (a *App) Kill() {
	if a.proc != nil {
		a.proc.Kill()
	}
}

// Log returns the newest part of the app's standard output and error.
func (a *App) Log() string {
	if a.proc == nil {
		return ""
	}
	return a.proc.Log()
}
