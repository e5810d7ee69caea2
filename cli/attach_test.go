package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// userChromium starts a Chromium as a person would for --attach: its own
// profile, a remote debugging port, the app open in its tab. It returns the
// debugging port; the browser is ended by its PID when the test ends.
func userChromium(t *testing.T, page string) int {
	t.Helper()
	path, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	profile := t.TempDir()
	args := []string{"--headless=new", "--remote-debugging-port=0", "--user-data-dir=" + profile,
		"--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-gpu", page}
	if os.Getuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	cmd := exec.Command(path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers end with it
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		cmd.Wait()
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // helpers that outlived it
	})
	// Chromium prints "DevTools listening on ws://127.0.0.1:PORT/…" once
	// the port is open.
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		var port int
		if _, err := fmt.Sscanf(lines.Text(), "DevTools listening on ws://127.0.0.1:%d/", &port); err == nil {
			go func() {
				for lines.Scan() {
				}
			}()
			return port
		}
	}
	t.Fatalf("Chromium ended without opening its debugging port: %v", lines.Err())
	return 0
}

// tabsOf lists the addresses of the pages open in the browser at port.
func tabsOf(t *testing.T, port int) []string {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/json/list", port))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []struct{ Type, URL string }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, p := range list {
		if p.Type == "page" {
			pages = append(pages, p.URL)
		}
	}
	return pages
}

// TestRecordAttach records the app's tab of a running Chromium with
// --attach: the steps drive that tab, the calls are recorded, and the tab
// is left open as it was.
func TestRecordAttach(t *testing.T) {
	app := gradiotest.Start(t, "calculator")
	port := userChromium(t, app.URL+"/")
	waitTab(t, port, app.URL)
	out := filepath.Join(t.TempDir(), "attached.json")
	code, _, stderr := run("record", "--attach", fmt.Sprint(port), "--steps", stepsFile(t, "calculator"), "-o", out, app.URL+"/")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	rec, err := recording.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 5 || rec.Calls[0].APIName != "/calculate" || rec.Calls[4].Status != recording.Failed {
		t.Errorf("recorded %d calls, want the 5 of calculator.yaml:\n%s", len(rec.Calls), stderr)
	}
	if !strings.Contains(stderr, "attached to the browser at") {
		t.Errorf("stderr does not say it attached:\n%s", stderr)
	}
	if tabs := tabsOf(t, port); len(tabs) != 1 || !strings.HasPrefix(tabs[0], app.URL) {
		t.Errorf("the browser's tabs after the recording: %q; want the app's tab, left open", tabs)
	}
}

// waitTab waits until the browser at port shows a page under prefix.
func waitTab(t *testing.T, port int, prefix string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, u := range tabsOf(t, port) {
			if strings.HasPrefix(u, prefix) {
				return
			}
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("the browser never showed %s: %v", prefix, tabsOf(t, port))
		}
	}
}

func TestRecordAttachRefuses(t *testing.T) {
	for _, tc := range []struct{ args []string }{
		{[]string{"--attach", "http://192.0.2.1:9222"}},
		{[]string{"--attach", "ftp://127.0.0.1:9222"}},
		{[]string{"--attach", "9222", "--via", "extension"}},
		{[]string{"--attach", "9222", "--show-browser"}},
	} {
		args := append([]string{"record", "-o", filepath.Join(t.TempDir(), "x.json")}, tc.args...)
		code, _, stderr := run(append(args, "http://127.0.0.1:7860/")...)
		if code != ExitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", tc.args, code, stderr)
		}
	}
	// Nothing listens on the port: the message says how to start the browser.
	code, _, stderr := run("record", "--attach", "1", "-o", filepath.Join(t.TempDir(), "x.json"), "http://127.0.0.1:7860/")
	if code != ExitError || !strings.Contains(stderr, "--remote-debugging-port") {
		t.Errorf("closed port: exit %d, stderr %q", code, stderr)
	}
}
