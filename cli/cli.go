// Package cli is the gradiorec command-line tool: argument parsing, the
// commands and their exit codes. cmd/gradiorec only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/gradiorec/gradiorec/internal/term"
)

// Exit codes of the gradiorec command.
const (
	ExitOK    = 0 // success
	ExitError = 1 // the command failed
	ExitUsage = 2 // bad arguments or input
)

// Version is the tool's version, stamped at build time with
// -ldflags "-X github.com/gradiorec/gradiorec/cli.Version=v1.2.3".
var Version = "devel"

// env carries what a command may touch: its streams, and nothing global.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand of gradiorec.
type command struct {
	summary string
	usage   string // arguments after the command's name
	help    string // what `gradiorec help <command>` adds after the summary
	run     func(ctx context.Context, e *env, args []string) error
}

// commands lists every subcommand by name.
var commands = map[string]command{
	"version": {summary: "print the version", run: runVersion},
}

// usageError is an error in the command line; Main prints it with the usage
// and exits with ExitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError carries a specific exit code for an error already reported.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Main runs gradiorec with the given arguments (without the program name) and
// returns the process exit code. It is the whole program: cmd/gradiorec only
// calls it, and tests call it directly.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprintf(stdout, "usage: gradiorec %s %s\n\n%s\n", args[1], c.usage, c.summary)
				if c.help != "" {
					fmt.Fprintf(stdout, "\n%s\n", c.help)
				}
				return ExitOK
			}
		}
		printUsage(stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	name := args[0]
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "gradiorec: unknown command %q\n\n", name)
		printUsage(stderr)
		return ExitUsage
	}
	// The first Ctrl-C (or SIGTERM) cancels ctx and the command winds down;
	// a second one quits at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	err := c.run(ctx, e, args[1:])
	// Everything printed from here on may quote an app, a server or a
	// recording: term shows its control characters escaped and hides URL
	// passwords.
	var ue *usageError
	var xe *exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "gradiorec %s: %s\nusage: gradiorec %s %s\n", name, term.EscapeText(ue.msg), name, c.usage)
		if c.help != "" {
			fmt.Fprintf(stderr, "Run 'gradiorec help %s' for more.\n", name)
		}
		return ExitUsage
	case errors.As(err, &xe):
		if xe.err != nil {
			fmt.Fprintf(stderr, "gradiorec %s: %s\n", name, term.EscapeText(xe.err.Error()))
		}
		return xe.code
	default:
		fmt.Fprintf(stderr, "gradiorec %s: %s\n", name, term.EscapeText(err.Error()))
		return ExitError
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "gradiorec records sessions in Gradio apps and turns them into client code and tests.")
	fmt.Fprintln(w, "\nusage: gradiorec <command> [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'gradiorec help <command>' for a command's arguments.")
}

// newFlags returns a flag set for a command that reports errors as usage
// errors instead of exiting.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parse parses a command's flags; flags may come before or after the
// positional arguments, which it returns.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{msg: strings.TrimSpace(err.Error())}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runVersion(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usagef("takes no arguments")
	}
	fmt.Fprintf(e.stdout, "gradiorec %s\n", Version)
	return nil
}
