package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
)

// contender is one client under test. Each method runs a whole phase and
// returns what it measured; an error means the contender could not run the
// phase at all (failed calls are counted in the runs instead).
type contender interface {
	// warmup makes calls sequential calls and then one batch of inFlight
	// concurrent calls, measuring nothing.
	warmup(ctx context.Context, calls, inFlight int) error
	// connects connects n new clients one after the other and returns how
	// long each connect took.
	connects(ctx context.Context, n int) ([]time.Duration, error)
	// sequential makes n calls one after the other.
	sequential(ctx context.Context, n int) (seqRun, error)
	// concurrent makes n calls with inFlight of them in flight at a time.
	concurrent(ctx context.Context, n, inFlight int) (concRun, error)
	// close ends the contender and what it started.
	close() error
}

// seqRun is the outcome of a sequential phase.
type seqRun struct {
	latencies []time.Duration // of the calls that succeeded
	// iterations are the times of the loop's iterations for those calls:
	// the latency plus whatever the client does for the call after the
	// result is there (the raw floor reads the rest of its response). They
	// equal the latencies for the official clients, which time the whole
	// call.
	iterations []time.Duration
	wall       time.Duration // the whole phase
	errors     int           // failed calls
	err        string        // the first failure
}

// concRun is the outcome of a concurrent phase.
type concRun struct {
	wall   time.Duration
	ok     int
	errors int
	err    string
}

// tally is a contender's measurements summed over the rounds.
type tally struct {
	connects   []time.Duration
	latencies  []time.Duration
	iterations []time.Duration
	seqWall    time.Duration
	seqCalls   int // calls made, failed ones included
	seqErrors  int
	concWall   time.Duration
	concOK     int
	concErrs   int
	firstErr   string
}

func (t *tally) addSeq(r seqRun) {
	t.latencies = append(t.latencies, r.latencies...)
	if r.iterations == nil {
		r.iterations = r.latencies
	}
	t.iterations = append(t.iterations, r.iterations...)
	t.seqWall += r.wall
	t.seqCalls += len(r.latencies) + r.errors
	t.seqErrors += r.errors
	t.noteErr(r.err)
}

func (t *tally) addConc(r concRun) {
	t.concWall += r.wall
	t.concOK += r.ok
	t.concErrs += r.errors
	t.noteErr(r.err)
}

func (t *tally) noteErr(e string) {
	if t.firstErr == "" {
		t.firstErr = e
	}
}

// entry is a contender with its name and results.
type entry struct {
	name string // one of allClients
	c    contender
	t    tally
}

// measure warms every contender up and then runs the phases in rounds: in
// each round, every phase runs for every contender before the next phase
// starts. The contenders' order changes from round to round (see order), and
// before each phase settle waits until the app has no call of the previous
// one left, so every contender starts on a quiet server. Each round makes
// an equal share of the calls and connects.
func measure(ctx context.Context, s settings, entries []*entry, settle func(context.Context), log io.Writer) error {
	for _, e := range entries {
		fmt.Fprintf(log, "warm-up: %s\n", label(e.name))
		settle(ctx)
		if err := e.c.warmup(ctx, s.warmup, s.inFlight); err != nil {
			return fmt.Errorf("warm up %s: %w", label(e.name), err)
		}
	}
	start := time.Now()
	for r := range s.rounds {
		fmt.Fprintf(log, "round %d of %d (%s)\n", r+1, s.rounds, benchapp.Elapsed(start))
		var ordered []*entry
		for _, i := range order(len(entries), r) {
			ordered = append(ordered, entries[i])
		}
		for _, e := range ordered {
			settle(ctx)
			d, err := e.c.connects(ctx, share(s.connects, r, s.rounds))
			if err != nil {
				return fmt.Errorf("connect %s: %w", label(e.name), err)
			}
			e.t.connects = append(e.t.connects, d...)
		}
		for _, e := range ordered {
			settle(ctx)
			run, err := e.c.sequential(ctx, share(s.calls, r, s.rounds))
			if err != nil {
				return fmt.Errorf("sequential calls of %s: %w", label(e.name), err)
			}
			e.t.addSeq(run)
		}
		for _, e := range ordered {
			settle(ctx)
			run, err := e.c.concurrent(ctx, share(s.concurrent, r, s.rounds), s.inFlight)
			if err != nil {
				return fmt.Errorf("concurrent calls of %s: %w", label(e.name), err)
			}
			e.t.addConc(run)
		}
	}
	return nil
}

// order returns the order of n contenders in round r: row r of a Williams
// design, a Latin square in which each contender runs in every position and
// right after every other contender equally often (for odd n over the square
// and its mirror image, 2n rows). A plain rotation would keep the same
// neighbours in every round, so a contender that leaves the server or the
// machine busy would always slow the same one down.
func order(n, r int) []int {
	first := []int{0} // 0, 1, n-1, 2, n-2, ...
	for lo, hi := 1, n-1; len(first) < n; {
		first = append(first, lo)
		lo++
		if len(first) < n {
			first = append(first, hi)
			hi--
		}
	}
	rows := n
	if n%2 == 1 {
		rows = 2 * n
	}
	k := r % rows
	row := make([]int, n)
	for i, v := range first {
		row[i] = (v + k) % n
	}
	if k >= n {
		slices.Reverse(row)
	}
	return row
}

// share is round r's part of n things spread over rounds.
func share(n, r, rounds int) int {
	k := n / rounds
	if r < n%rounds {
		k++
	}
	return k
}

// The loops below are shared by the contenders that run in this process (the
// Go client and the raw floor), so both do exactly the same work around
// their calls; official.py and official.mjs do the same in their languages.

// caller makes one call with the text and returns its latency: the time
// until the result was there (for the raw floor, not counting the rest of
// the response, which it reads before the next call).
type caller func(ctx context.Context, text string) (time.Duration, error)

// sequentialWith makes n calls one after the other, with the texts "call 0",
// "call 1", ...
func sequentialWith(ctx context.Context, n int, call caller) (seqRun, error) {
	run := seqRun{latencies: make([]time.Duration, 0, n), iterations: make([]time.Duration, 0, n)}
	wall := time.Now()
	for i := range n {
		start := time.Now()
		took, err := call(ctx, "call "+strconv.Itoa(i))
		iter := time.Since(start)
		if ctx.Err() != nil {
			return run, ctx.Err()
		}
		if err != nil {
			run.errors++
			if run.err == "" {
				run.err = err.Error()
			}
			continue
		}
		run.latencies = append(run.latencies, took)
		run.iterations = append(run.iterations, iter)
	}
	run.wall = time.Since(wall)
	return run, nil
}

// concurrentWith makes n calls, inFlight at a time, with the texts "c0",
// "c1", ...
func concurrentWith(ctx context.Context, n, inFlight int, call caller) (concRun, error) {
	var (
		next   atomic.Int64
		failed atomic.Int64
		mu     sync.Mutex
		first  string
		wg     sync.WaitGroup
	)
	start := time.Now()
	for range min(inFlight, n) {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				if _, err := call(ctx, "c"+strconv.FormatInt(i, 10)); err != nil {
					failed.Add(1)
					mu.Lock()
					if first == "" {
						first = err.Error()
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	if err := ctx.Err(); err != nil {
		return concRun{}, err
	}
	f := int(failed.Load())
	return concRun{wall: wall, ok: n - f, errors: f, err: first}, nil
}

// warmupWith makes calls sequential calls with seq and one batch of inFlight
// concurrent calls with conc. It fails when every call failed.
func warmupWith(ctx context.Context, calls, inFlight int, seq, conc caller) error {
	s, err := sequentialWith(ctx, calls, seq)
	if err != nil {
		return err
	}
	c, err := concurrentWith(ctx, inFlight, inFlight, conc)
	if err != nil {
		return err
	}
	return warmupFailed(s.errors+c.errors, calls+inFlight, cmp.Or(s.err, c.err))
}

// warmupFailed is the error of a warm-up in which all n calls failed.
func warmupFailed(failed, n int, first string) error {
	if n > 0 && failed == n {
		return fmt.Errorf("all %d warm-up calls failed, the first with: %s", n, first)
	}
	return nil
}
