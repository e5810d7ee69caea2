package pause

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestForEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// An hour's pause returns at once when the context is already done.
	if err := For(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("For on a cancelled context: %v, want context.Canceled", err)
	}
	if err := For(context.Background(), time.Nanosecond); err != nil {
		t.Fatalf("For(1ns): %v", err)
	}
}
