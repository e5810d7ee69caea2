// Command clients compares the project's Go client for Gradio apps (package
// gradio) with a raw protocol floor and the official clients, gradio_client
// (Python) and @gradio/client (JavaScript), in one run on one real app.
//
//	go run ./bench/clients [-calls N] [-connects N] [-concurrent N] [-inflight 64] [-version 6.31.0]
//
// It starts testdata/apps/echo.py on a free loopback port with the project's
// virtualenv for the Gradio version, in a process group of its own that is
// stopped at exit (also on Ctrl-C and errors), and measures for each client:
// connect time (median), sequential calls (calls/s, p50 and p99 latency) and
// throughput with -inflight concurrent calls. The official clients run as
// worker processes (official.py, official.mjs) driven over stdin, so every
// client gets the same warm-up and workload, in rounds that alternate
// between the clients. It prints one table with each row's ratio to the Go
// client, the Go client's sequential per-call time against the raw floor,
// and PASS or FAIL for the client's performance targets. See
// bench/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the command: it returns the exit status (0 also when a target is
// missed: the harness reports, it does not assert).
func run(args []string, stdout, stderr io.Writer) int {
	s, cpuprofile, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "clients:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "clients:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}

	rep, err := bench(ctx, s, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "clients:", err)
		return 1
	}
	rep.print(stdout)
	return 0
}

// parseFlags reads the command line into settings.
func parseFlags(args []string, stderr io.Writer) (settings, string, error) {
	s := defaultSettings()
	fs := flag.NewFlagSet("clients", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./bench/clients [flags]\n\nCompares the Go Gradio client with a raw floor, gradio_client and @gradio/client on testdata/apps/echo.py.\n\nFlags:")
		fs.PrintDefaults()
	}
	fs.IntVar(&s.calls, "calls", s.calls, "sequential calls per client, over all rounds")
	fs.IntVar(&s.connects, "connects", s.connects, "connects per client, over all rounds")
	fs.IntVar(&s.concurrent, "concurrent", s.concurrent, "concurrent calls per client, over all rounds")
	fs.IntVar(&s.inFlight, "inflight", s.inFlight, "concurrent calls in flight")
	fs.IntVar(&s.rounds, "rounds", s.rounds, "rounds the clients alternate in")
	fs.IntVar(&s.warmup, "warmup", s.warmup, "sequential warm-up calls per client (plus one batch of -inflight concurrent calls)")
	fs.StringVar(&s.version, "version", s.version, "Gradio version (the virtualenv .venv/gradio-<version>)")
	fs.BoolVar(&s.analytics, "gradio-analytics", s.analytics, "leave on the server's per-call analytics summary, whose cost grows with every call (see bench/README.md)")
	clients := fs.String("clients", strings.Join(s.clients, ","), "clients to measure, comma-separated: "+strings.Join(allClients, ", "))
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of this process (the Go client and the raw floor run in it) to `file`")
	if err := fs.Parse(args); err != nil {
		return s, "", err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "clients: unexpected arguments %q\n", fs.Args())
		return s, "", errors.New("unexpected arguments")
	}
	s.clients = strings.Split(*clients, ",")
	if err := s.check(); err != nil {
		fmt.Fprintln(stderr, "clients:", err)
		return s, "", err
	}
	return s, *cpuprofile, nil
}
