package cli

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// commandEnv makes the test binary the gradiorec command itself, as
// cmd/gradiorec runs it: the tests start it so as a process of its own to
// send it signals and kill what it started (record_linux_test.go).
const commandEnv = "GRADIOREC_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(commandEnv) != "" {
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	// The acceptance scripts (TestScripts) run this binary as gradiorec.
	testscript.Main(withApps{m}, map[string]func(){
		"gradiorec": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// withApps runs the tests as gradiotest.Main does, stopping the apps they
// started, for testscript.Main, which exits itself.
type withApps struct{ m *testing.M }

func (w withApps) Run() int { return gradiotest.Run(w.m) }

// TestScripts runs the acceptance scripts of testdata/script: every
// command's usage, errors and exit status, as a person at a terminal meets
// them, with the gradiorec command this test binary becomes.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"status": status},
	})
}

// status N PROGRAM ARGS... runs PROGRAM and wants exit status N; its
// output is there for stdout and stderr after it, as after exec.
func status(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status %q: want a number", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}
