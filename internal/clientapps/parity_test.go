package clientapps_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// The parity test runs the calls of testdata/parity/cases.json with the Go
// client and with the official Python client (testdata/drivers/parity.py) and
// requires the same outcome from both: outputs, every generator update in
// order, file contents, errors, State across calls, cancellation, auth.

// parityCase is one call of cases.json.
type parityCase struct {
	Endpoint string         `json:"endpoint"`
	Args     []any          `json:"args"`
	Kwargs   map[string]any `json:"kwargs"`
	Stream   bool           `json:"stream"`
	Cancel   string         `json:"cancel"` // "running" or "queued"
}

type paritySpec struct {
	Auth     []string       `json:"auth"`
	Sessions [][]parityCase `json:"sessions"`
}

func TestParityWithPython(t *testing.T) {
	root := gradiotest.Root(t)
	casesFile := filepath.Join(root, "testdata", "parity", "cases.json")
	raw, err := os.ReadFile(casesFile)
	if err != nil {
		t.Fatal(err)
	}
	var specs map[string]paritySpec
	if err := json.Unmarshal(raw, &specs); err != nil {
		t.Fatalf("%s: %v", casesFile, err)
	}
	apps := make([]string, 0, len(specs))
	for name := range specs {
		apps = append(apps, name)
	}
	slices.Sort(apps)
	forVersions(t, func(t *testing.T, version string) {
		for _, name := range apps {
			t.Run(name, func(t *testing.T) {
				app := gradiotest.Start(t, name, gradiotest.Version(version))
				ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
				defer cancel()
				want := runPython(ctx, t, version, app.URL, casesFile, name)
				got := runGo(ctx, t, root, app.URL, specs[name])
				compareParity(t, specs[name], got, want)
			})
		}
	})
}

// runPython runs the cases with gradio_client and returns its outcomes.
func runPython(ctx context.Context, t *testing.T, version, url, casesFile, app string) [][]map[string]any {
	t.Helper()
	driver := filepath.Join(gradiotest.Root(t), "testdata", "drivers", "parity.py")
	cmd := exec.CommandContext(ctx, gradiotest.Python(t, version), driver, url, casesFile, app)
	cmd.Env = append(os.Environ(), "HF_HUB_OFFLINE=1", "GRADIO_ANALYTICS_ENABLED=False")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gradio_client driver: %v\n%s", err, stderr.String())
	}
	var out struct {
		Sessions [][]map[string]any `json:"sessions"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("gradio_client driver printed %q: %v\n%s", stdout.String(), err, stderr.String())
	}
	return out.Sessions
}

// runGo runs the cases with the Go client, one client per session, and
// returns outcomes in the driver's shape.
func runGo(ctx context.Context, t *testing.T, root, url string, spec paritySpec) [][]map[string]any {
	t.Helper()
	var opts []gradio.Option
	if len(spec.Auth) == 2 {
		opts = append(opts, gradio.WithAuth(spec.Auth[0], spec.Auth[1]))
	}
	var sessions [][]map[string]any
	for _, session := range spec.Sessions {
		c, err := gradio.Connect(ctx, url, opts...)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		other, err := gradio.Connect(ctx, url, opts...)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		var outcomes []map[string]any
		for _, tc := range session {
			outcomes = append(outcomes, goCall(ctx, t, c, other, root, tc))
		}
		c.Close()
		other.Close()
		sessions = append(sessions, outcomes)
	}
	return sessions
}

func goCall(ctx context.Context, t *testing.T, c, other *gradio.Client, root string, tc parityCase) map[string]any {
	t.Helper()
	args := goArgs(root, tc)
	var blocker *gradio.Job
	if tc.Cancel == "queued" {
		// Another session's call keeps the single worker busy so the call
		// waits in the queue (see TestRealCancelQueuedInSession for why
		// not one of the same session).
		var err error
		if blocker, err = other.Submit(ctx, tc.Endpoint, args...); err != nil {
			t.Fatalf("submit blocker: %v", err)
		}
		// The call waits in the queue only once the blocker runs.
		for u := range blocker.Updates() {
			if u.Kind == gradio.UpdateStarted {
				break
			}
		}
	}
	job, err := c.Submit(ctx, tc.Endpoint, args...)
	if err != nil {
		t.Fatalf("submit %s: %v", tc.Endpoint, err)
	}
	switch tc.Cancel {
	case "running":
		for u := range job.Updates() {
			if u.Kind == gradio.UpdateOutput || u.Kind == gradio.UpdateCompleted {
				break
			}
		}
		if err := job.Cancel(ctx); err != nil {
			t.Fatalf("cancel: %v", err)
		}
	case "queued":
		if err := job.Cancel(ctx); err != nil {
			t.Fatalf("cancel: %v", err)
		}
	}
	res, err := job.Result(ctx)
	if blocker != nil {
		if _, berr := blocker.Result(ctx); berr != nil {
			t.Fatalf("blocker: %v", berr)
		}
	}
	var appErr *gradio.AppError
	switch {
	case tc.Cancel != "" && errors.Is(err, gradio.ErrCancelled):
		return map[string]any{"cancelled": true}
	case errors.As(err, &appErr):
		return map[string]any{"error": appErr.Message}
	case err != nil:
		t.Fatalf("%s: %v", tc.Endpoint, err)
	}
	outcome := map[string]any{"outputs": goValues(ctx, t, res.Data)}
	if tc.Cancel != "" {
		outcome["not_cancelled"] = true
	}
	if tc.Stream {
		var updates []any
		for _, o := range job.Outputs() {
			updates = append(updates, goValues(ctx, t, o))
		}
		outcome["updates"] = updates
	}
	return outcome
}

// goArgs turns a case's arguments into the Go client's: {"$file": path}
// becomes gradio.File, keyword arguments gradio.Named.
func goArgs(root string, tc parityCase) []any {
	var conv func(v any) any
	conv = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			if p, ok := v["$file"].(string); ok && len(v) == 1 {
				return gradio.File(filepath.Join(root, p))
			}
			m := map[string]any{}
			for k, x := range v {
				m[k] = conv(x)
			}
			return m
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = conv(x)
			}
			return out
		}
		return v
	}
	var args []any
	for _, a := range tc.Args {
		args = append(args, conv(a))
	}
	if len(tc.Kwargs) > 0 {
		named := gradio.Named{}
		for k, v := range tc.Kwargs {
			named[k] = conv(v)
		}
		args = append(args, named)
	}
	return args
}

// goValues makes Go outputs comparable with the driver's: files become the
// hash of their downloaded bytes.
func goValues(ctx context.Context, t *testing.T, values []any) []any {
	t.Helper()
	var conv func(v any) any
	conv = func(v any) any {
		switch v := v.(type) {
		case *gradio.FileData:
			h := sha256.New()
			if _, err := v.CopyTo(ctx, h); err != nil {
				t.Fatalf("download %s: %v", v.URL, err)
			}
			return map[string]any{"file": map[string]any{"sha256": hex.EncodeToString(h.Sum(nil))}}
		case map[string]any:
			m := map[string]any{}
			for k, x := range v {
				m[k] = conv(x)
			}
			return m
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = conv(x)
			}
			return out
		}
		return v
	}
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = conv(v)
	}
	return out
}

// compareParity requires the same outcome per call. Errors match when the
// Python client's message contains the app's message (gradio_client 1.x
// prefixes it with "The upstream Gradio app has raised an exception").
func compareParity(t *testing.T, spec paritySpec, got, want [][]map[string]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Go ran %d sessions, Python %d", len(got), len(want))
	}
	for s := range want {
		for i := range want[s] {
			tc := spec.Sessions[s][i]
			g, w := roundTrip(t, got[s][i]), roundTrip(t, want[s][i])
			if msg, ok := g["error"].(string); ok {
				if wmsg, _ := w["error"].(string); msg == "" || !strings.Contains(wmsg, msg) {
					t.Errorf("session %d call %d %s: Go error %q, Python %v", s+1, i+1, tc.Endpoint, msg, w)
				}
				continue
			}
			if !reflect.DeepEqual(g, w) {
				gj, _ := json.Marshal(g)
				wj, _ := json.Marshal(w)
				t.Errorf("session %d call %d %s:\n   Go: %s\nPython: %s", s+1, i+1, tc.Endpoint, gj, wj)
			}
		}
	}
}

// roundTrip normalises a value through JSON, so numbers compare as float64.
func roundTrip(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
