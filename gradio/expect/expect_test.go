package expect

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gradiorec/gradiorec/gradio"
)

// recorder is a testing.TB that keeps what a check reports; Fatal ends the
// check's goroutine, as in a test.
type recorder struct {
	testing.TB
	mu    sync.Mutex
	errs  []string
	fatal bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// check runs a check and returns what it reported, and whether it stopped
// the test.
func check(t *testing.T, f func(tb testing.TB)) ([]string, bool) {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.errs, r.fatal
}

func TestCount(t *testing.T) {
	res := &gradio.Result{Data: []any{1, 2}}
	if errs, _ := check(t, func(tb testing.TB) { Count(tb, res, 2) }); len(errs) != 0 {
		t.Errorf("2 outputs, want 2: %v", errs)
	}
	if errs, fatal := check(t, func(tb testing.TB) { Count(tb, res, 3) }); !fatal || len(errs) != 1 || errs[0] != "outputs: got 2, want 3" {
		t.Errorf("2 outputs, want 3: %v, fatal %v", errs, fatal)
	}
}

func TestJSON(t *testing.T) {
	secret := func(v any) any {
		if s, ok := v.(string); ok {
			return strings.ReplaceAll(s, "hunter2", "<password>")
		}
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				if s, ok := x.(string); ok {
					m[k] = strings.ReplaceAll(s, "hunter2", "<password>")
				}
			}
		}
		return v
	}
	for _, tc := range []struct {
		got  any
		want string
		opts []Option
		err  string // "" when it passes
	}{
		{map[string]any{"n": 3.0, "s": "<b>"}, `{"n":3,"s":"<b>"}`, nil, ""},
		{[]any{1.5, "x"}, `[1.50,"x"]`, nil, ""},
		{map[string]any{"n": 4}, `{"n":3}`, nil, `out = {"n":4}, want {"n":3}`},
		{map[string]any{"t": 17, "rows": []any{map[string]any{"id": "a1"}, map[string]any{"id": "b2"}}}, `{"t":null,"rows":[{"id":null},{"id":"b2"}]}`, []Option{Masked("t"), Masked("rows", 0, "id")}, ""},
		{map[string]any{"t": 17}, `{"t":null}`, []Option{Masked("t", "deeper")}, `out = {"t":17}, want {"t":null}`},
		{map[string]any{"pw": "hunter2"}, `{"pw":"<password>"}`, []Option{Redacted(secret)}, ""},
		{map[string]any{"pw": "hunter2!"}, `{"pw":"<password>"}`, []Option{Redacted(secret)}, `out = {"pw":"<password>!"}, want {"pw":"<password>"}`},
		{func() {}, `null`, nil, "out: json: unsupported type: func()"},
	} {
		errs, _ := check(t, func(tb testing.TB) { JSON(tb, "out", tc.got, tc.want, tc.opts...) })
		if got := strings.Join(errs, "; "); got != tc.err {
			t.Errorf("JSON(%v, %s): %q, want %q", tc.got, tc.want, got, tc.err)
		}
	}
}

func TestError(t *testing.T) {
	gr := fmt.Errorf("call /divide: %w", &gradio.AppError{Message: "Cannot divide by zero!"})
	secret := func(v any) any { return strings.ReplaceAll(v.(string), "hunter2", "<password>") }
	for _, tc := range []struct {
		err   error
		msg   string
		opts  []Option
		want  string
		fatal bool
	}{
		{gr, "Cannot divide by zero!", nil, "", false},
		{errors.New("connection lost"), "", nil, "", false},
		{gr, "other", nil, `error call /divide: app error: Cannot divide by zero!, want a gr.Error "other"`, false},
		{errors.New("boom"), "Cannot divide by zero!", nil, `error boom, want a gr.Error "Cannot divide by zero!"`, false},
		{nil, "", nil, "the call succeeded; the recorded call failed", true},
		{&gradio.AppError{Message: "bad hunter2"}, "bad <password>", []Option{Redacted(secret)}, "", false},
	} {
		errs, fatal := check(t, func(tb testing.TB) { Error(tb, tc.err, tc.msg, tc.opts...) })
		if got := strings.Join(errs, "; "); got != tc.want || fatal != tc.fatal {
			t.Errorf("Error(%v, %q): %q (fatal %v), want %q (fatal %v)", tc.err, tc.msg, got, fatal, tc.want, tc.fatal)
		}
	}
}

func TestFileNotAFile(t *testing.T) {
	errs, _ := check(t, func(tb testing.TB) { File(tb, "output 0", "text", "abc") })
	if len(errs) != 1 || errs[0] != "output 0 is string, want a file" {
		t.Errorf("%v", errs)
	}
}

func TestEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{`3`, `3.0`, true},
		{`1e2`, `100`, true},
		{`18446744073709551615`, `18446744073709551616`, false},
		{`{"a":[1,{"b":null}]}`, `{"a":[1,{"b":null}]}`, true},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`[1,2]`, `[2,1]`, false},
		{`"3"`, `3`, false},
	} {
		if got := Equal(Decode([]byte(tc.a)), Decode([]byte(tc.b))); got != tc.want {
			t.Errorf("Equal(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}
