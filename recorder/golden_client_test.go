package recorder

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// checkWithClient calls every recorded call of an endpoint with a backend
// function again, with the same inputs (files uploaded from the recording's
// fixtures) and the same trigger and event data, through the Go client
// (private endpoints by fn_index): one
// client, so one session, per recorded session, calls in recorded order, so
// that State holds what it held in the browser. It requires the same
// outputs (files compared by content, noise ignored), the same generator
// updates, the same gr.Error message, and, for a cancelled call, the same
// first update before it cancels the job in turn.
func checkWithClient(t *testing.T, g *goldenRun, want appWant) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var opts []gradio.Option
	if g.name == "auth" {
		opts = append(opts, gradio.WithAuth(authUser, authPassword))
	}
	clients := map[string]*gradio.Client{}
	for _, c := range g.rec.Calls {
		ep := g.rec.Endpoint(c.FnIndex)
		if ep == nil || !ep.BackendFn {
			continue
		}
		where := fmt.Sprintf("Go client, call %d (%s)", c.ID, c.APIName)
		client := clients[c.Session]
		if client == nil {
			var err error
			if client, err = gradio.Connect(ctx, g.app.URL, opts...); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			defer client.Close()
			clients[c.Session] = client
		}
		var e *gradio.Endpoint
		var err error
		if ep.Visibility == recording.Private {
			e, err = client.EndpointByIndex(c.FnIndex)
		} else {
			e, err = client.Endpoint(c.APIName)
		}
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if e.Info().FnIndex != c.FnIndex {
			t.Errorf("%s: the client's endpoint has fn_index %d, the recording %d", where, e.Info().FnIndex, c.FnIndex)
		}
		args := clientArgs(t, g.rec, c)
		if c.TriggerID != nil || len(c.EventData) > 0 {
			ev := gradio.Event{TriggerID: c.TriggerID}
			if err := json.Unmarshal(c.EventData, &ev.Data); len(c.EventData) > 0 && err != nil {
				t.Fatalf("%s: event data: %v", where, err)
			}
			args = append(args, ev)
		}
		noise := want.noise[c.APIName]
		job, err := e.Submit(ctx, args...)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		switch c.Status {
		case recording.Completed:
			res, err := job.Result(ctx)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			sameOutputs(ctx, t, where+" outputs", g.rec, c.Outputs, res.Data, noise)
			var got [][]any
			for u := range job.Updates() {
				if u.Kind == gradio.UpdateOutput {
					got = append(got, u.Output)
				}
			}
			if len(got) != len(c.Updates) {
				t.Errorf("%s: %d updates, recorded %d", where, len(got), len(c.Updates))
				continue
			}
			for i, u := range c.Updates {
				sameOutputs(ctx, t, fmt.Sprintf("%s update %d", where, i), g.rec, u, got[i], noise)
			}
		case recording.Failed:
			_, err := job.Result(ctx)
			var appErr *gradio.AppError
			if !errors.As(err, &appErr) || c.Error == nil || appErr.Message != c.Error.Message {
				t.Errorf("%s: error %v, recorded %s", where, err, jsonOf(c.Error))
			}
		case recording.Cancelled:
			var first []any
			for u := range job.Updates() {
				if u.Kind == gradio.UpdateOutput || u.Kind == gradio.UpdateCompleted {
					first = u.Output
					break
				}
			}
			if len(c.Updates) == 0 || first == nil {
				t.Errorf("%s: first update %v, recorded updates %s", where, first, jsonOf(c.Updates))
			} else {
				sameOutputs(ctx, t, where+" first update", g.rec, c.Updates[0], first, noise)
			}
			if err := job.Cancel(ctx); err != nil {
				t.Errorf("%s: cancel: %v", where, err)
			}
			if _, err := job.Result(ctx); !errors.Is(err, gradio.ErrCancelled) {
				t.Errorf("%s: after Cancel: %v, want ErrCancelled", where, err)
			}
		default:
			t.Errorf("%s: status %s", where, c.Status)
		}
	}
}

// clientArgs returns a call's recorded inputs as the client's positional
// arguments, with every FileData turned back into its fixture's bytes.
func clientArgs(t *testing.T, r *recording.Recording, c recording.Call) []any {
	t.Helper()
	args := make([]any, len(c.Inputs))
	for i, a := range c.Inputs {
		v, err := decodeValue(a.Value)
		if err != nil {
			t.Fatalf("input %s: %v", a.Name, err)
		}
		args[i] = replaceFiles(v, func(fd map[string]any) any {
			name, _ := fd["fixture"].(string)
			b, err := r.FileBytes(name)
			if err != nil {
				t.Fatalf("input %s of call %d: %v", a.Name, c.ID, err)
			}
			return gradio.FileBytes(fileName(fd), b)
		})
	}
	return args
}

// sameOutputs compares recorded output values with the client's, after
// replacing every file by the SHA-256 of its bytes (the recording's
// fixture, the client's download) and the noise by "<varies>".
func sameOutputs(ctx context.Context, t *testing.T, what string, r *recording.Recording, recorded []json.RawMessage, got []any, noise []string) {
	t.Helper()
	var want []any
	for _, raw := range maskNoise(t, recorded, noise) {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		want = append(want, replaceFiles(v, func(fd map[string]any) any {
			name, _ := fd["fixture"].(string)
			if f := r.File(name); f != nil {
				return map[string]any{"sha256": f.SHA256}
			}
			return map[string]any{"no fixture": fd["path"]}
		}))
	}
	gotVals := make([]any, len(got))
	for i, v := range got {
		gotVals[i] = clientFiles(ctx, t, v)
	}
	// Through JSON, so that both sides hold the same types, and the noise
	// can be masked on the client's values too.
	b, err := json.Marshal(gotVals)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var gotPlain []any
	for _, raw := range maskNoise(t, raws, noise) {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		gotPlain = append(gotPlain, v)
	}
	if !reflect.DeepEqual(gotPlain, want) {
		t.Errorf("%s: %s, recorded %s", what, jsonOf(gotPlain), jsonOf(want))
	}
}

// clientFiles returns a value from the client with every *gradio.FileData
// replaced by the SHA-256 of its downloaded bytes.
func clientFiles(ctx context.Context, t *testing.T, v any) any {
	t.Helper()
	switch x := v.(type) {
	case *gradio.FileData:
		var b bytes.Buffer
		if _, err := x.CopyTo(ctx, &b); err != nil {
			t.Errorf("download %s: %v", x.Path, err)
		}
		s := sha256.Sum256(b.Bytes())
		return map[string]any{"sha256": hex.EncodeToString(s[:])}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clientFiles(ctx, t, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clientFiles(ctx, t, e)
		}
		return out
	}
	return v
}
