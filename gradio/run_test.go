package gradio

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

func TestRunOutsideQueue(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	res, err := c.Predict(testCtx(t), "/noq", 2, 5)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != 7.0 || res.Duration != 500*time.Millisecond || res.FnIndex != 1 || res.EventID != "" {
		t.Errorf("result %+v", res)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.joins) != 0 || len(a.runs) != 1 {
		t.Fatalf("%d joins, %d runs", len(a.joins), len(a.runs))
	}
	r := a.runs[0]
	if r.FnIndex != 1 || r.SessionHash != c.SessionHash() || r.Header.Get("X-Gradio-User") != "api" {
		t.Errorf("run request %+v", r)
	}
}

func TestRunSubmitUpdates(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	j, err := c.Submit(testCtx(t), "/noq", gradio2(1, 2)...)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []UpdateKind
	for u := range j.Updates() {
		kinds = append(kinds, u.Kind)
	}
	if len(kinds) != 2 || kinds[0] != UpdateStarted || kinds[1] != UpdateCompleted {
		t.Errorf("updates %v", kinds)
	}
	if j.EventID() != "" {
		t.Errorf("EventID %q", j.EventID())
	}
}

func gradio2(a, b any) []any { return []any{a, b} }

func TestRunAppError(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	_, err := c.Predict(testCtx(t), "/noq", "x", 1)
	var ae *AppError
	if !errors.As(err, &ae) || ae.Message != "not a number" || ae.Title != "Bad" {
		t.Errorf("err = %v", err)
	}
}

func TestRunCancel(t *testing.T) {
	a := newFakeApp(t)
	entered := make(chan struct{})
	a.handle("/gradio_api/run/predict", func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) // the server notices a closed connection only after the body
		close(entered)
		<-r.Context().Done()
	})
	c := a.connect()
	j, err := c.Submit(testCtx(t), "/noq", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	<-entered
	if err := j.Cancel(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Result(testCtx(t)); !errors.Is(err, ErrCancelled) {
		t.Errorf("err = %v, want ErrCancelled", err)
	}
}

func TestRunContext(t *testing.T) {
	a := newFakeApp(t)
	a.handle("/gradio_api/run/predict", func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		<-r.Context().Done()
	})
	c := a.connect()
	ctx, cancel := context.WithTimeout(testCtx(t), 30*time.Millisecond)
	defer cancel()
	if _, err := c.Predict(ctx, "/noq", 1, 2); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}
