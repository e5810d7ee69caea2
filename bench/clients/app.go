package main

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// settleTimeout bounds how long settle waits for the queue to drain.
const settleTimeout = 30 * time.Second

// settle waits, for at most settleTimeout, until the app's queue is empty
// (GET <api>/queue/status reports queue_size 0), so that calls a client left
// behind, such as those it gave up on, do not slow the next one down.
func settle(ctx context.Context, hc *http.Client, api string) {
	ctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	for {
		var st struct {
			QueueSize *int `json:"queue_size"`
		}
		body, err := get(ctx, hc, api+"/queue/status")
		if err != nil || json.Unmarshal(body, &st) != nil || st.QueueSize == nil || *st.QueueSize == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}
