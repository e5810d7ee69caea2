package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestDebInstalls builds the desktop app's package, installs it with
// apt-get as a person would (apt-get install ./FILE.deb, which also brings
// what its Depends name), and starts the installed app under Xvfb: its
// window, titled with the version, shows. It changes the system, so it
// runs in CI only (as root, or with sudo that asks no password).
func TestDebInstalls(t *testing.T) {
	if os.Getenv("CI") == "" {
		t.Skip("installs a system package: runs in CI only (CI=true, as root); .ci/run runs it")
	}
	var sudo []string
	if os.Getuid() != 0 {
		if err := exec.Command("sudo", "-n", "true").Run(); err != nil {
			t.Fatalf("installing the .deb needs root or sudo without a password: %v", err)
		}
		sudo = []string{"sudo", "-n"}
	}
	for _, tool := range []string{"apt-get", "npm", "xdotool"} {
		_, err := exec.LookPath(tool)
		gradiotest.Need(t, tool, err)
	}
	root := gradiotest.Root(t)
	runOK(t, "npm", "--prefix", filepath.Join(root, "frontend"), "run", "build") // embedded by the app
	b := &build{root: root, version: "v9.8.7", python: "9.8.7", modified: time.Unix(1700000000, 0)}
	desktop, err := b.compile(t.Context(), "linux", "amd64", "desktop,production,webkit2_41", ".")
	if err != nil {
		t.Fatal(err)
	}
	cli, err := b.compile(t.Context(), "linux", "amd64", "", "./cmd/gradiorec")
	if err != nil {
		t.Fatal(err)
	}
	d := &deb{Version: "9.8.7", Arch: "amd64", Desktop: desktop, CLI: cli, Modified: b.modified}
	data, err := d.bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), d.name())
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	install := append(sudo, "apt-get", "install", "-y", "--no-install-recommends", path)
	runOK(t, install[0], install[1:]...)
	t.Cleanup(func() {
		remove := append(sudo, "apt-get", "remove", "-y", "gradiorec-desktop")
		exec.Command(remove[0], remove[1:]...).Run()
	})
	if out := runOK(t, "/usr/bin/gradiorec", "version"); !strings.Contains(out, "v9.8.7") {
		t.Errorf("gradiorec version: %s", out)
	}

	display := gradiotest.Xvfb(t, "the desktop app's window")
	home := t.TempDir()
	app := exec.Command("/usr/bin/gradiorec-desktop")
	app.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_DATA_HOME="+filepath.Join(home, "data"))
	logFile, err := os.Create(filepath.Join(home, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	app.Stdout, app.Stderr = logFile, logFile
	log := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() {
		app.Process.Kill()
		<-exited
	})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// --sync waits until such a window shows; ctx ends the wait.
	search := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name", `^gradiorec v9\.8\.7$`)
	search.Env = append(os.Environ(), "DISPLAY="+display)
	found := make(chan error, 1)
	go func() { found <- search.Run() }()
	select {
	case err := <-found:
		if err != nil {
			t.Errorf("no window titled \"gradiorec v9.8.7\" within a minute (%v):\n%s", err, log())
		}
	case err := <-exited:
		t.Fatalf("the installed app exited (%v) before its window showed:\n%s", err, log())
	}
}
