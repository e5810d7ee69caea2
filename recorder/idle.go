package recorder

import (
	"context"
	"fmt"
	"time"
)

// InFlight returns the number of calls that have started and not yet
// completed (a completed call's output files are fetched before it counts
// as completed).
func (r *Recorder) InFlight() int { return r.cap.inFlight() }

// WaitIdle returns when no call is in flight, no upload is running, no call
// is due next in a chain (.then, .success, .failure listeners, known from
// the app's config; waited for up to 5 s each) and none has started for the
// settle window (WithSettle, DefaultSettle), also counted from when WaitIdle
// was called, so that a call the page is about to send after a click is
// waited for. It returns ctx's error when ctx ends first, and ErrStopped
// after Stop.
func (r *Recorder) WaitIdle(ctx context.Context) error {
	called := time.Now()
	for {
		select {
		case <-r.stopped:
			return ErrStopped
		default:
		}
		idle, since, changed, expires := r.cap.idle()
		if !idle {
			if err := r.waitChange(ctx, changed, expires); err != nil {
				return err
			}
			continue
		}
		quiet := r.s.settle - time.Since(later(since, called))
		if quiet <= 0 {
			return nil
		}
		t := time.NewTimer(quiet)
		select {
		case <-changed:
		case <-t.C:
		case <-r.stopped:
			t.Stop()
			return ErrStopped
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("wait for idle: %w", ctx.Err())
		}
		t.Stop()
	}
}

// waitChange waits for the capture's state to change, or until the first
// expected call stops being waited for (expires, when not zero).
func (r *Recorder) waitChange(ctx context.Context, changed <-chan struct{}, expires time.Time) error {
	var wake <-chan time.Time
	if !expires.IsZero() {
		t := time.NewTimer(time.Until(expires))
		defer t.Stop()
		wake = t.C
	}
	select {
	case <-changed:
	case <-wake:
	case <-r.stopped:
		return ErrStopped
	case <-ctx.Done():
		return fmt.Errorf("wait for idle (%d calls in flight): %w", r.InFlight(), ctx.Err())
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
