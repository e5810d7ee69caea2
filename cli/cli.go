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
	"time"

	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/internal/version"
)

// Exit codes of the gradiorec command.
const (
	ExitOK    = 0 // success
	ExitError = 1 // the command failed
	ExitUsage = 2 // bad arguments or input
	// ExitInterrupted: Ctrl-C (SIGINT) or SIGTERM stopped the command before
	// it finished (128 + SIGINT, as shells report it). record is the
	// exception: Ctrl-C is how an interactive recording ends.
	ExitInterrupted = 130
)

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

// commands lists every subcommand by name: the whole command line in one
// table, each command's own file holding its entry.
var commands = map[string]command{
	"call":     callCommand,
	"export":   exportCommand,
	"generate": generateCommand,
	"import":   importCommand,
	"inspect":  inspectCommand,
	"record":   recordCommand,
	"recover":  recoverCommand,
	"replay":   replayCommand,
	"report":   reportCommand,
	"serve":    serveCommand,
	"version":  {summary: "print the version", run: runVersion},
}

// usageError is an error in the command line; Main prints it with the usage
// (unless valueOnly: one flag's value was wrong, and the message says how to
// write it) and exits with ExitUsage.
type usageError struct {
	msg       string
	valueOnly bool
}

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
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "gradiorec help: unknown command %q\n\n", args[1])
				printUsage(stderr)
				return ExitUsage
			}
			printHelp(stdout, args[1], c)
			return ExitOK
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
		printHelp(stdout, name, c)
		return ExitOK
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "gradiorec %s: interrupted (%v) before it finished; run it again to complete it\n", name, context.Cause(ctx))
		return ExitInterrupted
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "gradiorec %s: %s\n", name, term.EscapeText(ue.msg))
		if !ue.valueOnly {
			fmt.Fprintf(stderr, "usage: gradiorec %s %s\n", name, c.usage)
		}
		fmt.Fprintf(stderr, "Run 'gradiorec %s --help' for more.\n", name)
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

// printHelp writes a command's usage, summary and help.
func printHelp(w io.Writer, name string, c command) {
	fmt.Fprintf(w, "usage: gradiorec %s %s\n\n%s\n", name, c.usage, c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", c.help)
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
// errors instead of printing them and exiting.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // Main prints the error, and --help the command's help
	fs.Usage = func() {}
	return fs
}

// parse parses a command's flags; flags may come before or after the
// positional arguments, which it returns. A value a flag refuses is a
// usage error that says how to write it.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(*checkedValue); ok {
			return
		}
		v := &checkedValue{Value: f.Value, name: f.Name, bad: &bad}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			f.Value = checkedBool{v}
		} else {
			f.Value = v
		}
	})
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			switch {
			case errors.Is(err, flag.ErrHelp):
				return nil, err
			case bad != nil:
				return nil, bad
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

// checkedValue is a flag's value that, when it refuses a value, keeps a
// usage error saying what is wrong and how to write it.
type checkedValue struct {
	flag.Value
	name string
	bad  *error
}

func (v *checkedValue) Set(s string) error {
	err := v.Value.Set(s)
	if err != nil && *v.bad == nil {
		*v.bad = &usageError{msg: valueError(v.Value, "-"+v.name, s, err), valueOnly: true}
	}
	return err
}

// checkedBool is a checkedValue of a boolean flag, which takes no value.
type checkedBool struct{ *checkedValue }

func (checkedBool) IsBoolFlag() bool { return true }

// valueError says why a flag refused the value s, and how to write one.
func valueError(v flag.Value, name, s string, err error) string {
	if len(name) > 2 {
		name = "-" + name // --timeout, as the help writes it; -o stays
	}
	var kind any
	if g, ok := v.(flag.Getter); ok {
		kind = g.Get()
	}
	outOfRange := err.Error() == "value out of range"
	switch kind.(type) {
	case time.Duration:
		return fmt.Sprintf("%s %q is not a duration: write a number with a unit, e.g. 30s, 5m or 1h30m", name, s)
	case bool:
		return fmt.Sprintf("%s=%s: write %s alone to turn it on, or %s=false", name, s, name, name)
	case int, int64, uint, uint64:
		if outOfRange {
			return fmt.Sprintf("%s %q is out of range: write a smaller whole number", name, s)
		}
		return fmt.Sprintf("%s %q is not a whole number: write one in digits, e.g. %s 3", name, s, name)
	case float64:
		return fmt.Sprintf("%s %q is not a number: write one in digits, e.g. %s 0.5", name, s, name)
	}
	// A value of gradiorec's own type: its error says how to write it.
	return fmt.Sprintf("%s: %v", name, err)
}

func runVersion(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usagef("takes no arguments")
	}
	fmt.Fprintf(e.stdout, "gradiorec %s\n", version.Version)
	return nil
}
