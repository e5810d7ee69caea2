package gradio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// session is one session_hash: the server keeps gr.State per session, and
// streams the messages of all the session's queued jobs on one
// GET <api>/queue/data?session_hash=... response.
//
// The stream is opened after a join returns an event id, when no reader is
// running, and read by one goroutine that routes each message to its job by
// event_id. Messages can arrive before the join's response has been
// processed: they wait in early until the job registers. The server ends the
// stream with close_stream once it has no pending event; the reader reopens
// it while jobs are still registered (a join that raced with the close), and
// otherwise exits. A stream that ends without close_stream while jobs wait
// fails them with ErrConnectionLost; an unexpected_error without event id
// fails them all.
type session struct {
	c    *Client
	hash string
	ctx  context.Context // done when the session ends (Close, or retired and idle)
	end  context.CancelFunc

	mu        sync.Mutex
	jobs      map[string]*Job       // registered, not completed on the server
	early     map[string][]*message // messages for events not registered yet
	joining   int                   // joins in flight
	reading   bool                  // the reader goroutine runs
	heartbeat bool                  // the heartbeat goroutine was started
	retired   bool                  // ResetSession replaced it
	ended     bool
}

func newSession(c *Client, hash string) *session {
	ctx, end := context.WithCancel(c.bg)
	return &session{c: c, hash: hash, ctx: ctx, end: end, jobs: map[string]*Job{}, early: map[string][]*message{}}
}

// joinBody is the body of POST <api>/queue/join and <api>/run/predict.
type joinBody struct {
	Data        []any  `json:"data"`
	EventData   any    `json:"event_data"`
	FnIndex     int    `json:"fn_index"`
	TriggerID   *int   `json:"trigger_id,omitempty"`
	SessionHash string `json:"session_hash"`
}

func newJoinBody(data []any, fnIndex int, hash string, ev *Event) *joinBody {
	b := &joinBody{Data: data, FnIndex: fnIndex, SessionHash: hash}
	if ev != nil {
		b.EventData, b.TriggerID = ev.Data, ev.TriggerID
	}
	return b
}

// apiUserHeader marks requests as API traffic, as the official clients do.
var apiUserHeader = http.Header{"X-Gradio-User": {"api"}}

// join enqueues the job (POST <api>/queue/join) and registers it under its
// event id.
func (s *session) join(ctx context.Context, j *Job, data []any, ev *Event) error {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return ErrClosed
	}
	s.joining++
	s.startHeartbeat()
	s.mu.Unlock()

	id, err := s.postJoin(ctx, newJoinBody(data, j.e.dep.ID, s.hash, ev))

	s.mu.Lock()
	defer s.mu.Unlock()
	s.joining--
	if err == nil && s.ended {
		err = ErrClosed
	}
	if err != nil {
		s.tidy()
		return err
	}
	j.mu.Lock()
	j.eventID = id
	cancelled := j.cancelled
	j.mu.Unlock()
	done := false
	for _, m := range s.early[id] {
		if j.handle(m) {
			done = true
			break
		}
	}
	delete(s.early, id)
	if !done {
		s.jobs[id] = j
		if !s.reading {
			s.reading = s.c.goBackground(s.read)
		}
		if cancelled {
			s.cancelLater(j, id)
		}
	}
	s.tidy()
	return nil
}

// postJoin sends the join request and returns the event id.
func (s *session) postJoin(ctx context.Context, body *joinBody) (string, error) {
	c := s.c
	u := c.api + "/queue/join"
	resp, hr, err := c.postJSON(ctx, u, body, apiUserHeader, false)
	if err != nil {
		return "", err
	}
	switch hr.StatusCode {
	case http.StatusOK:
		var v struct {
			EventID string `json:"event_id"`
		}
		if err := json.Unmarshal(resp, &v); err != nil || v.EventID == "" {
			return "", fmt.Errorf("join: the server answered without an event id: %.200q", resp)
		}
		return v.EventID, nil
	case http.StatusServiceUnavailable:
		return "", wrapSentinel(ErrQueueFull, nil, "%s", detail(resp))
	case http.StatusUnprocessableEntity:
		if v := validationError(resp); v != nil {
			return "", v
		}
	}
	if err := c.authStatus(hr, resp); err != nil {
		return "", err
	}
	return "", httpError(hr.Request, hr, resp)
}

// validationError decodes a 422 body of validator results, or returns nil
// when it is some other 422 (FastAPI's own request validation).
func validationError(body []byte) *ValidationError {
	var v struct {
		Detail []struct {
			Type          string `json:"__type__"`
			IsValid       *bool  `json:"is_valid"`
			Message       string `json:"message"`
			ParameterName string `json:"parameter_name"`
		} `json:"detail"`
	}
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	ve := &ValidationError{}
	seen := false
	for i, d := range v.Detail {
		if d.Type != "validate" {
			continue
		}
		seen = true
		if d.IsValid != nil && !*d.IsValid {
			name := d.ParameterName
			if name == "" {
				name = fmt.Sprintf("parameter_%d", i)
			}
			ve.Problems = append(ve.Problems, ValidationProblem{Parameter: name, Message: d.Message})
		}
	}
	if !seen {
		return nil
	}
	return ve
}

// tidy drops buffered messages that no join can claim any more and ends a
// retired session that has nothing left to do. s.mu is held.
func (s *session) tidy() {
	if s.joining == 0 && len(s.early) > 0 {
		clear(s.early)
	}
	if s.retired && s.joining == 0 && len(s.jobs) == 0 && !s.reading {
		s.endLocked()
	}
}

// read runs the stream until no job is registered.
func (s *session) read() {
	empty := 0
	for {
		delivered, closed, err := s.stream()
		if err == io.EOF && s.c.eofCloses {
			closed = true // before sse_v3 a clean end means close_stream
		}
		s.mu.Lock()
		switch {
		case s.ctx.Err() != nil:
			s.failAll(ErrClosed)
		case len(s.jobs) == 0:
		case closed && (delivered > 0 || empty < 3):
			// A join raced with the server's close: reopen for it.
			if delivered == 0 {
				empty++
			} else {
				empty = 0
			}
			s.mu.Unlock()
			continue
		default:
			if err == nil || err == io.EOF {
				err = errors.New("the server ended the event stream before the job completed")
			}
			s.failAll(wrapSentinel(ErrConnectionLost, err, "session %s", s.hash))
		}
		s.reading = false
		s.tidy()
		s.mu.Unlock()
		return
	}
}

// stream reads one queue/data response. It returns how many messages went
// to jobs, whether the server closed it with close_stream, and the error that
// ended it otherwise.
func (s *session) stream() (delivered int, closed bool, err error) {
	c := s.c
	u := c.api + "/queue/data?session_hash=" + url.QueryEscape(s.hash)
	req, err := c.newRequest(s.ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.do(c.streamHC, req, false, c.limits.read)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if err := c.authStatus(resp, body); err != nil {
			return 0, false, err
		}
		return 0, false, httpError(req, resp, body)
	}
	r := newSSEReader(resp.Body, c.limits.maxMessage)
	for {
		data, err := r.next()
		if errors.Is(err, ErrTooLarge) {
			return delivered, false, fmt.Errorf("GET %s: %w", u, err)
		}
		if err != nil {
			return delivered, false, err
		}
		m, err := decodeMessage(data, c.useNumber)
		if err != nil {
			return delivered, false, err
		}
		switch {
		case m.Msg == msgHeartbeat:
		case m.Msg == msgCloseStream:
			// The response ends right after; drain it so the connection
			// is reused, but never wait long for a proxy that keeps it
			// open.
			stop := time.AfterFunc(time.Second, func() { resp.Body.Close() })
			_, _ = io.Copy(io.Discard, io.LimitReader(r.r, 64<<10))
			stop.Stop()
			return delivered, true, nil
		case m.EventID == "":
			if m.Msg == msgUnexpectedError {
				s.mu.Lock()
				s.failAll(unexpectedError(m))
				s.mu.Unlock()
			}
		default:
			s.dispatch(m)
			delivered++
		}
	}
}

// dispatch routes a message to its job, or keeps it until the job registers.
func (s *session) dispatch(m *message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jobs[m.EventID]
	if j == nil {
		if s.joining > 0 {
			s.early[m.EventID] = append(s.early[m.EventID], m)
		}
		return
	}
	if j.handle(m) {
		delete(s.jobs, m.EventID)
	}
}

// failAll ends every registered job with err. s.mu is held.
func (s *session) failAll(err error) {
	for id, j := range s.jobs {
		j.finish(nil, err)
		delete(s.jobs, id)
	}
}

// cancel posts POST <api>/cancel for the job's event.
func (s *session) cancel(ctx context.Context, j *Job, eventID string) error {
	c := s.c
	body := map[string]any{"session_hash": s.hash, "fn_index": j.e.dep.ID, "event_id": eventID}
	resp, hr, err := c.postJSON(ctx, c.api+"/cancel", body, nil, false)
	if err != nil {
		return err
	}
	if hr.StatusCode == http.StatusOK {
		s.cancelSiblings(j)
		return nil
	}
	if err := c.authStatus(hr, resp); err != nil {
		return err
	}
	herr := httpError(hr.Request, hr, resp)
	if hr.StatusCode == http.StatusNotFound || hr.StatusCode == http.StatusMethodNotAllowed {
		return fmt.Errorf("the app (gradio %s) cannot cancel jobs (needs 4.29 or later): %w", c.cfg.Version, herr)
	}
	return herr
}

// cancelSiblings ends the session's other running jobs of the same endpoint
// with ErrCancelled. Gradio's /cancel stops every running task of an
// endpoint in a session (it keys tasks by session and fn_index, not by
// event), and sends no completion for the ones it did not name, so without
// this their callers would wait forever. Jobs still waiting in the queue are
// not affected.
func (s *session) cancelSiblings(j *Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, other := range s.jobs {
		if other == j || other.e.dep.ID != j.e.dep.ID || !other.running() {
			continue
		}
		other.finish(nil, fmt.Errorf("%w: the server stopped it with the cancel of event %s (Gradio cancels every running call of an endpoint in a session)", ErrCancelled, j.EventID()))
		delete(s.jobs, id)
	}
}

// cancelLater cancels the job on the server in the background, for jobs
// whose Submit context ended.
func (s *session) cancelLater(j *Job, eventID string) {
	s.c.goBackground(func() {
		ctx, cancel := context.WithTimeout(s.c.bg, 10*time.Second)
		defer cancel()
		_ = s.cancel(ctx, j, eventID)
	})
}

// retire marks the session replaced by ResetSession; it ends once its jobs
// are done.
func (s *session) retire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retired = true
	s.tidy()
}

// close ends the session now: its streams stop and its jobs fail with
// ErrClosed.
func (s *session) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failAll(ErrClosed)
	s.endLocked()
}

func (s *session) endLocked() {
	if !s.ended {
		s.ended = true
		s.end()
		s.c.forget(s)
	}
}
