package gradio

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// silentStream answers with the headers of an event stream and then sends
// nothing until the client goes away.
func silentStream(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// endlessLine streams one event line that never ends, until the client goes
// away; it counts the bytes it managed to send.
func endlessLine(sent *int64, mu *sync.Mutex) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeFrames(w, "data: ")
		chunk := []byte(strings.Repeat("x", 32<<10))
		for {
			n, err := w.Write(chunk)
			mu.Lock()
			*sent += int64(n)
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func wantTimeout(t *testing.T, err error, option string, within time.Duration, start time.Time) *TimeoutError {
	t.Helper()
	var te *TimeoutError
	if !errors.As(err, &te) || te.Option != option {
		t.Fatalf("err = %v, want a *TimeoutError of %s", err, option)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("%v is not a net.Error timeout", err)
	}
	if d := time.Since(start); d > within {
		t.Errorf("took %s, want the limit to end it within %s", d, within)
	}
	return te
}

func TestConnectTimeoutOnServerThatNeverAnswers(t *testing.T) {
	srv := silentServer(t)
	start := time.Now()
	_, err := Connect(testCtx(t), srv, WithConnectTimeout(200*time.Millisecond))
	te := wantTimeout(t, err, "WithConnectTimeout", 5*time.Second, start)
	if te.Limit != 200*time.Millisecond || !strings.Contains(err.Error(), "--connect-timeout") || !strings.Contains(err.Error(), "/config") {
		t.Errorf("err = %v", err)
	}
}

func TestConnectTimeoutOnDownloadElsewhere(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect(WithConnectTimeout(200 * time.Millisecond))
	fd := &FileData{Path: silentServer(t) + "/x.png", c: c}
	start := time.Now()
	_, err := fd.CopyTo(testCtx(t), io.Discard)
	wantTimeout(t, err, "WithConnectTimeout", 5*time.Second, start)
}

func TestReadTimeoutOnSilentEventStream(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(ev *fakeEvent) {} // never completes
	a.handle("/gradio_api/queue/data", silentStream)
	c := a.connect(WithReadTimeout(200 * time.Millisecond))
	start := time.Now()
	_, err := c.Predict(testCtx(t), "/add", 1, 2)
	if !errors.Is(err, ErrConnectionLost) || !strings.Contains(err.Error(), "/add") || !strings.Contains(err.Error(), "--read-timeout") {
		t.Errorf("err = %v, want a lost connection naming /add and the flag", err)
	}
	wantTimeout(t, err, "WithReadTimeout", 5*time.Second, start)
}

func TestReadTimeoutKeptByHeartbeats(t *testing.T) {
	a := newFakeApp(t)
	// Heartbeats every 20ms for 300ms, longer than the read timeout, then
	// the result.
	a.handle("/gradio_api/queue/data", func(w http.ResponseWriter, r *http.Request) {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); <-tick.C {
			writeFrames(w, "event: heartbeat\ndata: {\"msg\": \"heartbeat\"}\n\n")
		}
		a.data(w, r)
	})
	c := a.connect(WithReadTimeout(150 * time.Millisecond))
	res, err := c.Predict(testCtx(t), "/add", 1, 2)
	if err != nil || res.Value() != 3.0 {
		t.Fatalf("Predict = %v, %v", res, err)
	}
}

func TestReadTimeoutOnEndpointOutsideQueue(t *testing.T) {
	a := newFakeApp(t)
	a.handle("/gradio_api/run/predict", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // the server notices the client leave only once the body is read
		<-r.Context().Done()
	})
	c := a.connect(WithReadTimeout(200 * time.Millisecond))
	start := time.Now()
	_, err := c.Predict(testCtx(t), "/noq", 1, 2)
	wantTimeout(t, err, "WithReadTimeout", 5*time.Second, start)
	if !strings.Contains(err.Error(), "/noq") {
		t.Errorf("err = %v, want it to name /noq", err)
	}
}

func TestReadTimeoutOnStalledDownload(t *testing.T) {
	a := newFakeApp(t)
	a.handle("/gradio_api/file=/stalls", func(w http.ResponseWriter, r *http.Request) {
		writeFrames(w, "first bytes")
		<-r.Context().Done()
	})
	c := a.connect(WithReadTimeout(200 * time.Millisecond))
	start := time.Now()
	n, err := (&FileData{Path: "/stalls", c: c}).CopyTo(testCtx(t), io.Discard)
	wantTimeout(t, err, "WithReadTimeout", 5*time.Second, start)
	if n != int64(len("first bytes")) {
		t.Errorf("copied %d bytes before the stall", n)
	}
}

func TestMaxMessageSizeOnEventStream(t *testing.T) {
	a := newFakeApp(t)
	a.fns[0] = func(ev *fakeEvent) {}
	var mu sync.Mutex
	var sent int64
	a.handle("/gradio_api/queue/data", endlessLine(&sent, &mu))
	c := a.connect(WithMaxMessageSize(64 << 10))
	_, err := c.Predict(testCtx(t), "/add", 1, 2)
	if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrConnectionLost) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	for _, want := range []string{"/add", "64 KiB", "--max-message-size"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %q", err, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if sent > 16<<20 {
		t.Errorf("the client took %d bytes of one event before giving up", sent)
	}
}

func TestMaxMessageSizeOnResponse(t *testing.T) {
	a := newFakeApp(t)
	a.handle("/gradio_api/run/predict", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"data": ["%s"]}`, strings.Repeat("x", 1<<20))
	})
	c := a.connect(WithMaxMessageSize(256 << 10))
	_, err := c.Predict(testCtx(t), "/noq", 1, 2)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "256 KiB") || !strings.Contains(err.Error(), "/noq") {
		t.Errorf("err = %v, want ErrTooLarge naming /noq and 256 KiB", err)
	}
	if _, err := Connect(testCtx(t), a.url(), WithMaxMessageSize(100)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Connect with a 100-byte limit: %v, want ErrTooLarge for the config", err)
	}
}

func TestDefaultLimits(t *testing.T) {
	s := newSettings(nil)
	if s.limits.connect != 10*time.Second || s.limits.read != 60*time.Second || s.limits.maxMessage != 64<<20 {
		t.Errorf("defaults %+v", s.limits)
	}
	a := newFakeApp(t)
	c := a.connect(WithConnectTimeout(0), WithReadTimeout(-1), WithMaxMessageSize(0))
	if res, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil || res.Value() != 3.0 {
		t.Errorf("without limits: %v, %v", res, err)
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{64 << 20: "64 MiB", 1 << 30: "1 GiB", 256 << 10: "256 KiB", 1500: "1500 bytes"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

// silentServer starts a server on loopback that accepts connections and
// never answers, like an app stuck before its first byte, and returns its
// URL. It stops when the test ends.
func silentServer(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never read or written
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}
