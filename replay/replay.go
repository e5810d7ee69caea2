package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// ErrBadInput marks errors in what Run was given (a recording whose input
// fixture is missing, a rule that makes no sense), as opposed to what the
// app answered.
var ErrBadInput = errors.New("bad input")

// Options configure Run.
type Options struct {
	// URL is the app to replay against; "" means the recorded one.
	URL string
	// Client are options for every client Run connects (WithToken,
	// WithAuth, WithHTTPClient, ...). Run adds WithJSONNumber.
	Client []gradio.Option
	// Rules choose matchers for parts of the outputs (see Rule), in
	// addition to the recording's masks.
	Rules []Rule
	// OnCall, when set, is called after each call with its result, for
	// progress.
	OnCall func(CallResult)
	// Secret looks up the value of a named secret that the recording's
	// inputs hold as a placeholder (see recording.Secret). Default: the
	// environment variable recording.SecretEnv(name). Run fails with a
	// *MissingSecretsError when one has no value. Replayed outputs are
	// compared with the secrets' values replaced by their placeholders, so
	// no report shows them.
	Secret func(name string) (string, bool)
	// CallTimeout bounds each call: connecting its session, waiting for its
	// result and downloading its output files (its upload and join are
	// bounded by the client's connect and read timeouts); 0 means no limit
	// (the client's read timeout still ends a call whose app goes silent).
	// A call that runs out is cancelled on the server and Errored, with a
	// message naming the limit, and the replay goes on with the next call.
	// gradiorec replay uses DefaultCallTimeout.
	CallTimeout time.Duration
	// MaxSlowdown, above 0, fails a replay (Outcome Slower) in which an
	// endpoint's median latency grew more than this many times over the
	// recorded one (see Latency).
	MaxSlowdown float64
	// Parallel is how many recorded sessions are replayed at once (see
	// RunAll); 0 or 1 replays every call in recorded order, one at a time.
	Parallel int
}

// DefaultCallTimeout is gradiorec replay's per-call limit (--call-timeout).
const DefaultCallTimeout = 10 * time.Minute

// Run replays rec's calls against the app: one client per recorded session,
// so that gr.State carries over as it did; calls in recorded order, each
// waited for (with opts.Parallel, sessions at once: see RunAll); input
// fixtures uploaded again; generators followed to the end. Every client
// shares one connection pool. Before the calls it checks the live endpoint
// schema against the recorded one (see Drift).
//
// The Report says how it went, including when the app cannot be reached.
// The error is non-nil only for bad input (wrapping ErrBadInput) or when ctx
// ends.
func Run(ctx context.Context, rec *recording.Recording, opts Options) (*Report, error) {
	reps, err := RunAll(ctx, []*recording.Recording{rec}, opts, nil)
	if err != nil {
		return nil, err
	}
	return reps[0], nil
}

// newRunner checks what Run is given.
func newRunner(rec *recording.Recording, opts Options) (*runner, error) {
	rules := maskRules(rec.Masks)
	for _, r := range opts.Rules {
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("%w: rule %+v: %v", ErrBadInput, r, err)
		}
		rules = append(rules, r)
	}
	inputs, err := readInputFiles(rec)
	if err != nil {
		return nil, err
	}
	secrets, err := loadSecrets(rec, opts.Secret)
	if err != nil {
		return nil, err
	}
	target := strings.TrimRight(opts.URL, "/")
	if target == "" {
		target = strings.TrimRight(rec.App.Root, "/")
	}
	if target == "" {
		return nil, fmt.Errorf("%w: the recording names no app URL; give one", ErrBadInput)
	}
	return &runner{rec: rec, opts: opts, rules: rules, target: target, inputs: inputs, secrets: secrets}, nil
}

// run replays every call, in sessions of its own.
func (r *runner) run(ctx context.Context) (*Report, error) {
	rec, opts := r.rec, r.opts
	rep := &Report{URL: r.target, Started: time.Now(), Calls: []CallResult{}}
	defer func() { rep.Duration = time.Since(rep.Started) }()
	r.clients = map[string]*sessionClient{} // new sessions for each run
	defer r.close()
	first, err := r.drift(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rep.Err = err.Error()
		rep.Outcome = Unreachable
		return rep, nil
	}
	rep.Drift = CheckDrift(rec.App.Endpoints, first)
	drifted := map[int]bool{}
	for _, d := range rep.Drift {
		if d.FnIndex >= 0 {
			drifted[d.FnIndex] = true
		}
	}
	if r.slots != nil {
		rep.Calls = r.parallel(ctx, drifted)
	} else {
		for i := range rec.Calls {
			c := &rec.Calls[i]
			res := r.call(ctx, c, drifted[c.FnIndex])
			if ctx.Err() != nil {
				break
			}
			rep.Calls = append(rep.Calls, res)
			if opts.OnCall != nil {
				opts.OnCall(res)
			}
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	rep.Latency, rep.MaxSlowdown = latencies(rec.Calls, rep.Calls, opts.MaxSlowdown), opts.MaxSlowdown
	rep.Outcome = rep.outcome()
	return rep, nil
}

// drift connects the first session's client, with which the app's API is
// compared: in a parallel replay, in a slot of its own, so that a folder of
// many recordings does not connect them all at once.
func (r *runner) drift(ctx context.Context) (*gradio.Client, error) {
	if r.slots != nil {
		select {
		case r.slots <- struct{}{}:
			defer func() { <-r.slots }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return r.client(ctx, firstSession(r.rec))
}

// firstSession returns the session of the first call, or "".
func firstSession(rec *recording.Recording) string {
	if len(rec.Calls) > 0 {
		return rec.Calls[0].Session
	}
	return ""
}

type runner struct {
	rec     *recording.Recording
	opts    Options
	rules   []Rule
	target  string
	slots   chan struct{}             // one per session replaying at once; nil: one call at a time
	mu      sync.Mutex                // guards clients
	clients map[string]*sessionClient // by recorded session id
	inputs  map[string][]byte         // the input fixtures' bytes, by name
	secrets *secrets                  // the named secrets' values, and what hides them
	// observe, when set, sees the live outputs of every call that
	// completed (see Learn).
	observe func(c *recording.Call, fc *fileChecker, updates [][]any, outputs []any)
}

// sessionClient is the client of one recorded session, connected by the
// first of its calls; the calls that overlap it wait for that.
type sessionClient struct {
	mu sync.Mutex
	c  *gradio.Client
}

// client returns the client of a recorded session, connecting it first.
func (r *runner) client(ctx context.Context, session string) (*gradio.Client, error) {
	r.mu.Lock()
	sc := r.clients[session]
	if sc == nil {
		sc = &sessionClient{}
		r.clients[session] = sc
	}
	r.mu.Unlock()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.c != nil {
		return sc.c, nil
	}
	opts := append([]gradio.Option{gradio.WithJSONNumber()}, r.opts.Client...)
	c, err := gradio.Connect(ctx, r.target, opts...)
	if err != nil {
		return nil, err
	}
	sc.c = c
	return c, nil
}

func (r *runner) close() {
	for _, sc := range r.clients {
		if sc.c != nil {
			sc.c.Close()
		}
	}
}

// call replays one call.
func (r *runner) call(ctx context.Context, c *recording.Call, drifted bool) (res CallResult) {
	res = CallResult{ID: c.ID, Session: c.Session, Endpoint: label(c)}
	defer r.secrets.redactResult(&res)
	ep := r.rec.Endpoint(c.FnIndex)
	switch {
	case ep != nil && !ep.BackendFn:
		res.Status, res.Reason = Skipped, "UI-only event (no backend function)"
		return res
	case ep != nil && ep.Rendered:
		res.Status, res.Reason = Skipped, "made by gr.render in the page, which the Go client cannot call"
		return res
	case c.Status == recording.Cancelled:
		res.Status, res.Reason = Skipped, "cancelled during the recording"
		return res
	case c.Status == recording.Incomplete:
		res.Status, res.Reason = Skipped, "not finished when the recording ended"
		if c.Error != nil {
			res.Reason = "never finished during the recording: " + c.Error.Message
		}
		return res
	}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	// The job lives in ctx; callCtx bounds the wait for it (CallTimeout).
	callCtx := ctx
	if r.opts.CallTimeout > 0 {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeoutCause(ctx, r.opts.CallTimeout, errCallTimeout)
		defer cancel()
		defer func() {
			if res.Status != Passed && ctx.Err() == nil && context.Cause(callCtx) == errCallTimeout {
				res.Status, res.Diffs = Errored, nil
				res.Err = fmt.Sprintf("the call did not finish within %s (the call timeout: raise it with --call-timeout, or Options.CallTimeout)", r.opts.CallTimeout)
			}
		}()
	}

	cl, err := r.client(callCtx, c.Session)
	if err != nil {
		res.Status, res.Err = Errored, err.Error()
		return res
	}
	e, err := r.endpoint(cl, c, ep)
	if err != nil {
		res.Status, res.Err = Drifted, err.Error()
		return res
	}
	args, err := r.args(c, ep)
	if err != nil {
		res.Status, res.Err = Errored, err.Error()
		return res
	}
	job, err := e.Submit(ctx, args...)
	var out *gradio.Result
	if err == nil {
		out, err = job.Result(callCtx)
		if err != nil && context.Cause(callCtx) == errCallTimeout {
			// Stop it on the server before the next call: Gradio's cancel
			// also stops the session's other running calls of the endpoint.
			stop, cancel := context.WithTimeout(ctx, 30*time.Second)
			_ = job.Cancel(stop)
			cancel()
		}
	}
	if out != nil {
		res.ServerTime = out.Duration
	}
	var updates [][]any
	if job != nil {
		updates = job.Outputs()
		if len(c.Updates) == 0 && len(updates) == 1 && out != nil {
			updates = nil // a job that yields nothing repeats its final output
		}
	}
	fc := &fileChecker{ctx: callCtx, rec: r.rec, live: map[*gradio.FileData][]byte{}}
	cmp := &comparer{files: fc.check}
	for _, rule := range r.rules {
		if rule.applies(c, res.Endpoint) {
			cmp.rules = append(cmp.rules, rule)
		}
	}
	switch {
	case err != nil && unreachable(err):
		res.Status, res.Err = Errored, err.Error()
		return res
	case c.Status == recording.Failed:
		var ae *gradio.AppError
		want := ""
		if c.Error != nil {
			want = c.Error.Message
		}
		switch {
		case err == nil:
			cmp.diffs = append(cmp.diffs, Diff{Path: "error", Want: show(want), Got: "(none: the call succeeded)"})
		case errors.As(err, &ae):
			if ae.Message != want {
				cmp.diffs = append(cmp.diffs, Diff{Path: "error", Want: show(want), Got: show(ae.Message)})
			}
		case c.Error == nil || c.Error.HTTP == 0:
			cmp.diffs = append(cmp.diffs, Diff{Path: "error", Want: show(want), Got: show(err.Error())})
		}
	case err != nil:
		cmp.diffs = append(cmp.diffs, Diff{Path: "error", Want: "(none)", Got: show(err.Error())})
	default:
		if r.observe != nil {
			r.observe(c, fc, updates, out.Data)
		}
		r.compareUpdates(cmp, c, updates)
		cmp.where = ""
		r.compareOutputs(cmp, c.Outputs, out.Data)
	}
	switch {
	case cmp.err != nil:
		res.Status, res.Err = Errored, cmp.err.Error()
	case len(cmp.diffs) > 0 && drifted:
		res.Status, res.Diffs = Drifted, cmp.diffs
	case len(cmp.diffs) > 0:
		res.Status, res.Diffs = Failed, cmp.diffs
	default:
		res.Status = Passed
	}
	return res
}

// endpoint finds the call's endpoint on the live app: by api name when it
// has one that is not private, else by fn_index.
func (r *runner) endpoint(cl *gradio.Client, c *recording.Call, ep *recording.Endpoint) (*gradio.Endpoint, error) {
	name := c.APIName
	if name == "" && ep != nil {
		name = ep.APIName
	}
	if name != "" && (ep == nil || ep.Visibility != recording.Private) {
		return cl.Endpoint(name)
	}
	return cl.EndpointByIndex(c.FnIndex)
}

// args builds the client arguments of a call: its named inputs in order
// (State slots are filled by the client), or the raw data without skipped
// slots when the recording has no named inputs, plus its event data.
func (r *runner) args(c *recording.Call, ep *recording.Endpoint) ([]any, error) {
	var raws []json.RawMessage
	if len(c.Inputs) == 0 && len(c.Data) > 0 {
		for i, raw := range c.Data {
			if ep != nil && i < len(ep.Inputs) && ep.Inputs[i].Skip {
				continue
			}
			raws = append(raws, raw)
		}
	} else {
		for _, in := range c.Inputs {
			raws = append(raws, in.Value)
		}
	}
	args := make([]any, 0, len(raws)+1)
	for i, raw := range raws {
		v, err := inputArg(r.rec, r.inputs, raw)
		if err != nil {
			return nil, fmt.Errorf("input %d: %w", i, err)
		}
		args = append(args, r.secrets.fill(v))
	}
	if len(c.EventData) > 0 && string(c.EventData) != "null" || c.TriggerID != nil {
		ev := gradio.Event{TriggerID: c.TriggerID}
		if len(c.EventData) > 0 {
			if err := json.Unmarshal(c.EventData, &ev.Data); err != nil {
				return nil, fmt.Errorf("event data: %w", err)
			}
		}
		args = append(args, ev)
	}
	return args, nil
}

// compareUpdates compares a generator's intermediate outputs, unless a
// MatchFinal rule (a stream mask) says to compare its final output only. A
// different number of updates is a difference unless the rules ignore every
// output the updates carry.
func (r *runner) compareUpdates(cmp *comparer, c *recording.Call, got [][]any) {
	for _, rule := range cmp.rules {
		if rule.Match == MatchFinal {
			return
		}
	}
	if len(got) != len(c.Updates) && !cmp.ignoresAll(c, got) {
		cmp.diffs = append(cmp.diffs, Diff{Path: "updates", Want: fmt.Sprint(len(c.Updates)), Got: fmt.Sprint(len(got)),
			Note: "number of intermediate outputs; if it varies from run to run, compare the final output only: a rule with match: final, or --learn-noise"})
	}
	for i := range min(len(got), len(c.Updates)) {
		before := len(cmp.diffs)
		cmp.where = fmt.Sprintf("update %d: ", i+1)
		r.compareOutputs(cmp, c.Updates[i], got[i])
		if len(cmp.diffs) > before {
			return // the first update that differs says enough
		}
	}
}

// ignoresAll reports whether the call's rules ignore every output position
// that its recorded or live updates have.
func (cmp *comparer) ignoresAll(c *recording.Call, got [][]any) bool {
	n := len(c.Outputs)
	for _, u := range c.Updates {
		n = max(n, len(u))
	}
	for _, u := range got {
		n = max(n, len(u))
	}
	for i := range n {
		if cmp.rule("/"+strconv.Itoa(i)).Match != MatchIgnore {
			return false
		}
	}
	return true
}

// compareOutputs compares recorded outputs with live ones, by position.
func (r *runner) compareOutputs(cmp *comparer, want []json.RawMessage, got []any) {
	wv := make([]any, len(want))
	for i, raw := range want {
		v, err := decodeRecorded(r.rec, raw)
		if err != nil {
			cmp.err = fmt.Errorf("recorded output %d: %w", i, err)
			return
		}
		wv[i] = v
	}
	cmp.compare("", wv, r.secrets.redact(liveFiles(got)))
}

// errCallTimeout is the cause of a call's context when CallTimeout ends it.
var errCallTimeout = errors.New("call timeout")

// unreachable reports whether err means the app could not be reached or went
// away, rather than that it answered differently.
func unreachable(err error) bool {
	var ne net.Error
	return errors.Is(err, gradio.ErrConnectionLost) || errors.Is(err, gradio.ErrNotGradio) ||
		errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}

// label names a call's endpoint for people.
func label(c *recording.Call) string {
	if c.APIName != "" {
		return c.APIName
	}
	return fmt.Sprintf("fn_index %d", c.FnIndex)
}
