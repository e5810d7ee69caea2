package gradio

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestLoginKeepsCookie(t *testing.T) {
	a := newFakeApp(t)
	a.password = "secret"
	c := a.connect(WithAuth("user", "secret"))
	res, err := c.Predict(testCtx(t), "/add", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value() != 3.0 {
		t.Errorf("Value() = %v", res.Value())
	}
}

func TestLoginRefused(t *testing.T) {
	a := newFakeApp(t)
	a.password = "secret"
	_, err := Connect(testCtx(t), a.url(), WithAuth("user", "wrong"))
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "wrong credentials") {
		t.Errorf("err = %v, want ErrUnauthorized saying the credentials are wrong", err)
	}
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 400 || he.Detail != "Incorrect credentials." {
		t.Errorf("err = %v, want it to wrap the HTTP 400", err)
	}
}

func TestLoginMissing(t *testing.T) {
	a := newFakeApp(t)
	a.password = "secret"
	_, err := Connect(testCtx(t), a.url())
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "credentials missing") || !strings.Contains(err.Error(), "WithAuth") {
		t.Errorf("err = %v, want ErrUnauthorized saying credentials are missing", err)
	}
}

func TestLoginOnAppWithoutAuth(t *testing.T) {
	a := newFakeApp(t)
	a.handle("/login", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	_, err := Connect(testCtx(t), a.url(), WithAuth("user", "pw"))
	if err == nil || !strings.Contains(err.Error(), "no login") {
		t.Errorf("err = %v", err)
	}
}
