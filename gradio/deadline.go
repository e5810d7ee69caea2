package gradio

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"
)

// Default limits of a Client; see WithConnectTimeout, WithReadTimeout and
// WithMaxMessageSize.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReadTimeout    = 60 * time.Second
	DefaultMaxMessageSize = 64 << 20
)

// TimeoutError means the app did not answer in time: no connection, request
// accepted or response headers within the connect timeout, or a response
// that sent nothing for longer than the read timeout. It is a net.Error
// whose Timeout method reports true.
type TimeoutError struct {
	// Method and URL identify the request.
	Method string `json:"method"`
	URL    string `json:"url"`
	// What says what did not happen in time, e.g. "no response headers".
	What string `json:"what"`
	// Limit is the limit that ran out.
	Limit time.Duration `json:"limit_ns"`
	// Option is the option that sets the limit: "WithConnectTimeout" or
	// "WithReadTimeout".
	Option string `json:"option"`
}

// Error implements error.
func (e *TimeoutError) Error() string {
	flag := "--connect-timeout"
	if e.Option == "WithReadTimeout" {
		flag = "--read-timeout"
	}
	return fmt.Sprintf("%s %s: %s within %s: timed out (raise the limit with %s, or the Go client's %s)",
		e.Method, e.URL, e.What, e.Limit, flag, e.Option)
}

// Timeout reports true: the error is a timeout (net.Error).
func (e *TimeoutError) Timeout() bool { return true }

// Temporary reports true (net.Error): trying again may work.
func (e *TimeoutError) Temporary() bool { return true }

// limits bound how long and how much the client takes from an app.
type limits struct {
	connect    time.Duration // connection, request and response headers
	read       time.Duration // silence of a response body
	maxMessage int64         // one event, or a body read whole
}

// watchdog cancels a request when the stage it is in lasts too long.
type watchdog struct {
	req    *http.Request
	cancel context.CancelFunc

	mu  sync.Mutex
	gen int // counts arms, so that a stale timer does nothing
	t   *time.Timer
	err *TimeoutError // set once it fired
}

// arm starts (or restarts) the limit d for the stage described by what; d
// <= 0 means no limit.
func (w *watchdog) arm(d time.Duration, what, option string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gen++
	if w.t != nil {
		w.t.Stop()
		w.t = nil
	}
	if d <= 0 || w.err != nil {
		return
	}
	gen := w.gen
	w.t = time.AfterFunc(d, func() {
		w.mu.Lock()
		if gen != w.gen || w.err != nil {
			w.mu.Unlock()
			return
		}
		w.err = &TimeoutError{Method: w.req.Method, URL: w.req.URL.String(), What: what, Limit: d, Option: option}
		w.mu.Unlock()
		w.cancel()
	})
}

// disarm stops the current limit.
func (w *watchdog) disarm() { w.arm(0, "", "") }

// fired returns the timeout error once the watchdog cancelled the request.
func (w *watchdog) fired() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		return nil
	}
	return w.err
}

// do sends req through hc under the client's limits. The connect timeout
// bounds connecting, sending the request (renewed while its body makes
// progress, so a large upload may take longer) and, after that, waiting for
// the response headers; when slow (the server answers only once it has
// done the work: an endpoint outside the queue, an upload), the read
// timeout bounds that last wait instead. read bounds each silence of the
// response body (0: none). The caller must close the response body.
func (c *Client) do(hc *http.Client, req *http.Request, slow bool, read time.Duration) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	w := &watchdog{req: req, cancel: cancel}
	connect := c.limits.connect
	answer, answerOption := connect, "WithConnectTimeout"
	if slow {
		answer, answerOption = c.limits.read, "WithReadTimeout"
	}
	trace := &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) {
			w.arm(connect, "the request was not accepted", "WithConnectTimeout")
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			w.arm(answer, "no response headers", answerOption)
		},
	}
	w.arm(connect, "no connection", "WithConnectTimeout")
	req = req.WithContext(httptrace.WithClientTrace(ctx, trace))
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = &sendBody{ReadCloser: req.Body, w: w, limit: connect}
	}
	resp, err := hc.Do(req)
	if err != nil {
		w.disarm()
		cancel()
		if te := w.fired(); te != nil {
			return nil, te
		}
		return nil, err
	}
	w.disarm()
	resp.Body = &watchedBody{rc: resp.Body, w: w, read: read, cancel: cancel}
	return resp, nil
}

// sendBody renews the connect limit each time the transport takes more of
// the request body.
type sendBody struct {
	io.ReadCloser
	w     *watchdog
	limit time.Duration
}

func (b *sendBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.w.arm(b.limit, "the request was not accepted", "WithConnectTimeout")
	}
	return n, err
}

// watchedBody is a response body whose reads fail once the server has sent
// nothing for longer than read. Only the time spent inside Read counts, so a
// slow consumer is not mistaken for a silent server.
type watchedBody struct {
	rc     io.ReadCloser
	w      *watchdog
	read   time.Duration
	cancel context.CancelFunc
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.w.arm(b.read, "nothing received", "WithReadTimeout")
	n, err := b.rc.Read(p)
	b.w.disarm()
	if err != nil && err != io.EOF {
		if te := b.w.fired(); te != nil {
			err = te
		}
	}
	return n, err
}

func (b *watchedBody) Close() error {
	b.w.disarm()
	err := b.rc.Close()
	b.cancel()
	return err
}

// readBody reads a whole response body of at most max bytes (max <= 0: no
// limit).
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if max <= 0 {
		return io.ReadAll(resp.Body)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > max {
		return nil, wrapSentinel(ErrTooLarge, nil, "%s %s: the response is larger than %s (raise the limit with --max-message-size, or the Go client's WithMaxMessageSize)",
			resp.Request.Method, resp.Request.URL, sizeText(max))
	}
	return body, nil
}

// sizeText writes a byte count for people: "64 MiB", "1500 bytes".
func sizeText(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
