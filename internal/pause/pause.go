// Package pause waits for a while unless a context ends first: the pacing
// between a browser's polls, which must stop when the run is cancelled.
package pause

import (
	"context"
	"time"
)

// For waits for d, or until ctx is done, and then returns ctx's error.
func For(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
