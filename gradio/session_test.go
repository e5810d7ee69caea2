package gradio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConcurrentJobsShareOneStream(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(ev *fakeEvent) {
		time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
		x, _ := ev.join.Data[0].(float64)
		y, _ := ev.join.Data[1].(float64)
		ev.emit(map[string]any{"msg": "estimation", "rank": 0, "queue_size": 3})
		time.Sleep(time.Duration(rand.IntN(5)) * time.Millisecond)
		ev.complete(x * y)
	}
	c := a.connect()
	ctx := testCtx(t)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.Predict(ctx, "/add", float64(i), 2)
			if err != nil {
				errs <- err
				return
			}
			if res.Value() != float64(2*i) {
				errs <- fmt.Errorf("call %d got %v", i, res.Value())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.sessions) != 1 {
		t.Errorf("%d sessions, want 1", len(a.sessions))
	}
	if a.streams > n/2 {
		t.Errorf("%d streams opened for %d concurrent jobs; they should share", a.streams, n)
	}
}

func TestMessagesBeforeJoinResponse(t *testing.T) {
	a := newFakeApp(t)
	release := make(chan struct{})
	a.fns[0] = func(ev *fakeEvent) { <-release; ev.complete(1.0) } // keeps the stream open
	c := a.connect()
	ctx := testCtx(t)
	first, err := c.Submit(ctx, "/add", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	// The second join answers only after its event's messages came to the
	// client on the open stream.
	a.joinHook = func(j fakeJoin) (int, string) {
		if j.FnIndex != 5 {
			return 0, ""
		}
		a.mu.Lock()
		a.nextID++
		id := fmt.Sprintf("ev%d", a.nextID)
		s := a.session(j.SessionHash)
		s.pending[id] = true
		a.mu.Unlock()
		ev := &fakeEvent{app: a, id: id, sess: s, join: j}
		ev.emit(map[string]any{"msg": "estimation", "rank": 1, "queue_size": 2})
		ev.emit(map[string]any{"msg": "process_starts"})
		ev.complete(42.0)
		waitFor(t, "the event's messages to reach the client before its join answers", func() bool {
			cs, err := c.session()
			if err != nil {
				return false
			}
			cs.mu.Lock()
			defer cs.mu.Unlock()
			return len(cs.early[id]) == 3
		})
		return 200, `{"event_id":"` + id + `"}`
	}
	second, err := c.Submit(ctx, "/hidden", 5)
	if err != nil {
		t.Fatal(err)
	}
	res, err := second.Result(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != 42.0 {
		t.Errorf("second = %v, want 42", res.Value())
	}
	var kinds []UpdateKind
	for u := range second.Updates() {
		kinds = append(kinds, u.Kind)
	}
	if fmt.Sprint(kinds) != "[queued started completed]" {
		t.Errorf("updates %v", kinds)
	}
	close(release)
	if _, err := first.Result(ctx); err != nil {
		t.Error(err)
	}
}

// scriptedStreams replaces queue/data: the i-th connection writes the frames
// scripts[i] returns (given the event ids joined so far), then ends.
func scriptedStreams(a *fakeApp, scripts ...func(ids []string) []string) *int {
	n := 0
	a.handle(a.prefix+"/queue/data", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		i := n
		n++
		ids := make([]string, a.nextID)
		for k := range ids {
			ids[k] = fmt.Sprintf("ev%d", k+1)
		}
		a.mu.Unlock()
		if i >= len(scripts) {
			writeFrames(w, `data: {"msg":"close_stream","event_id":null}`+"\n\n")
			return
		}
		writeFrames(w, scripts[i](ids)...)
	})
	return &n
}

func frame(format string, args ...any) string {
	return "data: " + fmt.Sprintf(format, args...) + "\n\n"
}

func completed(id string, v string) string {
	return frame(`{"msg":"process_completed","event_id":%q,"success":true,"output":{"data":[%s]}}`, id, v)
}

const closeFrame = "data: {\"msg\":\"close_stream\",\"event_id\":null}\n\n"

func TestReopenAfterCloseStream(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(*fakeEvent) {}
	var mu sync.Mutex
	joined := 0
	both := make(chan struct{})
	a.joinHook = func(fakeJoin) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		joined++
		if joined == 2 {
			close(both)
		}
		return 0, ""
	}
	streams := scriptedStreams(a,
		// The server closes after the first event although the second
		// (joined meanwhile) is pending: the client must reopen.
		func(ids []string) []string {
			<-both
			return []string{completed("ev1", "1"), closeFrame}
		},
		func(ids []string) []string { return []string{completed("ev2", "2"), closeFrame} },
	)
	c := a.connect()
	ctx := testCtx(t)
	j1, err := c.Submit(ctx, "/add", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	j2, err := c.Submit(ctx, "/add", 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range []*Job{j1, j2} {
		res, err := j.Result(ctx)
		if err != nil {
			t.Fatalf("job %d: %v", i+1, err)
		}
		if res.Value() != float64(i+1) {
			t.Errorf("job %d = %v", i+1, res.Value())
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if *streams != 2 {
		t.Errorf("%d streams, want 2", *streams)
	}
}

func TestSequentialCallsReopenTheStream(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	for i := range 5 {
		if _, err := c.Predict(testCtx(t), "/add", i, 1); err != nil {
			t.Fatal(err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// One stream per call, or fewer when a join lands before the server
	// closed the previous stream (it then carries the next event too).
	if a.streams < 1 || a.streams > 5 {
		t.Errorf("%d streams for 5 sequential calls", a.streams)
	}
}

func TestStreamFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		frames func(ids []string) []string
		want   error
		text   string
	}{
		{"dropped mid-job", func(ids []string) []string {
			return []string{frame(`{"msg":"estimation","event_id":%q,"rank":0,"queue_size":1}`, ids[0])}
		}, ErrConnectionLost, "before the job completed"},
		{"malformed message", func(ids []string) []string {
			return []string{"data: {not json\n\n"}
		}, ErrConnectionLost, "decode stream message"},
		{"cut inside a frame", func(ids []string) []string {
			return []string{`data: {"msg":"process_comp`}
		}, ErrConnectionLost, "unexpected EOF"},
		{"server stopped", func(ids []string) []string {
			return []string{frame(`{"msg":"unexpected_error","event_id":null,"message":"Server stopped unexpectedly.","success":false}`)}
		}, ErrConnectionLost, "Server stopped unexpectedly."},
		{"event error", func(ids []string) []string {
			return []string{frame(`{"msg":"unexpected_error","event_id":%q,"message":"boom","success":false}`, ids[0]), closeFrame}
		}, nil, "server error: boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newFakeApp(t)
			a.fns[0] = func(*fakeEvent) {}
			scriptedStreams(a, tc.frames)
			c := a.connect()
			_, err := c.Predict(testCtx(t), "/add", 1, 2)
			if err == nil {
				t.Fatal("Predict succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) || !strings.HasPrefix(err.Error(), "predict /add: ") {
				t.Errorf("err = %q, want it to start with the operation and contain %q", err, tc.text)
			}
		})
	}
}

func TestUnexpectedErrorFailsAllPendingJobs(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(*fakeEvent) {}
	ready := make(chan struct{})
	scriptedStreams(a, func(ids []string) []string {
		<-ready
		return []string{frame(`{"msg":"unexpected_error","event_id":null,"message":"oops","success":false}`)}
	})
	c := a.connect()
	ctx := testCtx(t)
	var jobs []*Job
	for range 3 {
		j, err := c.Submit(ctx, "/add", 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	close(ready)
	for i, j := range jobs {
		if _, err := j.Result(ctx); err == nil || !strings.Contains(err.Error(), "oops") {
			t.Errorf("job %d: %v, want the server's error", i, err)
		}
	}
}

func TestJoinErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		check  func(error) bool
		text   string
	}{
		{"queue full", 503, `{"detail":"Queue is full. Max size is 1."}`, func(err error) bool { return errors.Is(err, ErrQueueFull) }, "Max size is 1"},
		{"validation", 422, `{"detail":[{"__type__":"validate","is_valid":false,"message":"too small","parameter_name":"a"},{"__type__":"validate","is_valid":true,"message":""}]}`,
			func(err error) bool {
				var v *ValidationError
				return errors.As(err, &v) && len(v.Problems) == 1 && v.Problems[0] == (ValidationProblem{"a", "too small"})
			}, "1 parameter(s) failed validation: a: too small"},
		{"fastapi 422", 422, `{"detail":[{"loc":["body","data"],"msg":"field required","type":"missing"}]}`,
			func(err error) bool { var h *HTTPError; return errors.As(err, &h) && h.StatusCode == 422 }, "HTTP 422"},
		{"unauthorized", 401, `{"detail":{"error":"Not authenticated","auth_message":null}}`, func(err error) bool { return errors.Is(err, ErrUnauthorized) }, "credentials missing"},
		{"session hash", 400, `{"detail":"Session hash not found."}`, func(err error) bool { var h *HTTPError; return errors.As(err, &h) && h.StatusCode == 400 }, "Session hash not found."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newFakeApp(t)
			a.joinHook = func(fakeJoin) (int, string) { return tc.status, tc.body }
			c := a.connect()
			_, err := c.Submit(testCtx(t), "/add", 1, 2)
			if err == nil || !tc.check(err) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if !strings.Contains(err.Error(), tc.text) || !strings.HasPrefix(err.Error(), "submit /add: ") {
				t.Errorf("err = %q, want it to contain %q", err, tc.text)
			}
		})
	}
}

func TestSplitFramesThroughTheClient(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(*fakeEvent) {}
	a.handle("/gradio_api/queue/data", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		msg := frame(`{"msg":"process_starts","event_id":"ev1","eta":null}`) + completed("ev1", `"é✓"`) + closeFrame
		for i := 0; i < len(msg); i += 3 {
			io.WriteString(w, msg[i:min(i+3, len(msg))])
			w.(http.Flusher).Flush()
		}
	})
	c := a.connect()
	res, err := c.Predict(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != "é✓" {
		t.Errorf("Value() = %q", res.Value())
	}
}

func TestResetSessionWhileJobRuns(t *testing.T) {
	a := newFakeApp(t)
	a.config["connect_heartbeat"] = true
	release := make(chan struct{})
	a.fns[0] = func(ev *fakeEvent) { <-release; ev.complete(7.0) }
	c := a.connect()
	ctx := testCtx(t)
	j, err := c.Submit(ctx, "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	old := c.SessionHash()
	c.ResetSession()
	res, err := c.Predict(ctx, "/state", 3)
	if err != nil || res.Value() != 3.0 {
		t.Fatalf("call in the new session: %v, %v", res, err)
	}
	close(release)
	if res, err := j.Result(ctx); err != nil || res.Value() != 7.0 {
		t.Fatalf("job of the old session: %v, %v", res, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.joins[0].SessionHash != old || a.joins[1].SessionHash == old {
		t.Errorf("joins in sessions %q and %q", a.joins[0].SessionHash, a.joins[1].SessionHash)
	}
}

func TestContextEndsJobAndCancelsOnServer(t *testing.T) {
	a := newFakeApp(t)
	started := make(chan struct{})
	a.fns[0] = func(ev *fakeEvent) {
		ev.emit(map[string]any{"msg": "process_starts"})
		close(started)
	}
	c := a.connect()
	ctx, cancel := context.WithCancel(testCtx(t))
	j, err := c.Submit(ctx, "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	cancel()
	if _, err := j.Result(testCtx(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if st := j.Status().Stage; st != StageCancelled {
		t.Errorf("stage %s", st)
	}
	waitFor(t, "the cancel request", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return len(a.cancels) == 1 })
	a.mu.Lock()
	got := a.cancels[0]
	a.mu.Unlock()
	if got["event_id"] != "ev1" || got["fn_index"] != 0.0 || got["session_hash"] != c.SessionHash() {
		t.Errorf("cancel body %v", got)
	}
}

func TestPredictContextTimeout(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(*fakeEvent) {} // never completes
	c := a.connect()
	ctx, cancel := context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	_, err := c.Predict(ctx, "/add", 1, 2)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestCloseStreamOnAResponseThatStaysOpen(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(*fakeEvent) {}
	a.handle("/gradio_api/queue/data", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		n := a.nextID
		a.mu.Unlock()
		writeFrames(w, completed(fmt.Sprintf("ev%d", n), "1"), closeFrame)
		<-r.Context().Done() // a proxy that does not end the response
	})
	c := a.connect()
	for i := range 2 {
		ctx, cancel := context.WithTimeout(testCtx(t), 5*time.Second)
		if _, err := c.Predict(ctx, "/add", 1, 2); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		cancel()
	}
}

func TestOldProtocolEndsStreamWithoutCloseStream(t *testing.T) {
	a := newFakeApp(t)
	a.config["protocol"] = "sse_v2"
	a.fns[0] = func(*fakeEvent) {}
	var mu sync.Mutex
	joined := 0
	both := make(chan struct{})
	a.joinHook = func(fakeJoin) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if joined++; joined == 2 {
			close(both)
		}
		return 0, ""
	}
	scriptedStreams(a,
		func(ids []string) []string { <-both; return []string{completed("ev1", "1")} },
		func(ids []string) []string { return []string{completed("ev2", "2")} },
	)
	c := a.connect()
	ctx := testCtx(t)
	j1, err := c.Submit(ctx, "/add", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	j2, err := c.Submit(ctx, "/add", 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range []*Job{j1, j2} {
		if res, err := j.Result(ctx); err != nil || res.Value() != float64(i+1) {
			t.Errorf("job %d: %v, %v", i+1, res, err)
		}
	}
}
