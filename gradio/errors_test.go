package gradio

import (
	"errors"
	"fmt"
	"testing"
)

func TestAppErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		e    AppError
		want string
	}{
		{AppError{Message: "bad", Title: "Error"}, "app error: bad"},
		{AppError{Message: "bad"}, "app error: bad"},
		{AppError{Message: "bad", Title: "Oops"}, "app error: Oops: bad"},
		{AppError{}, "app error (details hidden: the app was not launched with show_error=True)"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	e := &ValidationError{Problems: []ValidationProblem{{"a", "too small"}, {"b", "empty"}}}
	if got := e.Error(); got != "2 parameter(s) failed validation: a: too small; b: empty" {
		t.Errorf("%q", got)
	}
}

func TestWrapSentinel(t *testing.T) {
	cause := &HTTPError{Method: "POST", URL: "http://h/login", StatusCode: 400, Detail: "Incorrect credentials."}
	err := fmt.Errorf("connect x: %w", wrapSentinel(ErrUnauthorized, cause, "login refused for user %q", "bob"))
	if !errors.Is(err, ErrUnauthorized) {
		t.Error("sentinel not found")
	}
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 400 {
		t.Error("cause not found")
	}
	want := `connect x: unauthorized: login refused for user "bob": POST http://h/login: HTTP 400: Incorrect credentials.`
	if err.Error() != want {
		t.Errorf("%q\nwant %q", err, want)
	}
	if got := wrapSentinel(ErrQueueFull, nil, "%s", "").Error(); got != "queue full" {
		t.Errorf("%q", got)
	}
}
