package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
)

// ParseArgs reads the desktop app's command line,
// `gradiorec-desktop [-v] [-chromium PATH] [-extension-port N] [RECORDING.json | FILE.har]`,
// into Options. It prints its usage and the error to stderr.
func ParseArgs(args []string, stderr io.Writer) (Options, error) {
	fs := flag.NewFlagSet("gradiorec-desktop", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print diagnostics (what the recorder could not capture, where the live view is)")
	chromium := fs.String("chromium", "", "the Chromium to run (default: $GRADIOREC_CHROMIUM, else the system's)")
	port := fs.Int("extension-port", 0, "the loopback `port` where the browser extension reaches the window (default 17860, as gradiorec serve; -1: none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gradiorec-desktop [-v] [-chromium PATH] [-extension-port N] [RECORDING.json | FILE.har]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return Options{}, err
	}
	if *port < -1 || *port > 65535 {
		err := fmt.Errorf("-extension-port %d is not a port: give 1 to 65535, or -1 for none", *port)
		fmt.Fprintln(stderr, "gradiorec-desktop:", err)
		return Options{}, err
	}
	opts := Options{Chromium: *chromium, ExtensionPort: *port}
	switch fs.NArg() {
	case 0:
	case 1:
		opts.Open = fs.Arg(0)
	default:
		err := errors.New("give at most one recording to open")
		fmt.Fprintln(stderr, "gradiorec-desktop:", err)
		fs.Usage()
		return Options{}, err
	}
	if *verbose {
		l := log.New(stderr, "gradiorec-desktop: ", log.Ltime|log.Lmicroseconds)
		opts.Logf = l.Printf
	}
	return opts, nil
}
