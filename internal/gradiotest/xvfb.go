package gradiotest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// Xvfb starts a virtual display of 1400×1000 for the test and returns its
// name, e.g. ":1"; it ends with the test. what says what the display is for,
// in the message of a missing Xvfb.
func Xvfb(t testing.TB, what string) string {
	t.Helper()
	xvfb, err := exec.LookPath("Xvfb")
	Need(t, "Xvfb (a virtual display for "+what+")", err)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Xvfb picks a free display and writes its number to fd 3.
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1400x1000x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb named no display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}
