package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
)

// The clients the harness knows, in the order of the table.
const (
	clientGo     = "go"     // package gradio, in this process
	clientRaw    = "raw"    // the hand-written protocol loop, in this process
	clientPython = "python" // gradio_client, in official.py
	clientJS     = "js"     // @gradio/client, in official.mjs
)

var allClients = []string{clientGo, clientRaw, clientPython, clientJS}

// api is the endpoint every client calls: it returns its text unchanged.
const api = "/echo"

// label is a client's name in the table.
func label(name string) string {
	switch name {
	case clientGo:
		return "Go client"
	case clientRaw:
		return "raw floor"
	case clientPython:
		return "gradio_client"
	case clientJS:
		return "@gradio/client"
	}
	return name
}

// settings are the parameters of one run.
type settings struct {
	calls      int // sequential calls per client
	connects   int // connects per client
	concurrent int // concurrent calls per client
	inFlight   int // concurrent calls in flight
	rounds     int // rounds the clients alternate in
	warmup     int // sequential warm-up calls per client
	version    string
	clients    []string
	root       string // the repository; found from the working directory when ""
	// analytics keeps Gradio's per-call analytics summary on (see
	// benchapp.QuietAnalytics).
	analytics bool
}

func defaultSettings() settings {
	return settings{
		calls: 400, connects: 80, concurrent: 1024, inFlight: 64, rounds: 8, warmup: 20,
		version: "6.31.0", clients: slices.Clone(allClients),
	}
}

func (s settings) check() error {
	if s.calls < 1 || s.connects < 1 || s.concurrent < 1 || s.inFlight < 1 || s.rounds < 1 || s.warmup < 0 {
		return errors.New("-calls, -connects, -concurrent, -inflight and -rounds must be at least 1, -warmup at least 0")
	}
	if s.calls < s.rounds || s.connects < s.rounds || s.concurrent < s.rounds {
		return fmt.Errorf("-calls, -connects and -concurrent must be at least -rounds (%d)", s.rounds)
	}
	seen := map[string]bool{}
	for _, c := range s.clients {
		if !slices.Contains(allClients, c) {
			return fmt.Errorf("unknown client %q in -clients; known: %s", c, strings.Join(allClients, ", "))
		}
		if seen[c] {
			return fmt.Errorf("client %q twice in -clients", c)
		}
		seen[c] = true
	}
	if len(s.clients) == 0 {
		return errors.New("-clients is empty")
	}
	return nil
}

// bench starts the echo app, starts the clients, measures them and returns
// the report. Everything it started is stopped when it returns. Progress
// goes to log.
func bench(ctx context.Context, s settings, log io.Writer) (*report, error) {
	root, py, err := benchapp.Locate(s.root, s.version)
	if err != nil {
		return nil, err
	}
	rep := &report{s: s, about: map[string]string{}, machine: benchapp.Machine(), loadStart: benchapp.LoadAverage()}

	fmt.Fprintf(log, "starting testdata/apps/echo.py on Gradio %s\n", s.version)
	var env []string
	if !s.analytics {
		env = benchapp.QuietAnalytics
	}
	a, err := benchapp.Start(ctx, py, filepath.Join(root, "testdata", "apps", "echo.py"), env)
	if err != nil {
		return nil, err
	}
	defer a.Stop()
	if rep.app, err = readApp(ctx, http.DefaultClient, a.URL); err != nil {
		return nil, err
	}

	for _, name := range s.clients {
		fmt.Fprintf(log, "starting %s\n", label(name))
		c, about, err := open(ctx, name, root, py, a.URL, rep.app)
		if err != nil {
			closeAll(rep.entries)
			return nil, fmt.Errorf("start %s: %w", label(name), err)
		}
		rep.about[name] = about
		rep.entries = append(rep.entries, &entry{name: name, c: c})
	}
	hc := &http.Client{Timeout: 5 * time.Second}
	quiet := func(ctx context.Context) { settle(ctx, hc, rep.app.api) }
	err = measure(ctx, s, rep.entries, quiet, log)
	closeAll(rep.entries)
	if err != nil {
		return nil, err
	}
	rep.loadEnd = benchapp.LoadAverage()
	return rep, nil
}

// open starts a contender and describes it.
func open(ctx context.Context, name, root, py, url string, app appInfo) (contender, string, error) {
	switch name {
	case clientGo:
		c, err := newGoClient(ctx, url)
		return c, "package gradio, in this process (" + runtime.Version() + ")", err
	case clientRaw:
		return newRaw(url, app), "a net/http loop, in this process (" + runtime.Version() + ")", nil
	case clientPython:
		env := []string{"HF_HUB_OFFLINE=1", "GRADIO_ANALYTICS_ENABLED=False", "PYTHONUNBUFFERED=1"}
		w, err := startWorker(ctx, []string{py, filepath.Join(root, "bench", "clients", "official.py"), url}, env)
		if err != nil {
			return nil, "", err
		}
		return w, w.about, nil
	case clientJS:
		node, err := exec.LookPath("node")
		if err != nil {
			return nil, "", fmt.Errorf("%w; run `make setup` (scripts/setup)", err)
		}
		js := filepath.Join(root, "testdata", "node", "node_modules", "@gradio", "client", "dist", "index.js")
		if _, err := os.Stat(js); err != nil {
			return nil, "", fmt.Errorf("@gradio/client is not installed (%w); run `make setup` (scripts/setup)", err)
		}
		w, err := startWorker(ctx, []string{node, filepath.Join(root, "bench", "clients", "official.mjs"), url}, []string{"GRADIO_CLIENT_JS=" + js})
		if err != nil {
			return nil, "", err
		}
		return w, w.about, nil
	}
	return nil, "", fmt.Errorf("unknown client %q", name)
}

func closeAll(entries []*entry) {
	for _, e := range entries {
		_ = e.c.close()
	}
}
