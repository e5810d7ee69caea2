package steps

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gradiorec/gradiorec/internal/pause"
)

// wait waits as the step says: for its delay, until the app is idle, until
// a text shows, or until its component is there (with the wanted value, if
// the step gives one).
func wait(ctx context.Context, st Step, waitIdle func(context.Context) error) error {
	switch {
	case st.Delay > 0:
		return pause.For(ctx, st.Delay)
	case st.Target == (Locator{}):
		return stepIdle(ctx, waitIdle)
	case st.Target.Kind == ByText:
		return waitText(ctx, st.Target.Value)
	default:
		_, err := uiResolve(ctx, st, "present")
		return err
	}
}

// stepIdle waits until the app is idle, with waitIdle or by watching the page.
func stepIdle(ctx context.Context, waitIdle func(context.Context) error) error {
	if waitIdle != nil {
		if err := waitIdle(ctx); err != nil {
			return fmt.Errorf("wait for idle: %w", err)
		}
		return nil
	}
	// Give the click's call time to start and show its status.
	if err := pause.For(ctx, 300*time.Millisecond); err != nil {
		return fmt.Errorf("wait for idle: %w", err)
	}
	busy := "the page does not answer"
	for quiet := 0; quiet < 3; {
		// A page that does not answer (it navigates after a login) is busy.
		b, err := pageCall[string](ctx, "busy", nil)
		switch {
		case err != nil:
			quiet = 0
		case b != "":
			quiet, busy = 0, b
		default:
			quiet++
		}
		if err := pause.For(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("wait for idle: %s: %w", busy, err)
		}
	}
	return nil
}

// waitValue waits until the marked control's value is want.
func waitValue(ctx context.Context, mark, want, what string) error {
	var got string
	for {
		var err error
		got, err = markValue(ctx, mark)
		if err != nil {
			return err
		}
		if got == want || looseEqual(got, want) {
			return nil
		}
		if err := pause.For(ctx, 50*time.Millisecond); err != nil {
			return fmt.Errorf("%s shows %q, want %q", what, got, want)
		}
	}
}

// valueMatches reports whether a component's value is the wanted one:
// the same text but for surrounding space, or the same number.
func valueMatches(got, want string) bool {
	return strings.TrimSpace(got) == strings.TrimSpace(want) || sameNumber(got, want)
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return err1 == nil && err2 == nil && x == y
}

// waitText waits until text shows on the page, in its text or its fields.
func waitText(ctx context.Context, text string) error {
	for {
		ok, err := pageCall[bool](ctx, "text", map[string]string{"text": text})
		if err == nil && ok {
			return nil
		}
		if err := pause.For(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("the text %q did not show", text)
		}
	}
}

// waitAppReady waits until the page shows the rendered Gradio app.
func waitAppReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		ok, err := pageCall[bool](ctx, "ready", nil)
		if err == nil && ok {
			return nil
		}
		if err := pause.For(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("the page shows no Gradio app after %s", limit)
		}
	}
}
