package gradio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestGeneratorUpdatesAndOutputs(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	ctx := testCtx(t)
	j, err := c.Submit(ctx, "/gen", "abc")
	if err != nil {
		t.Fatal(err)
	}
	var outs []any
	var kinds []UpdateKind
	for u := range j.Updates() {
		kinds = append(kinds, u.Kind)
		if u.Kind == UpdateOutput {
			outs = append(outs, u.Output[0])
		}
	}
	if fmt.Sprint(kinds) != "[started output output output completed]" {
		t.Errorf("kinds %v", kinds)
	}
	if fmt.Sprint(outs) != "[a ab abc]" {
		t.Errorf("outputs %v, want the diffs applied", outs)
	}
	if got := j.Outputs(); !reflect.DeepEqual(got, [][]any{{"a"}, {"ab"}, {"abc"}}) {
		t.Errorf("Outputs() = %v", got)
	}
	res, err := j.Result(ctx)
	if err != nil || res.Value() != "abc" || res.EventID != "ev1" || res.APIName != "/gen" || res.FnIndex != 2 {
		t.Errorf("Result = %+v, %v", res, err)
	}
	if res.Duration != 250*time.Millisecond {
		t.Errorf("Duration = %v", res.Duration)
	}
	if st := j.Status(); st.Stage != StageCompleted {
		t.Errorf("stage %s", st.Stage)
	}
}

func TestUpdatesReplayForLateAndConcurrentIterators(t *testing.T) {
	a := newFakeApp(t)
	step := make(chan struct{})
	a.fns[2] = func(ev *fakeEvent) {
		for i := range 3 {
			<-step
			data := []any{fmt.Sprint(i)} // full values first, then diffs
			if i > 0 {
				data = []any{[]any{[]any{"replace", []any{}, fmt.Sprint(i)}}}
			}
			ev.emit(map[string]any{"msg": "process_generating", "success": true, "output": map[string]any{"data": data}})
		}
		<-step
		ev.complete("end")
	}
	c := a.connect()
	ctx := testCtx(t)
	j, err := c.Submit(ctx, "/gen", "x")
	if err != nil {
		t.Fatal(err)
	}
	collect := func() []string {
		var got []string
		for u := range j.Updates() {
			got = append(got, fmt.Sprint(u.Kind, u.Output))
		}
		return got
	}
	var wg sync.WaitGroup
	results := make([][]string, 3)
	for i := range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = collect() }()
	}
	for range 4 {
		step <- struct{}{}
	}
	wg.Wait()
	late := collect()
	want := "[output[0] output[1] output[2] completed[end]]"
	for i, r := range append(results, late) {
		if fmt.Sprint(r) != want {
			t.Errorf("iterator %d saw %v, want %s", i, r, want)
		}
	}
}

func TestBadDiffFailsJob(t *testing.T) {
	a := newFakeApp(t)
	a.fns[2] = func(ev *fakeEvent) {
		for range 2 { // the second is not a diff
			ev.emit(map[string]any{"msg": "process_generating", "success": true, "output": map[string]any{"data": []any{"full"}}})
		}
		ev.complete("end")
	}
	c := a.connect()
	_, err := c.Predict(testCtx(t), "/gen", "x")
	if err == nil || !strings.Contains(err.Error(), "apply generator diff") {
		t.Errorf("err = %v", err)
	}
}

func TestUpdatesBreakEarly(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	j, err := c.Submit(testCtx(t), "/gen", "abcdef")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range j.Updates() {
		n++
		if n == 2 {
			break
		}
	}
	if _, err := j.Result(testCtx(t)); err != nil {
		t.Error(err)
	}
}

func TestStatusProgressAndLog(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(ev *fakeEvent) {
		ev.emit(map[string]any{"msg": "estimation", "rank": 2, "queue_size": 5, "rank_eta": 3.5})
		ev.emit(map[string]any{"msg": "process_starts", "eta": 1.25})
		ev.emit(map[string]any{"msg": "log", "log": "careful", "level": "warning", "duration": 10.0, "visible": true, "title": "Warning"})
		ev.emit(map[string]any{"msg": "progress", "progress_data": []any{
			map[string]any{"index": 1, "length": 4, "unit": "steps", "progress": nil, "desc": "working"},
			map[string]any{"index": nil, "length": nil, "unit": "", "progress": 0.5, "desc": nil},
		}})
		ev.complete(1.0)
	}
	c := a.connect()
	j, err := c.Submit(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	var ups []Update
	for u := range j.Updates() {
		ups = append(ups, u)
	}
	if len(ups) != 5 {
		t.Fatalf("%d updates: %+v", len(ups), ups)
	}
	if u := ups[0]; u.Kind != UpdateQueued || u.Rank != 2 || u.QueueSize != 5 || u.ETA != 3500*time.Millisecond {
		t.Errorf("queued update %+v", u)
	}
	if u := ups[1]; u.Kind != UpdateStarted || u.ETA != 1250*time.Millisecond {
		t.Errorf("started update %+v", u)
	}
	if l := ups[2].Log; ups[2].Kind != UpdateLog || *l != (Log{Message: "careful", Level: "warning", Title: "Warning", Duration: 10 * time.Second, Visible: true}) {
		t.Errorf("log update %+v %+v", ups[2], l)
	}
	p := ups[3].Progress
	if ups[3].Kind != UpdateProgress || len(p) != 2 || *p[0].Index != 1 || *p[0].Length != 4 || p[0].Fraction != nil || p[0].Desc != "working" || p[1].Index != nil || *p[1].Fraction != 0.5 {
		t.Errorf("progress update %+v", ups[3])
	}
	if ups[4].Kind != UpdateCompleted || ups[4].Output[0] != 1.0 || ups[4].Err != nil {
		t.Errorf("completed update %+v", ups[4])
	}
	if st := j.Status(); st.Stage != StageCompleted || st.Rank != 0 || len(st.Progress) != 2 {
		t.Errorf("status %+v", st)
	}
}

func TestCancel(t *testing.T) {
	a := newFakeApp(t)
	started := make(chan struct{})
	a.fns[0] = func(ev *fakeEvent) { ev.emit(map[string]any{"msg": "process_starts"}); close(started) }
	c := a.connect()
	ctx := testCtx(t)
	j, err := c.Submit(ctx, "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	if err := j.Cancel(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = j.Result(ctx)
	if !errors.Is(err, ErrCancelled) {
		t.Errorf("err = %v, want ErrCancelled", err)
	}
	if j.Status().Stage != StageCancelled {
		t.Errorf("stage %s", j.Status().Stage)
	}
	if err := j.Cancel(ctx); err != nil {
		t.Errorf("second Cancel: %v", err)
	}
	var last Update
	for u := range j.Updates() {
		last = u
	}
	if last.Kind != UpdateCompleted || !errors.Is(last.Err, ErrCancelled) {
		t.Errorf("last update %+v", last)
	}
}

func TestCancelUnsupported(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(ev *fakeEvent) { ev.emit(map[string]any{"msg": "process_starts"}) }
	a.handle("/gradio_api/cancel", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	c := a.connect()
	j, err := c.Submit(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Cancel(testCtx(t)); err == nil || !strings.Contains(err.Error(), "cannot cancel") {
		t.Errorf("err = %v", err)
	}
}

func TestResultContextDoesNotEndJob(t *testing.T) {
	a := newFakeApp(t)
	release := make(chan struct{})
	a.fns[0] = func(ev *fakeEvent) { <-release; ev.complete(3.0) }
	c := a.connect()
	j, err := c.Submit(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := j.Result(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	select {
	case <-j.Done():
		t.Fatal("the job ended with the Result context")
	default:
	}
	close(release)
	if res, err := j.Result(testCtx(t)); err != nil || res.Value() != 3.0 {
		t.Errorf("Result = %v, %v", res, err)
	}
}

func TestAppErrorFromJob(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(ev *fakeEvent) {
		ev.emit(map[string]any{"msg": "process_completed", "success": false, "title": "Oops",
			"output": map[string]any{"error": "bad input", "duration": 10, "visible": true, "title": "Oops"}})
	}
	a.fns[5] = func(ev *fakeEvent) {
		ev.emit(map[string]any{"msg": "process_completed", "success": false, "title": "Error", "output": map[string]any{"error": nil}})
	}
	c := a.connect()
	_, err := c.Predict(testCtx(t), "/add", 1, 2)
	var ae *AppError
	if !errors.As(err, &ae) || ae.Message != "bad input" || ae.Title != "Oops" {
		t.Errorf("err = %v, want AppError{bad input, Oops}", err)
	}
	if err.Error() != "predict /add: app error: Oops: bad input" {
		t.Errorf("message %q", err)
	}
	_, err = c.Predict(testCtx(t), "/hidden", 1)
	if !errors.As(err, &ae) || ae.Message != "" || !strings.Contains(err.Error(), "show_error=True") {
		t.Errorf("err = %v, want an AppError with hidden details", err)
	}
}
