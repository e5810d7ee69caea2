package clientapps_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// The tests in this file run the client against real Gradio apps from
// testdata/apps, on every version in GRADIO_VERSIONS (default: the newest).

func TestMain(m *testing.M) { gradiotest.Main(m) }

// forVersions runs f as a parallel subtest per Gradio version.
func forVersions(t *testing.T, f func(t *testing.T, version string)) {
	for _, v := range gradiotest.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			f(t, v)
		})
	}
}

func connectApp(t *testing.T, name, version string, opts ...gradio.Option) (*gradio.Client, context.Context) {
	t.Helper()
	app := gradiotest.Start(t, name, gradiotest.Version(version))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	c, err := gradio.Connect(ctx, app.URL, opts...)
	if err != nil {
		t.Fatalf("Connect(%s): %v", app.URL, err)
	}
	t.Cleanup(func() { c.Close() })
	return c, ctx
}

func TestRealCalculator(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		c, ctx := connectApp(t, "calculator", v)
		if got := c.Config().Version; got != v {
			t.Errorf("Config().Version = %q, want %q", got, v)
		}
		res, err := c.Predict(ctx, "/calculate", 3, "multiply", 4)
		if err != nil {
			t.Fatal(err)
		}
		if res.Value() != 12.0 {
			t.Errorf("3*4 = %v", res.Value())
		}
		res, err = c.Predict(ctx, "calculate", gradio.Named{"num2": 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Value() != 13.0 {
			t.Errorf("defaults 3 add 10 = %v", res.Value())
		}
		_, err = c.Predict(ctx, "/calculate", 1, "divide", 0)
		var ae *gradio.AppError
		if !errors.As(err, &ae) || strings.Trim(ae.Message, "'") != "Cannot divide by zero!" { // 4.x quotes it
			t.Errorf("divide by zero: %v", err)
		}
		_, err = c.Predict(ctx, "/calculate", gradio.Named{"nope": 1})
		if err == nil || !strings.Contains(err.Error(), "valid names: num1, operation, num2") {
			t.Errorf("unknown name: %v", err)
		}
		_, err = c.Predict(ctx, "/nope")
		if !errors.Is(err, gradio.ErrUnknownEndpoint) || !strings.Contains(err.Error(), "/calculate") {
			t.Errorf("unknown endpoint: %v", err)
		}
	})
}

// TestRealViewAPIMatchesPython compares ViewAPI().String() with what the
// real gradio_client of the same virtualenv prints.
func TestRealViewAPIMatchesPython(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		for _, name := range []string{"calculator", "stream", "state", "files"} {
			c, _ := connectApp(t, name, v)
			py := gradiotest.Python(t, v)
			script := `import sys
from gradio_client import Client
c = Client(sys.argv[1], verbose=False)
sys.stdout.write(c.view_api(print_info=False, return_format="str"))
c.close() if hasattr(c, "close") else None`
			cmd := exec.Command(py, "-c", script, c.URL())
			cmd.Env = append(os.Environ(), "GRADIO_ANALYTICS_ENABLED=False", "HF_HUB_OFFLINE=1")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: gradio_client: %v", name, err)
			}
			if got := c.ViewAPI().String(); got != string(out) {
				t.Errorf("%s: ViewAPI().String() differs from gradio_client:\n--- python\n%s\n--- go\n%s", name, out, got)
			}
		}
	})
}

func TestRealGenerator(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		c, ctx := connectApp(t, "stream", v)
		job, err := c.Submit(ctx, "/grow", "hello")
		if err != nil {
			t.Fatal(err)
		}
		var outs []string
		for u := range job.Updates() {
			if u.Kind == gradio.UpdateOutput {
				outs = append(outs, u.Output[0].(string))
			}
		}
		if fmt.Sprint(outs) != "[h he hel hell hello]" {
			t.Errorf("outputs %v", outs)
		}
		res, err := job.Result(ctx)
		if err != nil || res.Value() != "hello" {
			t.Errorf("Result = %v, %v", res, err)
		}

		job, err = c.Submit(ctx, "/progress", 3)
		if err != nil {
			t.Fatal(err)
		}
		var logs []string
		progress := 0
		for u := range job.Updates() {
			switch u.Kind {
			case gradio.UpdateLog:
				logs = append(logs, u.Log.Level+":"+u.Log.Message)
			case gradio.UpdateProgress:
				progress++
			}
		}
		if fmt.Sprint(logs) != "[info:Starting 3 steps warning:Almost done]" || progress == 0 {
			t.Errorf("logs %v, %d progress updates", logs, progress)
		}
		if res, err := job.Result(ctx); err != nil || res.Value() != "Finished 3 steps" {
			t.Errorf("Result = %v, %v", res, err)
		}
	})
}

func TestRealState(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		c, ctx := connectApp(t, "state", v)
		for i, w := range []string{"a", "b"} {
			res, err := c.Predict(ctx, "/count_words", w)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Data) != 2 || res.Data[0] != float64(i+1) {
				t.Errorf("count_words(%s) = %v", w, res.Data)
			}
		}
		res, err := c.Predict(ctx, "/list_words")
		if err != nil || fmt.Sprint(res.Value()) != "[a b]" {
			t.Errorf("list_words = %v, %v", res, err)
		}
		c.ResetSession()
		res, err = c.Predict(ctx, "/count_words", "c")
		if err != nil || res.Data[0] != 1.0 {
			t.Errorf("after ResetSession: %v, %v", res, err)
		}
	})
}

func TestRealFiles(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		c, ctx := connectApp(t, "files", v)
		sample := filepath.Join(gradiotest.Root(t), "testdata", "apps", "fixtures", "sample.txt")
		res, err := c.Predict(ctx, "/stats", gradio.File(sample))
		if err != nil {
			t.Fatal(err)
		}
		out, ok := res.Value().(*gradio.FileData)
		if !ok {
			t.Fatalf("output %#v is not a file", res.Value())
		}
		path, err := out.Download(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if !strings.Contains(string(b), "name: sample.txt") {
			t.Errorf("report %s:\n%s", path, b)
		}
		// The same bytes uploaded from memory give the same report, and
		// an output passed back as an input is accepted.
		data, _ := os.ReadFile(sample)
		res2, err := c.Predict(ctx, "/stats", gradio.FileBytes("sample.txt", data))
		if err != nil {
			t.Fatal(err)
		}
		if res2.Value().(*gradio.FileData).Name() != out.Name() {
			t.Errorf("names %q and %q", res2.Value().(*gradio.FileData).Name(), out.Name())
		}
		if _, err := c.Predict(ctx, "/stats", out); err != nil {
			t.Errorf("output file as input: %v", err)
		}
	})
}

func TestRealCancelAndQueue(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		c, ctx := connectApp(t, "slow", v)
		job, err := c.Submit(ctx, "/ticker", "t")
		if err != nil {
			t.Fatal(err)
		}
		for u := range job.Updates() {
			if u.Kind == gradio.UpdateOutput && u.Output[0] == "t 3" {
				break
			}
		}
		if err := job.Cancel(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := job.Result(ctx); !errors.Is(err, gradio.ErrCancelled) {
			t.Errorf("cancelled ticker: %v", err)
		}

		// concurrency_limit=1: concurrent waits queue behind each other,
		// all on the client's one event stream.
		var wg sync.WaitGroup
		ranks := make([]int, 3)
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				job, err := c.Submit(ctx, "/wait", fmt.Sprint(i))
				if err != nil {
					t.Error(err)
					return
				}
				for u := range job.Updates() {
					if u.Kind == gradio.UpdateQueued && u.Rank > ranks[i] {
						ranks[i] = u.Rank
					}
				}
				if res, err := job.Result(ctx); err != nil || res.Value() != fmt.Sprintf("done: %d", i) {
					t.Errorf("wait %d: %v, %v", i, res, err)
				}
			}()
		}
		wg.Wait()
		if ranks[0]+ranks[1]+ranks[2] == 0 {
			t.Errorf("no job waited in the queue: ranks %v", ranks)
		}
	})
}

// TestRealCancelQueuedInSession cancels a queued call while another call of
// the same endpoint runs in the same session. Gradio's /cancel then also
// stops the running one, without a completion message: the client must end
// both jobs rather than wait forever for the first.
func TestRealCancelQueuedInSession(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		c, ctx := connectApp(t, "slow", v)
		first, err := c.Submit(ctx, "/wait", "first")
		if err != nil {
			t.Fatal(err)
		}
		for u := range first.Updates() {
			if u.Kind == gradio.UpdateStarted {
				break
			}
		}
		second, err := c.Submit(ctx, "/wait", "second")
		if err != nil {
			t.Fatal(err)
		}
		if err := second.Cancel(ctx); err != nil {
			t.Fatal(err)
		}
		for name, job := range map[string]*gradio.Job{"queued": second, "running": first} {
			if _, err := job.Result(ctx); !errors.Is(err, gradio.ErrCancelled) {
				t.Errorf("%s job: %v, want ErrCancelled", name, err)
			}
		}
	})
}

func TestRealAuth(t *testing.T) {
	forVersions(t, func(t *testing.T, v string) {
		app := gradiotest.Start(t, "auth", gradiotest.Version(v))
		ctx := context.Background()
		if _, err := gradio.Connect(ctx, app.URL); !errors.Is(err, gradio.ErrUnauthorized) || !strings.Contains(err.Error(), "credentials missing") {
			t.Errorf("no credentials: %v", err)
		}
		if _, err := gradio.Connect(ctx, app.URL, gradio.WithAuth("admin", "wrong")); !errors.Is(err, gradio.ErrUnauthorized) || !strings.Contains(err.Error(), "wrong credentials") {
			t.Errorf("wrong password: %v", err)
		}
		c, err := gradio.Connect(ctx, app.URL, gradio.WithAuth("admin", "s3cret-pass"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		res, err := c.Predict(ctx, "/greet", "Ann")
		if err != nil || res.Value() != "Hello, Ann!" {
			t.Errorf("greet = %v, %v", res, err)
		}
	})
}

// TestRealReadTimeout runs a call that takes longer than the read timeout:
// the queue's heartbeats keep it alive when they come more often than the
// limit, and it fails with a *TimeoutError when they do not. (The heartbeat
// interval is set with GRADIO_HEARTBEAT_INTERVAL, which Gradio 6 reads.)
func TestRealReadTimeout(t *testing.T) {
	call := func(heartbeat string) error {
		app := gradiotest.Start(t, "slow", gradiotest.Env("GRADIOREC_SLOW_SECONDS", "2"), gradiotest.Env("GRADIO_HEARTBEAT_INTERVAL", heartbeat))
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		c, err := gradio.Connect(ctx, app.URL, gradio.WithReadTimeout(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		res, err := c.Predict(ctx, "/wait", "x")
		if err == nil && res.Value() != "done: x" {
			t.Errorf("/wait = %v", res.Value())
		}
		return err
	}
	if err := call("0.2"); err != nil {
		t.Errorf("heartbeats every 0.2s, read timeout 1s, a call of 2s: %v", err)
	}
	var te *gradio.TimeoutError
	if err := call("5"); !errors.As(err, &te) || !errors.Is(err, gradio.ErrConnectionLost) {
		t.Errorf("heartbeats every 5s, read timeout 1s, a call of 2s: %v, want a *TimeoutError", err)
	}
}
