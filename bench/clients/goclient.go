package main

import (
	"context"
	"fmt"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
)

// goClient runs the Go client in this process, with one Client for the
// calls, as the official clients keep one.
type goClient struct {
	url string
	c   *gradio.Client
}

func newGoClient(ctx context.Context, url string) (*goClient, error) {
	c, err := gradio.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	return &goClient{url: url, c: c}, nil
}

// call calls /echo once, checks the output and returns the call's latency.
func (g *goClient) call(ctx context.Context, text string) (time.Duration, error) {
	start := time.Now()
	res, err := g.c.Predict(ctx, api, text)
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	if v := res.Value(); v != text {
		return 0, fmt.Errorf("unexpected output %#v", res.Data)
	}
	return took, nil
}

func (g *goClient) warmup(ctx context.Context, calls, inFlight int) error {
	return warmupWith(ctx, calls, inFlight, g.call, g.call)
}

func (g *goClient) connects(ctx context.Context, n int) ([]time.Duration, error) {
	times := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		c, err := gradio.Connect(ctx, g.url)
		took := time.Since(start)
		if err != nil {
			return nil, err
		}
		times = append(times, took)
		c.Close()
	}
	return times, nil
}

func (g *goClient) sequential(ctx context.Context, n int) (seqRun, error) {
	return sequentialWith(ctx, n, g.call)
}

func (g *goClient) concurrent(ctx context.Context, n, inFlight int) (concRun, error) {
	return concurrentWith(ctx, n, inFlight, g.call)
}

func (g *goClient) close() error { return g.c.Close() }
