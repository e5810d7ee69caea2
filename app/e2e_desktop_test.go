package app_test

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
)

// waitLimit bounds every wait for the window; it is not a measure of speed,
// only a guard against a test that hangs on a loaded two-core machine.
const waitLimit = 60 * time.Second

// pollEvery is how often a wait looks again.
const pollEvery = 150 * time.Millisecond

// needDesktopTools stops the test unless everything the end-to-end test
// runs is installed.
func needDesktopTools(t *testing.T) {
	t.Helper()
	for _, tool := range []struct{ name, what string }{
		{"Xvfb", "Xvfb (a virtual display for the window)"},
		{"xdotool", "xdotool (the person's keyboard and mouse)"},
		{"import", "ImageMagick's import (screenshots)"},
		{"npm", "npm (to build the frontend)"},
		{"pkg-config", "pkg-config (to find WebKitGTK)"},
	} {
		_, err := exec.LookPath(tool.name)
		gradiotest.Need(t, tool.what, err)
	}
	err := exec.Command("pkg-config", "--exists", "webkit2gtk-4.1").Run()
	gradiotest.Need(t, "WebKitGTK 4.1 (pkg-config webkit2gtk-4.1, libwebkit2gtk-4.1-dev)", err)
	_, err = recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
}

// buildDesktop builds the frontend and the desktop binary as `make app`
// does, and returns the binary's path.
func buildDesktop(t *testing.T) string {
	t.Helper()
	root := gradiotest.Root(t)
	frontend := filepath.Join(root, "frontend")
	if !newer(filepath.Join(frontend, "node_modules", ".package-lock.json"), filepath.Join(frontend, "package-lock.json")) {
		runIn(t, frontend, "npm", "install", "--no-audit", "--no-fund")
	}
	runIn(t, frontend, "npm", "run", "build")
	bin := filepath.Join(t.TempDir(), "gradiorec-desktop")
	runIn(t, root, "go", "build", "-tags", "desktop,production,webkit2_41", "-o", bin, ".")
	return bin
}

// newer reports whether path exists and is not older than than.
func newer(path, than string) bool {
	a, err := os.Stat(path)
	if err != nil {
		return false
	}
	b, err := os.Stat(than)
	return err == nil && !a.ModTime().Before(b.ModTime())
}

// runIn runs a build command in dir and fails the test with its output if it
// fails.
func runIn(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	start := time.Now()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, out)
	}
	t.Logf("%s %s: %s", name, strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
}

// desktop is the running desktop app.
type desktop struct {
	t       *testing.T
	cmd     *exec.Cmd
	started time.Time
	data    string        // its data folder, $XDG_DATA_HOME/gradiorec
	done    chan struct{} // closed when it has exited

	mu     sync.Mutex
	stderr bytes.Buffer
}

func (a *desktop) Write(b []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stderr.Write(b)
}

// output returns what the app wrote to stderr so far.
func (a *desktop) output() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stderr.String()
}

// startDesktop runs the binary with -v on the display, with a home, data,
// config and temporary folder of the test's own. It is killed, with what it
// started, when the test ends; its stderr is logged if the test failed.
func startDesktop(t *testing.T, bin string, d *display) *desktop {
	t.Helper()
	home := t.TempDir()
	a := &desktop{t: t, cmd: exec.Command(bin, "-v"), data: filepath.Join(home, "data", "gradiorec"), done: make(chan struct{})}
	a.cmd.Env = append(os.Environ(),
		"DISPLAY="+d.name,
		"GDK_BACKEND=x11", // the virtual display, even under a Wayland session
		"HOME="+home,
		"XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"TMPDIR="+t.TempDir(),
		"GSETTINGS_BACKEND=memory", // no dconf (and its D-Bus warnings)
		"NO_AT_BRIDGE=1",           // no accessibility bus
	)
	a.cmd.Stdout, a.cmd.Stderr = a, a
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	a.started = time.Now()
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		a.cmd.Wait()
		close(a.done)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			d.screenshot("failed")
		}
		a.kill()
		if t.Failed() {
			t.Logf("gradiorec-desktop's stderr:\n%s", a.output())
		}
	})
	return a
}

// kill ends the app and then whatever it started that is still running
// (WebKit's processes, Chromium), each by its process id.
func (a *desktop) kill() {
	select {
	case <-a.done:
		return
	default:
	}
	children := descendants(a.cmd.Process.Pid)
	a.cmd.Process.Kill()
	<-a.done
	for _, pid := range children {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// waitFor polls cond until it holds, failing the test after waitLimit or
// when the app exits first.
func (a *desktop) waitFor(what string, cond func() bool) {
	a.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		select {
		case <-a.done:
			a.t.Fatalf("the app exited (%s) while the test waited for %s", a.cmd.ProcessState, what)
		default:
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("waited %s for %s", waitLimit, what)
		}
		time.Sleep(pollEvery)
	}
}

// waitLine waits until the app has logged a line matching re and returns
// the submatches of the last such line.
func (a *desktop) waitLine(what string, re *regexp.Regexp) []string {
	a.t.Helper()
	var m []string
	a.waitFor(what+" (a line matching "+re.String()+" on stderr)", func() bool {
		all := re.FindAllStringSubmatch(a.output(), -1)
		if len(all) > 0 {
			m = all[len(all)-1]
		}
		return m != nil
	})
	return m
}

var liveViewLine = regexp.MustCompile(`live view: (\d+)x(\d+) at \((-?\d+),(-?\d+)\)`)

// liveView returns where the live view is in the window, in CSS pixels, as
// the frontend last reported it.
func (a *desktop) liveView() image.Rectangle {
	a.t.Helper()
	m := a.waitLine("live view report", liveViewLine)
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return image.Rect(n[2], n[3], n[2]+n[0], n[3]+n[1])
}

// memory returns the resident memory of the app's process (VmRSS) and
// the proportional memory of the app with every process it started,
// WebKit's and Chromium's (the sum of their Pss, which counts shared pages
// once), in KiB.
func (a *desktop) memory() (rss, tree int) {
	pid := a.cmd.Process.Pid
	rss = procKiB(pid, "status", "VmRSS:")
	tree = procKiB(pid, "smaps_rollup", "Pss:")
	for _, child := range descendants(pid) {
		tree += procKiB(child, "smaps_rollup", "Pss:")
	}
	return rss, tree
}

// procKiB reads a "Name:   123 kB" field of a /proc/PID file (0 when the
// process is gone).
func procKiB(pid int, file, field string) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, file))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kib, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kib
		}
	}
	return 0
}

// descendants returns the ids of the processes below pid, children first.
func descendants(pid int) []int {
	parents := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) > 1 {
			ppid, _ := strconv.Atoi(fields[1])
			parents[ppid] = append(parents[ppid], child)
		}
	}
	var out []int
	queue := slices.Clone(parents[pid])
	for len(queue) > 0 {
		p := queue[0]
		queue = append(queue[1:], parents[p]...)
		out = append(out, p)
	}
	return out
}
