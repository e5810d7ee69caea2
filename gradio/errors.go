package gradio

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Test for them with errors.Is; the returned errors wrap them
// with the operation and the details the server gave.
var (
	// ErrNotGradio means the URL answers, but not as a Gradio app: neither
	// GET <root>/config nor the page at <root>/ yields a Gradio config.
	ErrNotGradio = errors.New("not a Gradio app")

	// ErrUnauthorized means the app (or the Hugging Face Space in front of
	// it) refused the request: HTTP 401 or 403, or a refused login. The
	// wrapping error says whether credentials were missing or wrong.
	ErrUnauthorized = errors.New("unauthorized")

	// ErrQueueFull means the app's queue refused a new job (HTTP 503 on
	// queue/join: the queue is full or stopped). Retrying later may work.
	ErrQueueFull = errors.New("queue full")

	// ErrConnectionLost means the server-sent event stream ended, or the
	// server stopped, before a job completed.
	ErrConnectionLost = errors.New("connection lost")

	// ErrUnknownEndpoint means no endpoint has the requested api name or
	// fn_index. The wrapping error lists the available endpoints.
	ErrUnknownEndpoint = errors.New("unknown endpoint")

	// ErrCancelled means the job was cancelled, by Job.Cancel or by the app
	// (for example an event listener with cancels=[...]).
	ErrCancelled = errors.New("cancelled")

	// ErrClosed means the Client was closed while the job was running, or a
	// call was made on a closed Client.
	ErrClosed = errors.New("client closed")

	// ErrFileTooLarge means an input file exceeds the app's max_file_size
	// (checked before uploading, or HTTP 413 from the upload).
	ErrFileTooLarge = errors.New("file too large")

	// ErrTooLarge means the app sent a message (one server-sent event, or a
	// response read whole) larger than the client's limit
	// (WithMaxMessageSize).
	ErrTooLarge = errors.New("message too large")

	// ErrTokenWithheld means the app refused a request (HTTP 401 or 403)
	// that went without the token given by WithAmbientToken, because the
	// app is not served by Hugging Face. It wraps ErrUnauthorized.
	ErrTokenWithheld = fmt.Errorf("%w: token withheld", ErrUnauthorized)
)

// AppError is an error raised by the app's function: a gr.Error, or any
// exception when the app was launched with show_error=True. When the app hides
// the details of other exceptions, Message is empty.
type AppError struct {
	// Message is the error text (gr.Error's message), or "" when the app
	// does not show error details.
	Message string `json:"message"`
	// Title is gr.Error's title ("Error" by default), or "" when the server
	// sends none (Gradio 4.x).
	Title string `json:"title,omitempty"`
}

// Error implements error.
func (e *AppError) Error() string {
	if e.Message == "" {
		return "app error (details hidden: the app was not launched with show_error=True)"
	}
	if e.Title != "" && e.Title != "Error" {
		return "app error: " + e.Title + ": " + e.Message
	}
	return "app error: " + e.Message
}

// ValidationError reports the inputs that an endpoint's validator rejected
// (HTTP 422 from queue/join, Gradio 5.x and later).
type ValidationError struct {
	// Problems holds one entry per rejected input, in input order.
	Problems []ValidationProblem `json:"problems"`
}

// ValidationProblem is one input rejected by a validator.
type ValidationProblem struct {
	// Parameter is the parameter name the server reported, or
	// "parameter_<i>" when it gave none.
	Parameter string `json:"parameter"`
	// Message is the validator's message.
	Message string `json:"message"`
}

// Error implements error.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d parameter(s) failed validation", len(e.Problems))
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.Parameter)
		b.WriteString(": ")
		b.WriteString(p.Message)
	}
	return b.String()
}

// HTTPError is an unexpected HTTP status from the app. Expected statuses are
// turned into the sentinels above (401 into ErrUnauthorized, 503 on join into
// ErrQueueFull, ...), which wrap an *HTTPError when the status is the cause.
type HTTPError struct {
	// Method and URL identify the request.
	Method string `json:"method"`
	URL    string `json:"url"`
	// StatusCode is the HTTP status code.
	StatusCode int `json:"status_code"`
	// Detail is the server's explanation: the "detail" or "error" field of a
	// JSON body, or the start of any other body.
	Detail string `json:"detail,omitempty"`
}

// Error implements error.
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d", e.Method, e.URL, e.StatusCode)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// sentinelError wraps a sentinel with a message and an optional cause, so that
// errors.Is finds both the sentinel and the cause.
type sentinelError struct {
	sentinel error
	msg      string
	cause    error
}

func (e *sentinelError) Error() string {
	s := e.sentinel.Error()
	if e.msg != "" {
		s += ": " + e.msg
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

func (e *sentinelError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.sentinel}
	}
	return []error{e.sentinel, e.cause}
}

// wrapSentinel returns an error that reads "<sentinel>: <msg>[: <cause>]" and
// matches both sentinel and cause with errors.Is and errors.As.
func wrapSentinel(sentinel error, cause error, format string, args ...any) error {
	return &sentinelError{sentinel: sentinel, msg: fmt.Sprintf(format, args...), cause: cause}
}
