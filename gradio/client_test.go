package gradio

import (
	"context"
	"errors"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestConnectReadsConfigAndInfo(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	if c.URL() != a.url() {
		t.Errorf("URL() = %q, want %q", c.URL(), a.url())
	}
	if c.Config().Version != "6.31.0" || c.Config().APIPrefix != "/gradio_api" {
		t.Errorf("config = %+v", c.Config())
	}
	if got := len(c.ViewAPI().Endpoints); got != 6 {
		t.Errorf("%d endpoints in ViewAPI, want 6 (public and undocumented)", got)
	}
	res, err := c.Predict(testCtx(t), "/add", 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != 5.0 {
		t.Errorf("Value() = %v, want 5", res.Value())
	}
}

func TestConnectTrailingSlashAndMountPath(t *testing.T) {
	a := newFakeApp(t)
	mount := http.NewServeMux()
	mount.Handle("/sub/app/", http.StripPrefix("/sub/app", http.HandlerFunc(a.serve)))
	srv := newServer(t, mount)
	for _, src := range []string{srv + "/sub/app", srv + "/sub/app/", srv + "/sub/app/?view=api"} {
		c, err := Connect(testCtx(t), src)
		if err != nil {
			t.Fatalf("Connect(%q): %v", src, err)
		}
		if c.URL() != srv+"/sub/app" {
			t.Errorf("Connect(%q).URL() = %q", src, c.URL())
		}
		if _, err := c.Predict(testCtx(t), "add", 1, 1); err != nil {
			t.Errorf("Predict via %q: %v", src, err)
		}
		c.Close()
	}
}

func TestConnectGradio4HasNoPrefix(t *testing.T) {
	a := newFakeApp(t).v4()
	c := a.connect()
	if c.api != a.url() {
		t.Errorf("api = %q, want the root %q", c.api, a.url())
	}
	res, err := c.Predict(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != 3.0 {
		t.Errorf("Value() = %v", res.Value())
	}
	if e, err := c.Endpoint("/hidden"); err != nil || e.Info().Visibility != VisibilityUndocumented {
		t.Errorf("/hidden: %v, %v", e, err)
	}
	if _, err := c.Endpoint("/priv"); !errors.Is(err, ErrUnknownEndpoint) {
		t.Errorf("/priv by name: %v, want ErrUnknownEndpoint (api_name false in 4.x)", err)
	}
	if e, err := c.EndpointByIndex(6); err != nil || e.Info().Visibility != VisibilityPrivate {
		t.Errorf("EndpointByIndex(6): %v, %v", e, err)
	}
}

func TestConnectDeadPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = Connect(testCtx(t), "http://"+addr)
	if err == nil {
		t.Fatal("Connect to a dead port succeeded")
	}
	if !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("error %q should name %s and say the connection was refused", err, addr)
	}
}

func TestConnectHonoursContext(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Connect(ctx, srv)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
}

func TestConnectUnsupportedProtocol(t *testing.T) {
	a := newFakeApp(t)
	a.config["protocol"] = "ws"
	a.config["version"] = "3.50.2"
	_, err := Connect(testCtx(t), a.url())
	if err == nil || !strings.Contains(err.Error(), `"ws"`) {
		t.Errorf("err = %v, want an unsupported protocol error", err)
	}
}

func TestCloseFailsRunningJobsAndLaterCalls(t *testing.T) {
	a := newFakeApp(t)
	block := make(chan struct{})
	a.fns[0] = func(ev *fakeEvent) { <-block; ev.complete(1.0) }
	defer close(block)
	c := a.connect()
	j, err := c.Submit(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := j.Result(testCtx(t)); !errors.Is(err, ErrClosed) {
		t.Errorf("running job: %v, want ErrClosed", err)
	}
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); !errors.Is(err, ErrClosed) {
		t.Errorf("call after Close: %v, want ErrClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestResetSessionChangesState(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect(WithSessionHash("first"))
	ctx := testCtx(t)
	for i, want := range []float64{2, 4} {
		res, err := c.Predict(ctx, "/state", 2)
		if err != nil {
			t.Fatal(err)
		}
		if res.Value() != want || len(res.Data) != 1 {
			t.Errorf("call %d: %v, want [%v] (State output dropped)", i, res.Data, want)
		}
	}
	if c.SessionHash() != "first" {
		t.Errorf("SessionHash() = %q", c.SessionHash())
	}
	c.ResetSession()
	if c.SessionHash() == "first" || len(c.SessionHash()) != 32 {
		t.Errorf("SessionHash() after reset = %q", c.SessionHash())
	}
	res, err := c.Predict(ctx, "/state", 5)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != 5.0 {
		t.Errorf("after ResetSession: %v, want 5 (fresh state)", res.Value())
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if d := a.joins[0].Data; len(d) != 2 || d[1] != nil {
		t.Errorf("join data %v, want [2 <nil>] (null State slot)", d)
	}
}

// BenchmarkPredict measures a queued call against the in-process fake:
// the client's own overhead per call (join, stream, decode, route).
func BenchmarkPredict(b *testing.B) {
	a := newFakeApp(b)
	c, err := Connect(context.Background(), a.url())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := c.Predict(ctx, "/add", 1, 2); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	a := newFakeApp(t)
	a.config["connect_heartbeat"] = true
	block := make(chan struct{})
	a.fns[5] = func(ev *fakeEvent) { <-block }
	c, err := Connect(testCtx(t), a.url())
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	if _, err := c.Predict(ctx, "/gen", "abc"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Predict(ctx, "/noq", 1, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(ctx, "/hidden", 1); err != nil { // still running at Close
		t.Fatal(err)
	}
	c.ResetSession()
	c.Close()
	close(block)
	a.srv.CloseClientConnections()
	a.srv.Close()
	waitFor(t, "goroutines to exit", func() bool { return runtime.NumGoroutine() <= before })
}
