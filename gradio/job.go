package gradio

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"
)

// Job is a submitted call. It records every update the server sends, so any
// number of callers can follow it, at any time: Updates replays the history
// from the start and then waits for new updates; Outputs returns every
// intermediate output so far; Result waits for the end.
//
// A job ends when the server completes it, when the context given to Submit
// is done (the job is then cancelled on the server and ends with the
// context's error), when it is cancelled (ErrCancelled), or when the Client
// is closed (ErrClosed). All methods are safe for concurrent use.
type Job struct {
	e *Endpoint
	s *session // nil for calls outside the queue

	mu        sync.Mutex
	eventID   string
	history   []Update
	outputs   [][]any
	status    Status
	prev      []any // full raw outputs of the last generation, for diffs
	finished  bool
	res       *Result
	err       error
	wake      chan struct{} // closed when history grows; nil when nobody waits
	done      chan struct{} // closed when the job ends
	cancelled bool          // Cancel was called or the job was aborted
	cancelRun func()        // aborts the request of a call outside the queue
	stopCtx   func() bool   // stops watching the Submit context
}

func newJob(e *Endpoint, s *session) *Job {
	return &Job{
		e:      e,
		s:      s,
		status: Status{Stage: StagePending, Time: time.Now()},
		done:   make(chan struct{}),
	}
}

// Endpoint returns the endpoint the job calls.
func (j *Job) Endpoint() *Endpoint { return j.e }

// EventID returns the queue's event id, or "" before the server assigned one
// and for calls outside the queue.
func (j *Job) EventID() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.eventID
}

// Done returns a channel that is closed when the job has ended.
func (j *Job) Done() <-chan struct{} { return j.done }

// Status returns the job's current state.
func (j *Job) Status() Status {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := j.status
	st.Progress = slices.Clone(st.Progress)
	return st
}

// Outputs returns every intermediate output received so far, in order (one
// []any per generator step, State slots removed). Like gradio_client's
// Job.outputs, a job that yields nothing gets its final output appended when
// it completes.
func (j *Job) Outputs() [][]any {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.outputs)
}

// Updates returns an iterator over the job's updates: first every update
// received so far, then each new one as it arrives, ending after the
// UpdateCompleted update. Each call starts from the first update, so late and
// concurrent iterators see the same sequence. Breaking out of the loop is
// fine; to stop waiting without breaking, cancel the job or the context given
// to Submit.
func (j *Job) Updates() iter.Seq[Update] {
	return func(yield func(Update) bool) {
		for i := 0; ; i++ {
			u, ok := j.update(i)
			if !ok || !yield(u) {
				return
			}
		}
	}
}

// update returns the i-th update, waiting for it; false when the job ended
// with fewer updates.
func (j *Job) update(i int) (Update, bool) {
	j.mu.Lock()
	for i >= len(j.history) {
		if j.finished {
			j.mu.Unlock()
			return Update{}, false
		}
		if j.wake == nil {
			j.wake = make(chan struct{})
		}
		w := j.wake
		j.mu.Unlock()
		<-w
		j.mu.Lock()
	}
	u := j.history[i]
	j.mu.Unlock()
	return u, true
}

// Result waits for the job to end and returns its result. The error says why
// it failed: an *AppError, *ValidationError, ErrCancelled, ErrConnectionLost,
// ErrClosed or the Submit context's error, wrapped with the endpoint's name.
// If ctx ends first, Result returns ctx's error and the job keeps running.
func (j *Job) Result(ctx context.Context) (*Result, error) {
	res, err := j.wait(ctx)
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", j.e.label(), err)
	}
	return res, nil
}

// wait is Result without the wrapping.
func (j *Job) wait(ctx context.Context) (*Result, error) {
	select {
	case <-j.done:
	case <-ctx.Done():
		select {
		case <-j.done: // both ready: prefer the outcome
		default:
			return nil, ctx.Err()
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.res, j.err
}

// Cancel asks the server to cancel the job (POST <api>/cancel) and returns
// once it accepted. The job then ends with ErrCancelled, or with its result
// if it completed first. Cancelling an ended job does nothing. Before the
// server has assigned an event id, the cancel request is sent as soon as it
// does.
func (j *Job) Cancel(ctx context.Context) error {
	j.mu.Lock()
	if j.finished {
		j.mu.Unlock()
		return nil
	}
	j.cancelled = true
	id, run := j.eventID, j.cancelRun
	j.mu.Unlock()
	if run != nil {
		run()
		return nil
	}
	if id == "" {
		return nil
	}
	if err := j.s.cancel(ctx, j, id); err != nil {
		return fmt.Errorf("cancel %s: %w", j.e.label(), err)
	}
	return nil
}

// running reports whether the server has started the job.
func (j *Job) running() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return !j.finished && (j.status.Stage == StageProcessing || j.status.Stage == StageGenerating)
}

// abort ends the job locally with err (its Submit context ended) and cancels
// it on the server.
func (j *Job) abort(err error) {
	j.mu.Lock()
	if j.finished {
		j.mu.Unlock()
		return
	}
	j.cancelled = true
	id, run := j.eventID, j.cancelRun
	j.mu.Unlock()
	j.finish(nil, err)
	if run != nil {
		run()
	}
	if id != "" && j.s != nil {
		j.s.cancelLater(j, id)
	}
}

// push records an update and wakes the waiting iterators. j.mu is held.
func (j *Job) push(u Update) {
	j.history = append(j.history, u)
	j.status.Time = u.Time
	if j.wake != nil {
		close(j.wake)
		j.wake = nil
	}
}

// finish ends the job with a result or an error; later calls do nothing.
func (j *Job) finish(res *Result, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.finishLocked(res, err)
}

func (j *Job) finishLocked(res *Result, err error) {
	if j.finished {
		return
	}
	j.finished = true
	j.res, j.err = res, err
	u := Update{Kind: UpdateCompleted, Time: time.Now(), Err: err}
	switch {
	case err == nil:
		j.status.Stage = StageCompleted
		u.Output = res.Data
		if len(j.outputs) == 0 {
			j.outputs = append(j.outputs, res.Data)
		}
	case errors.Is(err, ErrCancelled), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		j.status.Stage = StageCancelled
	default:
		j.status.Stage = StageFailed
	}
	j.push(u)
	close(j.done)
	if j.stopCtx != nil {
		j.stopCtx()
	}
}

// handle applies one stream message to the job and reports whether the job
// has ended. It runs on the session's reader.
func (j *Job) handle(m *message) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.finished {
		// Aborted locally; wait for the server's completion to forget it.
		return m.Msg == msgProcessCompleted || m.Msg == msgUnexpectedError
	}
	now := time.Now()
	switch m.Msg {
	case msgEstimation:
		u := Update{Kind: UpdateQueued, Time: now, ETA: seconds(m.RankETA)}
		if m.Rank != nil {
			u.Rank = *m.Rank
		}
		if m.QueueSize != nil {
			u.QueueSize = *m.QueueSize
		}
		j.status.Stage, j.status.Rank, j.status.QueueSize, j.status.ETA = StageQueued, u.Rank, u.QueueSize, u.ETA
		j.push(u)
	case msgProcessStarts:
		u := Update{Kind: UpdateStarted, Time: now, ETA: seconds(m.ETA)}
		j.status.Stage, j.status.Rank, j.status.ETA = StageProcessing, 0, u.ETA
		j.push(u)
	case msgProgress:
		j.status.Progress = m.ProgressData
		j.push(Update{Kind: UpdateProgress, Time: now, Progress: m.ProgressData})
	case msgLog:
		l := &Log{Message: m.Log, Level: m.Level, Title: m.Title, Duration: seconds(m.Duration), Visible: m.Visible == nil || *m.Visible}
		j.push(Update{Kind: UpdateLog, Time: now, Log: l})
	case msgProcessGenerating, msgProcessStreaming:
		if m.Output == nil || m.Output.Data == nil {
			return false
		}
		full := m.Output.Data
		if m.Msg == msgProcessGenerating && j.e.c.diffs && j.prev != nil {
			var err error
			if full, err = applyDiffs(j.prev, full); err != nil {
				j.finishLocked(nil, fmt.Errorf("apply generator diff: %w", err))
				return true
			}
		}
		j.prev = full
		out := j.e.convertOutputs(full)
		j.outputs = append(j.outputs, out)
		j.status.Stage = StageGenerating
		j.push(Update{Kind: UpdateOutput, Time: now, Output: out})
	case msgProcessCompleted:
		o := m.Output
		switch {
		case m.Success != nil && !*m.Success:
			if o == nil {
				o = &output{}
			}
			j.finishLocked(nil, o.appError(m.Title))
		case o == nil || o.Data == nil:
			j.finishLocked(nil, ErrCancelled)
		default:
			res := &Result{
				Data:     j.e.convertOutputs(o.Data),
				Duration: seconds(o.Duration),
				APIName:  j.e.info.APIName,
				FnIndex:  j.e.info.FnIndex,
				EventID:  j.eventID,
			}
			j.finishLocked(res, nil)
		}
		return true
	case msgUnexpectedError:
		j.finishLocked(nil, unexpectedError(m))
		return true
	}
	return false
}

// applyDiffs applies one diff per output slot to the previous full values.
func applyDiffs(prev, diffs []any) ([]any, error) {
	full := make([]any, len(diffs))
	for i, d := range diffs {
		var p any
		if i < len(prev) {
			p = prev[i]
		}
		v, err := ApplyDiff(p, d)
		if err != nil {
			return nil, fmt.Errorf("output %d: %w", i, err)
		}
		full[i] = v
	}
	return full, nil
}

// unexpectedError is the error of an unexpected_error message.
func unexpectedError(m *message) error {
	msg := m.Message
	if msg == "" {
		msg = "unexpected error"
	}
	if m.SessionNotFound || msg == "Server stopped unexpectedly." {
		return wrapSentinel(ErrConnectionLost, nil, "server: %s", msg)
	}
	return fmt.Errorf("server error: %s", msg)
}
