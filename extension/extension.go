// Package extension holds gradiorec's browser extension (the files of this
// folder, a Manifest V3 extension for Chromium; see README.md) and drives
// it from Go in a Chromium that gradiorec starts: `gradiorec record --via
// extension` and the tests load it, pair it with a relay server of their
// own, and have it record the tab they drive, so that the same steps files
// prove that it records what the DevTools source records.
package extension

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/relay"
)

//go:embed manifest.json sw.js panel.html panel.js panel.css lib
var files embed.FS

// ID is the extension's id, pinned by the key in its manifest.
const ID = relay.ExtensionID

// Unpack writes the extension into a new folder in dir ("" for the
// temporary folder) for Chromium's --load-extension, and returns it;
// remove it when the browser is gone.
func Unpack(dir string) (string, error) {
	out, err := os.MkdirTemp(dir, "gradiorec-extension-")
	if err != nil {
		return "", fmt.Errorf("unpack the extension: %w", err)
	}
	err = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == "." {
			return err
		}
		target := filepath.Join(out, filepath.FromSlash(path))
		if d.IsDir() {
			return os.Mkdir(target, 0o700)
		}
		data, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		os.RemoveAll(out)
		return "", fmt.Errorf("unpack the extension: %w", err)
	}
	return out, nil
}

// Feeder takes the messages of one recording (a *recorder.Relay).
type Feeder interface {
	Feed(raw []byte) error
	End(reason string)
}

// Via is the extension of a browser that gradiorec drives, paired with a
// relay server of its own on a loopback port: Record has it record a tab.
type Via struct {
	server *relay.Server
	worker context.Context
	cancel context.CancelFunc
	logf   func(string, ...any)

	record sync.Mutex // one Record at a time: the next start is its
	mu     sync.Mutex
	next   Feeder
	feeds  map[string]Feeder
}

// Connect starts a relay server on a loopback port, waits for the
// extension's service worker in the browser of browserCtx (a chromedp
// context; the browser was started with the extension loaded) and pairs
// it with the server, as a person would with the code the server shows.
func Connect(ctx, browserCtx context.Context, logf func(string, ...any)) (*Via, error) {
	v := &Via{feeds: map[string]Feeder{}, logf: logf}
	server, err := relay.Listen(relay.Options{Store: relay.MemoryStore(), Handler: v, Logf: logf})
	if err != nil {
		return nil, err
	}
	v.server = server
	if v.worker, v.cancel, err = Worker(ctx, browserCtx); err != nil {
		server.Close()
		return nil, err
	}
	code, _ := server.NewCode()
	if _, err := call[any](ctx, v.worker, "pair", server.Port(), code); err != nil {
		v.Close()
		return nil, fmt.Errorf("pair the extension: %w", err)
	}
	return v, nil
}

// Close ends the relay server (which ends the recordings still fed) and
// the connection to the worker.
func (v *Via) Close() error {
	v.cancel()
	return v.server.Close()
}

// Record has the extension record the tab of DevTools target targetID,
// feeding f; it returns once the extension has attached and told the
// server.
func (v *Via) Record(ctx context.Context, targetID string, f Feeder) error {
	v.record.Lock()
	defer v.record.Unlock()
	v.mu.Lock()
	v.next = f
	v.mu.Unlock()
	defer func() {
		v.mu.Lock()
		v.next = nil
		v.mu.Unlock()
	}()
	rec, err := call[string](ctx, v.worker, "record", targetID)
	if err != nil {
		return fmt.Errorf("the extension did not start recording: %w", err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.feeds[rec] != f {
		return fmt.Errorf("the extension started recording %q, which the server did not see", rec)
	}
	return nil
}

// Message takes the messages of the paired extension (relay.Handler).
func (v *Via) Message(p *relay.Peer, t string, raw []byte) {
	var m struct {
		Rec    string `json:"rec"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return
	}
	v.mu.Lock()
	f := v.feeds[m.Rec]
	if t == "start" && f == nil && v.next != nil {
		f = v.next
		v.feeds[m.Rec] = f
		v.mu.Unlock()
		_ = p.Send(map[string]any{"t": "started", "rec": m.Rec, "path": ""})
		return
	}
	v.mu.Unlock()
	switch {
	case t == "pong":
	case f == nil:
		_ = p.Send(map[string]any{"t": "error", "rec": m.Rec, "code": "unknown-recording", "message": "gradiorec did not start this recording"})
	case t == "stop":
		f.End(m.Reason)
	default:
		if err := f.Feed(raw); err != nil {
			v.logf("extension: %v", err)
		}
	}
}

// Closed ends every recording of a connection that went away.
func (v *Via) Closed(p *relay.Peer, err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for rec, f := range v.feeds {
		f.End("disconnected")
		delete(v.feeds, rec)
	}
}

// Worker returns a chromedp context on the extension's service worker in
// the browser of browserCtx, once the worker has loaded its state. Cancel
// it to detach.
func Worker(ctx, browserCtx context.Context) (context.Context, context.CancelFunc, error) {
	prefix := "chrome-extension://" + ID + "/"
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		targets, err := chromedp.Targets(browserCtx)
		if err != nil {
			return nil, nil, fmt.Errorf("find the extension's service worker: %w", err)
		}
		for _, t := range targets {
			if t.Type == "service_worker" && strings.HasPrefix(t.URL, prefix) {
				worker, cancel := chromedp.NewContext(browserCtx, chromedp.WithTargetID(t.TargetID), chromedp.WithDetachOnCancel())
				// Attach with the worker's own context: the first Run's
				// context is the attachment's lifetime.
				if err := chromedp.Do(worker); err != nil {
					cancel()
					return nil, nil, fmt.Errorf("attach to the extension's service worker: %w", err)
				}
				if err := ready(ctx, worker); err != nil {
					cancel()
					return nil, nil, err
				}
				return worker, cancel, nil
			}
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return nil, nil, errors.New("the extension's service worker did not start: was the browser started with the extension loaded (--load-extension)?")
		}
	}
}

// call awaits globalThis.gradiorec[name](args...) in the worker and
// decodes its result.
func call[T any](ctx, worker context.Context, name string, args ...any) (T, error) {
	var out T
	a, err := json.Marshal(args)
	if err != nil {
		return out, err
	}
	run, cancel := context.WithCancel(worker)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	expr := fmt.Sprintf(`(async () => {
		if (!globalThis.gradiorec) throw new Error("the extension's worker has no gradiorec hooks (did it restart?)");
		const result = await globalThis.gradiorec[%[1]q](...%[2]s);
		return result === undefined ? null : result;
	})()`, name, a)
	out, err = chromedp.Run(run, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return out, fmt.Errorf("extension %s: %w", name, err)
	}
	return out, nil
}

// ready waits until the worker's script has defined globalThis.gradiorec
// (a worker just started may not have run it yet) and its state is
// loaded (gradiorec.ready).
func ready(ctx, worker context.Context) error {
	run, cancel := context.WithCancel(worker)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	if err := hooks(run); err != nil {
		return err
	}
	if _, err := chromedp.Run(run, chromedp.Evaluate[any](`globalThis.gradiorec.ready`, chromedp.EvalAwaitPromise)); err != nil {
		return fmt.Errorf("extension ready: %w", err)
	}
	return nil
}

// hooks waits until the worker's script has defined globalThis.gradiorec.
func hooks(worker context.Context) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := chromedp.Run(worker, chromedp.Evaluate[bool](`typeof globalThis.gradiorec === "object"`))
		if err == nil && ok {
			return nil
		}
		select {
		case <-tick.C:
		case <-worker.Done():
			return fmt.Errorf("the extension's worker has no gradiorec hooks (%v)", err)
		}
	}
}
