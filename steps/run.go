package steps

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chromedp/chromedp"
)

// Errors a step can fail with, for errors.Is.
var (
	// ErrNoTarget is a step whose target is not on the page (within the
	// step's timeout). Its message lists the labels, buttons and
	// placeholders that are.
	ErrNoTarget = errors.New("no element matches the target")
	// ErrAmbiguousTarget is a step whose target matches more than one
	// element. Its message lists them.
	ErrAmbiguousTarget = errors.New("the target matches more than one element")
	// ErrCovered is a click whose target stayed covered by another element
	// (an overlay, a dialog) for the step's timeout: the click would go to
	// the cover. Its message names the cover.
	ErrCovered = errors.New("another element covers the target")
)

// StepError is a step that failed while running.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string {
	line := ""
	if e.Step.Line > 0 {
		line = fmt.Sprintf("line %d, ", e.Step.Line)
	}
	return fmt.Sprintf("step %d (%s%s): %v", e.Step.N, line, e.Step, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// Run performs the steps in order in the page of ctx, a chromedp context of
// a tab that shows the Gradio app, and stops at the first step that fails,
// with a *StepError.
//
// waitIdle waits until the app has no call in flight; Run calls it after
// every click, submit and press (unless the step says idle: false) and for
// "wait: idle". If it is nil, Run watches the page instead: it waits until no
// component shows a progress or pending status, which misses calls whose
// outputs hide their progress.
func (s Script) Run(ctx context.Context, waitIdle func(context.Context) error) error {
	if len(s) > 0 {
		if err := waitAppReady(ctx, s[0].Timeout); err != nil {
			return &StepError{Step: s[0], Err: err}
		}
	}
	for _, st := range s {
		if err := st.Run(ctx, waitIdle); err != nil {
			return err
		}
	}
	return nil
}

// Run performs one step in the page of ctx, as Script.Run does, within the
// step's timeout. It fails with a *StepError.
func (st Step) Run(ctx context.Context, waitIdle func(context.Context) error) error {
	limit := st.Timeout
	if st.Delay > 0 {
		limit += st.Delay
	}
	sctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err := st.perform(sctx, waitIdle)
	if err == nil && st.Idle {
		err = stepIdle(sctx, waitIdle)
	}
	if err == nil {
		return nil
	}
	if ctx.Err() == nil && errors.Is(sctx.Err(), context.DeadlineExceeded) && !errors.Is(err, ErrNoTarget) && !errors.Is(err, ErrCovered) {
		err = fmt.Errorf("timed out after %s: %w", limit, err)
	}
	return &StepError{Step: st, Err: err}
}

// perform acts as the step's verb says; the verbs live by family: fill, set
// and press in keyboard.go, click and check in pointer.go, select in
// choice.go, upload in upload.go, wait in wait.go.
func (st Step) perform(ctx context.Context, waitIdle func(context.Context) error) error {
	switch st.Verb {
	case Fill, Submit:
		return fill(ctx, st)
	case Set:
		return set(ctx, st)
	case Select:
		return choose(ctx, st)
	case Check:
		return check(ctx, st)
	case Upload:
		return upload(ctx, st)
	case Click:
		return click(ctx, st)
	case Press:
		return press(ctx, st)
	case Wait:
		return wait(ctx, st, waitIdle)
	}
	return fmt.Errorf("unknown action %q", st.Verb)
}

//go:embed page.js
var pageJS string

// pageCall runs an operation of page.js in the page and decodes its
// result.
func pageCall[T any](ctx context.Context, op string, arg any) (T, error) {
	a, err := json.Marshal(arg)
	if err != nil {
		var zero T
		return zero, err
	}
	o, _ := json.Marshal(op)
	return chromedp.Run(ctx, chromedp.Evaluate[T]("("+pageJS+")("+string(o)+", "+string(a)+")"))
}
