package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/gradiorec/gradiorec/internal/backend"
	"github.com/gradiorec/gradiorec/internal/relay"
	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recorder"
)

// serveCommand is gradiorec serve.
var serveCommand = command{
	summary: "record in your own browser: the backend of gradiorec's browser extension",
	usage:   "[--dir DIR] [--port N] [--list | --revoke ID]",
	help: "Listens on 127.0.0.1 for gradiorec's browser extension (see extension/README.md) and\n" +
		"records what it captures in the tab you choose: each recording is journaled while it\n" +
		"runs and saved into DIR when you press Stop in the extension's side panel, close the\n" +
		"tab, or stop serve (Ctrl-C saves every recording in progress).\n\n" +
		"To pair a browser, paste the code serve prints into the side panel; press Enter for a\n" +
		"new code. A paired browser is remembered (a per-browser secret, in a file only you\n" +
		"can read) and connects by itself from then on.\n\n" +
		"flags:\n" +
		"  --dir DIR       where recordings are saved (default: recordings)\n" +
		"  --port N        the loopback port to listen on (default 17860)\n" +
		"  --pairings FILE where paired browsers are remembered (default\n" +
		"                  $XDG_CONFIG_HOME/gradiorec/paired.json)\n" +
		"  --list          list the paired browsers and exit\n" +
		"  --revoke ID     forget the paired browser ID and exit\n\n" +
		"Only the extension may connect: serve refuses web pages (a local Gradio app too),\n" +
		"other hosts, and connections without the pairing secret.",
	run: runServe,
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve")
	dir := fs.String("dir", "recordings", "save recordings in `DIR`")
	port := fs.Int("port", relay.DefaultPort, "listen on this loopback `port`")
	pairings := fs.String("pairings", "", "remember paired browsers in `FILE`")
	list := fs.Bool("list", false, "list the paired browsers and exit")
	revoke := fs.String("revoke", "", "forget the paired browser `ID` and exit")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("serve takes no arguments, got %q", pos[0])
	}
	if *port < 0 || *port > 65535 {
		return usagef("--port %d is not a port", *port)
	}
	if *list && *revoke != "" {
		return usagef("--list and --revoke are two commands: give one")
	}
	if *pairings == "" {
		*pairings = relay.DefaultStorePath()
	}
	store, err := relay.FileStore(*pairings)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	p := &printer{w: e.stderr}
	switch {
	case *list:
		return listPairings(e, store)
	case *revoke != "":
		if err := store.Revoke(*revoke); err != nil {
			return &exitError{code: ExitError, err: err}
		}
		p.printf("forgot the browser %s: it must pair again", *revoke)
		return nil
	}

	b := backend.New(backend.Config{
		Dir:     *dir,
		Options: []recorder.Option{recorder.WithTool("gradiorec " + version.Version)},
		Logf:    p.printf,
	})
	server, err := relay.Listen(relay.Options{
		Addr: fmt.Sprintf("127.0.0.1:%d", *port), Store: store, Handler: b,
		Version: version.Version, Logf: p.printf,
	})
	if errors.Is(err, syscall.EADDRINUSE) {
		return &exitError{code: ExitError, err: fmt.Errorf("port %d is in use (is another gradiorec serve running?): "+
			"stop it, or give another port with --port N and enter it in the extension's panel", *port)}
	}
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	p.printf("gradiorec is waiting for the browser extension on 127.0.0.1:%d; recordings go to %s", server.Port(), *dir)
	showCode(p, server)
	go newCodes(ctx, e, p, server)

	<-ctx.Done()
	p.printf("stopping: saving the recordings in progress")
	server.Close()
	b.Wait()
	return nil
}

// showCode prints a new one-time pairing code.
func showCode(p *printer, server *relay.Server) {
	code, expires := server.NewCode()
	p.printf("to pair a browser, paste this code in the extension's side panel (port %d): %s\n"+
		"it works once, until %s; press Enter for a new one", server.Port(), code, expires.Format(time.Kitchen))
}

// newCodes prints a new pairing code each time Enter is pressed.
func newCodes(ctx context.Context, e *env, p *printer, server *relay.Server) {
	if e.stdin == nil {
		return
	}
	lines := bufio.NewScanner(e.stdin)
	for lines.Scan() && ctx.Err() == nil {
		showCode(p, server)
	}
}

// listPairings prints the paired browsers.
func listPairings(e *env, store relay.Store) error {
	paired, err := store.List()
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if len(paired) == 0 {
		fmt.Fprintln(e.stdout, "no browser is paired: run gradiorec serve and paste its code in the extension's side panel")
		return nil
	}
	for _, pr := range paired {
		fmt.Fprintf(e.stdout, "%s\t%s\tpaired %s\n", pr.Install, term.EscapeText(pr.Browser), pr.Paired.Format(time.RFC3339))
	}
	return nil
}
