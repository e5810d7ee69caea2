package gradio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// run performs a call outside the queue, for dependencies with queue=False:
// POST <api>/run/predict with the dependency id as fn_index (the server takes
// the function from fn_index, not from the path, as the browser does). The
// response is the output object itself; errors come back as HTTP 500 with
// the error payload. The job ends when the request returns.
func (j *Job) run(ctx context.Context, s *session, data []any, ev *Event) {
	c := j.e.c
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopClose := context.AfterFunc(c.bg, cancel) // Close aborts it
	defer stopClose()

	s.mu.Lock()
	s.startHeartbeat() // State of non-queued functions lives in the session too
	s.mu.Unlock()

	j.mu.Lock()
	if j.cancelled || j.finished {
		j.mu.Unlock()
		j.finish(nil, ErrCancelled)
		return
	}
	j.cancelRun = cancel
	j.status.Stage = StageProcessing
	j.push(Update{Kind: UpdateStarted, Time: time.Now()})
	j.mu.Unlock()

	body := newJoinBody(data, j.e.dep.ID, s.hash, ev)
	resp, hr, err := c.postJSON(rctx, c.api+"/run/predict", body, apiUserHeader, true)
	if err != nil {
		j.mu.Lock()
		cancelled := j.cancelled
		j.mu.Unlock()
		switch {
		case c.bg.Err() != nil:
			err = ErrClosed
		case cancelled && ctx.Err() == nil:
			err = ErrCancelled
		case ctx.Err() != nil:
			err = ctx.Err()
		}
		j.finish(nil, err)
		return
	}
	j.finish(j.runResult(hr, resp))
}

// runResult interprets the response of /run/predict.
func (j *Job) runResult(hr *http.Response, body []byte) (*Result, error) {
	c := j.e.c
	switch hr.StatusCode {
	case http.StatusOK:
		var o output
		if err := decodeJSON(body, &o, c.useNumber); err != nil {
			return nil, fmt.Errorf("decode run response: %w", err)
		}
		if o.Data == nil {
			return nil, errors.New("the run response has no data")
		}
		return &Result{
			Data:     j.e.convertOutputs(o.Data),
			Duration: seconds(o.Duration),
			APIName:  j.e.info.APIName,
			FnIndex:  j.e.info.FnIndex,
		}, nil
	case http.StatusInternalServerError:
		var o output
		if decodeJSON(body, &o, false) == nil && o.Error != nil {
			return nil, o.appError("")
		}
	case http.StatusUnprocessableEntity:
		if v := validationError(body); v != nil {
			return nil, v
		}
	}
	if err := c.authStatus(hr, body); err != nil {
		return nil, err
	}
	return nil, httpError(hr.Request, hr, body)
}
