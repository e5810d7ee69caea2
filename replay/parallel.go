package replay

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// RunAll replays several recordings at once, as Run replays one, and returns
// their reports in the order given. With opts.Parallel above 1, that many
// recorded sessions replay at once, whichever recordings they are from;
// otherwise the recordings replay one after the other. opts.OnCall sees
// each recording's calls in recorded order (the calls of different
// recordings may interleave); onReport, when set, sees each report once
// every report before it has come, so that output stays in the order given.
// The error is non-nil for bad input in any recording (before any call is
// made; it names the recording by its index) or when ctx ends.
func RunAll(ctx context.Context, recs []*recording.Recording, opts Options, onReport func(i int, rep *Report)) ([]*Report, error) {
	runners := make([]*runner, len(recs))
	shared := share(&opts)
	defer shared.CloseIdleConnections()
	for i, rec := range recs {
		r, err := newRunner(rec, opts)
		if err != nil && len(recs) > 1 {
			return nil, fmt.Errorf("recording %d: %w", i+1, err)
		} else if err != nil {
			return nil, err
		}
		runners[i] = r
	}
	reports := make([]*Report, len(recs))
	if opts.Parallel <= 1 {
		for i, r := range runners {
			rep, err := r.run(ctx)
			if err != nil {
				return nil, err
			}
			reports[i] = rep
			if onReport != nil {
				onReport(i, rep)
			}
		}
		return reports, nil
	}
	slots := make(chan struct{}, opts.Parallel)
	var (
		mu   sync.Mutex
		next int // the first report onReport has not seen
		errs = make([]error, len(recs))
		wg   sync.WaitGroup
	)
	for i, r := range runners {
		r.slots = slots
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := r.run(ctx)
			mu.Lock()
			defer mu.Unlock()
			reports[i], errs[i] = rep, err
			for ; next < len(reports) && (reports[next] != nil || errs[next] != nil); next++ {
				if onReport != nil && reports[next] != nil {
					onReport(next, reports[next])
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return reports, nil
}

// share gives every client of a replay one connection pool, ahead of the
// caller's own options (a WithHTTPClient of theirs still wins), and returns
// it to close when the replay ends.
func share(opts *Options) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	tr.IdleConnTimeout = 90 * time.Second
	pool := &http.Client{Transport: tr}
	opts.Client = append([]gradio.Option{gradio.WithHTTPClient(pool)}, opts.Client...)
	return pool
}

// parallel replays the recording's sessions at once, as many as r.slots
// lets in (the slots may be shared with other recordings), and returns the
// results in recorded order; OnCall sees them in that order too, each once
// every call before it has finished. Within a session, a call waits for the
// calls that had ended when it started in the recording: calls that
// overlapped then (an event fired while a generator still streamed)
// overlap again, and every other call keeps its recorded order.
func (r *runner) parallel(ctx context.Context, drifted map[int]bool) []CallResult {
	calls := r.rec.Calls
	results := make([]CallResult, len(calls))
	done := make([]chan struct{}, len(calls))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var mu sync.Mutex
	finished := make([]bool, len(calls))
	next := 0 // the first result OnCall has not seen
	report := func(i int, res CallResult) {
		mu.Lock()
		defer mu.Unlock()
		results[i], finished[i] = res, true
		for ; next < len(calls) && finished[next]; next++ {
			if r.opts.OnCall != nil && ctx.Err() == nil {
				r.opts.OnCall(results[next])
			}
		}
	}
	var sessions sync.WaitGroup
	for _, session := range sessionCalls(calls) {
		sessions.Add(1)
		go func() {
			defer sessions.Done()
			select {
			case r.slots <- struct{}{}:
				defer func() { <-r.slots }()
			case <-ctx.Done():
				return
			}
			var running sync.WaitGroup
			var pending []int // calls started and maybe not finished
			for _, i := range session {
				keep := pending[:0]
				for _, j := range pending {
					switch {
					case isDone(done[j]):
					case overlapped(&calls[j], &calls[i]):
						keep = append(keep, j)
					default:
						<-done[j]
					}
				}
				pending = append(keep, i)
				running.Add(1)
				go func() {
					defer running.Done()
					defer close(done[i])
					if testHookCall != nil {
						testHookCall(&calls[i])
					}
					report(i, r.call(ctx, &calls[i], drifted[calls[i].FnIndex]))
				}()
			}
			running.Wait()
		}()
	}
	sessions.Wait()
	return results
}

// sessionCalls groups the indexes of calls by session, each in recorded
// order, the sessions in the order of their first call.
func sessionCalls(calls []recording.Call) [][]int {
	var order [][]int
	at := map[string]int{}
	for i, c := range calls {
		k, ok := at[c.Session]
		if !ok {
			k = len(order)
			at[c.Session] = k
			order = append(order, nil)
		}
		order[k] = append(order[k], i)
	}
	return order
}

// overlapped reports whether later started in the recording before earlier
// had ended. Calls without a recorded start did not overlap.
func overlapped(earlier, later *recording.Call) bool {
	if earlier.Started.IsZero() || later.Started.IsZero() {
		return false
	}
	end := earlier.Started.Add(time.Duration(earlier.Duration * float64(time.Second)))
	return later.Started.Before(end)
}

// testHookCall, set by tests, sees each call of a parallel replay as it
// starts.
var testHookCall func(c *recording.Call)

func isDone(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
