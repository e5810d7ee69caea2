// Package session is the one record lifecycle that every face of gradiorec
// shares (the CLI's record command, the desktop app, and the browser
// extension's backend): open the app with a journal whose secrets are
// redacted, watch the app and the browser, report a failing journal at
// once, stop, save wherever there is room, and say truly where the calls
// are.
package session

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/internal/watch"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Config says how to record.
type Config struct {
	// Path is where the recording is saved; its journal lives beside it
	// (recording.JournalPath) while it runs.
	Path string
	// Interactive: a person uses the browser, and closing it ends the
	// recording normally.
	Interactive bool
	// Options are the recorder's (browser, login, viewport, events, …).
	// Start adds the journal, the ambient secrets and OnFault.
	Options []recorder.Option
	// OnFault is told at once when the journal cannot be written; it runs
	// on the recorder's event goroutine and must not block.
	OnFault func(error)
}

// Session is a recording in progress.
type Session struct {
	rec *recorder.Recorder
	ctx context.Context
	end context.CancelCauseFunc
}

// AmbientSecrets are the secrets of the environment that a recording must
// never show, though nobody named them: $HF_TOKEN (when it is long enough
// to be a token).
func AmbientSecrets() []recording.Secret {
	if tok := os.Getenv("HF_TOKEN"); len(tok) >= recording.MinSecretInText {
		return []recording.Secret{{Value: tok}}
	}
	return nil
}

// Start opens the app at url and starts recording it into cfg.Path. ctx
// bounds the opening only. The session then runs until Stop, or until the
// app or the browser goes away (Done).
func Start(ctx context.Context, url string, cfg Config) (*Session, error) {
	opts := append([]recorder.Option{}, cfg.Options...)
	opts = append(opts,
		recorder.WithJournal(cfg.Path),
		recorder.WithSecrets(AmbientSecrets()...),
		recorder.WithOnFault(func(err error) {
			if cfg.OnFault != nil {
				cfg.OnFault(err)
			}
		}),
	)
	rec, err := recorder.New(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	run, end := context.WithCancelCause(context.Background())
	s := &Session{rec: rec, ctx: run, end: end}
	go watch.App(run, rec.App().Root, end)
	if rec.Tab() != nil {
		go watch.Browser(run, rec.Tab(), cfg.Interactive, end)
	}
	if r := rec.Relay(); r != nil {
		go watchRelay(run, r, end)
	}
	return s, nil
}

// watchRelay ends the session when the extension ends its recording: the
// user pressed Stop (a normal end), closed the tab or the debugging bar,
// or the connection to the browser was lost.
func watchRelay(ctx context.Context, r *recorder.Relay, end context.CancelCauseFunc) {
	select {
	case <-ctx.Done():
		return
	case <-r.Ended():
	}
	why := &watch.End{Msg: RelayEnd(r.Reason()), Of: watch.TheTab}
	why.Normal = r.Reason() == "user"
	end(why)
}

// RelayEnd says why the extension ended a recording, from the reason of
// its stop message (docs/extension-protocol.md).
func RelayEnd(reason string) string {
	switch reason {
	case "user":
		return "stopped in the browser"
	case "tab-closed":
		return "the recorded tab was closed"
	case "canceled-by-user":
		return "the debugging bar was closed in the browser"
	case "worker-restarted":
		return "the extension restarted and lost the recording"
	case "disconnected":
		return "the connection to the browser extension was lost"
	case "too-large":
		return "the recording relayed more than 1 GiB"
	}
	if len(reason) > 40 {
		reason = reason[:40] + "…"
	}
	return "the extension stopped recording (" + term.Escape(reason) + ")"
}

// Recorder returns the recorder, to drive its tab and read its calls.
func (s *Session) Recorder() *recorder.Recorder { return s.rec }

// Context ends when the session does: Stop, End, or the app or the browser
// going away (then its cause is a *watch.End).
func (s *Session) Context() context.Context { return s.ctx }

// End ends the session's context with why (nil for a plain stop) before
// Stop: a time limit, an interrupt.
func (s *Session) End(why *watch.End) {
	if why == nil {
		s.end(nil)
		return
	}
	s.end(why)
}

// Why returns why the session's context ended, or nil when it has not or
// was ended without a reason.
func (s *Session) Why() *watch.End {
	var why *watch.End
	if errors.As(context.Cause(s.ctx), &why) {
		return why
	}
	return nil
}

// Stop ends the recording and saves it. The error, when not nil, says
// where the calls are (a *recorder.SaveError), or what else went wrong;
// the recording returned holds every call either way.
func (s *Session) Stop() (*recording.Recording, error) {
	s.end(nil) // stops the watchers
	return s.rec.Stop()
}

// Where says in one sentence where the calls of a stopped recording are,
// for the person who recorded them: path when err is nil, else what err
// (Stop's) says.
func Where(path string, err error) string {
	var se *recorder.SaveError
	switch {
	case err == nil:
		return "saved to " + path
	case errors.As(err, &se):
		return se.Error()
	}
	return fmt.Sprintf("could not save %s: %v", path, err)
}
