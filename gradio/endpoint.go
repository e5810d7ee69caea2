package gradio

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Endpoint is one callable function of the app (a dependency of its config
// with a backend function). Get one with Client.Endpoint (by api name) or
// Client.EndpointByIndex (by fn_index); it is safe for concurrent use.
type Endpoint struct {
	c       *Client
	dep     *Dependency
	info    *EndpointInfo
	inSkip  []bool // per dependency input: sent as null (State, Button, layout)
	outSkip []bool // per dependency output: dropped from results
	nParams int    // inputs that are not skipped
}

func newEndpoint(c *Client, d *Dependency, info *EndpointInfo, comps map[int]*Component) *Endpoint {
	e := &Endpoint{c: c, dep: d, info: info}
	e.inSkip = make([]bool, len(d.Inputs))
	for i, id := range d.Inputs {
		if comp := comps[id]; comp != nil && comp.Skipped() {
			e.inSkip[i] = true
		} else {
			e.nParams++
		}
	}
	e.outSkip = make([]bool, len(d.Outputs))
	for i, id := range d.Outputs {
		if comp := comps[id]; comp != nil && comp.Skipped() {
			e.outSkip[i] = true
		}
	}
	return e
}

// Info returns the endpoint's schema. Endpoints absent from /info (private
// ones) have parameters described from the config, without names.
func (e *Endpoint) Info() *EndpointInfo { return e.info }

// label names the endpoint in errors: its api name, else its fn_index.
func (e *Endpoint) label() string {
	if e.info.APIName != "" {
		return e.info.APIName
	}
	return "fn_index " + strconv.Itoa(e.dep.ID)
}

// Predict calls the endpoint and waits for its result; for a generator, the
// final output. args are positional values, optionally followed by a Named
// holding keyword arguments, plus an optional Event; see Client.Predict.
// Ending ctx cancels the job.
func (e *Endpoint) Predict(ctx context.Context, args ...any) (*Result, error) {
	var res *Result
	var err error
	if e.dep.queued() {
		var j *Job
		if j, err = e.submit(ctx, args); err == nil {
			res, err = j.wait(ctx)
		}
	} else {
		res, err = e.runNow(ctx, args)
	}
	if err != nil {
		return nil, fmt.Errorf("predict %s: %w", e.label(), err)
	}
	return res, nil
}

// Submit starts a call and returns its Job without waiting for the result.
// Arguments are those of Predict. The error reports what prevented the job
// from starting (bad arguments, upload failure, a full queue, validation);
// later failures end the job. The job lives until it completes or ctx ends,
// whichever comes first: ending ctx cancels it.
func (e *Endpoint) Submit(ctx context.Context, args ...any) (*Job, error) {
	j, err := e.submit(ctx, args)
	if err != nil {
		return nil, fmt.Errorf("submit %s: %w", e.label(), err)
	}
	return j, nil
}

// prepare turns a call's arguments into the request's data array, with files
// uploaded.
func (e *Endpoint) prepare(ctx context.Context, args []any) ([]any, *Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ca, err := splitArgs(args)
	if err != nil {
		return nil, nil, err
	}
	data, err := e.buildData(ca)
	if err != nil {
		return nil, nil, err
	}
	if data, err = e.c.prepareFiles(ctx, data); err != nil {
		return nil, nil, err
	}
	return data, ca.event, nil
}

func (e *Endpoint) submit(ctx context.Context, args []any) (*Job, error) {
	data, ev, err := e.prepare(ctx, args)
	if err != nil {
		return nil, err
	}
	s, err := e.c.session()
	if err != nil {
		return nil, err
	}
	if !e.dep.queued() {
		j := newJob(e, nil)
		if !e.c.goBackground(func() { j.run(ctx, s, data, ev) }) {
			return nil, ErrClosed
		}
		return j, nil
	}
	j := newJob(e, s)
	j.stopCtx = context.AfterFunc(ctx, func() { j.abort(ctx.Err()) })
	if err := s.join(ctx, j, data, ev); err != nil {
		j.finish(nil, err)
		return nil, err
	}
	return j, nil
}

// runNow runs a call outside the queue on the calling goroutine.
func (e *Endpoint) runNow(ctx context.Context, args []any) (*Result, error) {
	data, ev, err := e.prepare(ctx, args)
	if err != nil {
		return nil, err
	}
	s, err := e.c.session()
	if err != nil {
		return nil, err
	}
	j := newJob(e, nil)
	j.run(ctx, s, data, ev)
	return j.wait(ctx)
}

// Endpoint returns the endpoint with the given api name, with or without its
// leading slash ("/predict" or "predict"). An empty name selects the app's
// only public endpoint, if it has exactly one. Private endpoints are not
// found by name (as in gradio_client); use EndpointByIndex. The error wraps
// ErrUnknownEndpoint and lists the available names.
func (c *Client) Endpoint(name string) (*Endpoint, error) {
	if name == "" {
		var only *Endpoint
		n := 0
		for _, e := range c.named {
			if e.info.Visibility == VisibilityPublic {
				only = e
				n++
			}
		}
		if n == 1 {
			return only, nil
		}
		return nil, wrapSentinel(ErrUnknownEndpoint, nil, "no api name given and the app has %d public endpoints; available: %s", n, c.available())
	}
	key := "/" + strings.TrimPrefix(name, "/")
	if e := c.named[key]; e != nil {
		return e, nil
	}
	for _, e := range c.byIndex {
		if e.info.APIName == key && e.info.Visibility == VisibilityPrivate {
			return nil, wrapSentinel(ErrUnknownEndpoint, nil, "%s is private; call it with EndpointByIndex(%d)", key, e.dep.ID)
		}
	}
	return nil, wrapSentinel(ErrUnknownEndpoint, nil, "%s; available: %s", key, c.available())
}

// EndpointByIndex returns the endpoint with the given fn_index (the
// dependency id in the app's config), whatever its visibility. Dependencies
// without a backend function cannot be called.
func (c *Client) EndpointByIndex(fnIndex int) (*Endpoint, error) {
	if e := c.byIndex[fnIndex]; e != nil {
		return e, nil
	}
	for i := range c.cfg.Dependencies {
		if d := &c.cfg.Dependencies[i]; d.ID == fnIndex {
			return nil, wrapSentinel(ErrUnknownEndpoint, nil, "fn_index %d has no backend function (it runs in the browser only)", fnIndex)
		}
	}
	ids := make([]int, 0, len(c.byIndex))
	for id := range c.byIndex {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return nil, wrapSentinel(ErrUnknownEndpoint, nil, "fn_index %d; the app's callable fn_index values: %v", fnIndex, ids)
}

// available lists the endpoint names callers can use, in fn_index order.
func (c *Client) available() string {
	var names []string
	for _, ei := range c.apiInfo.Endpoints {
		n := ei.APIName
		if ei.Visibility == VisibilityUndocumented {
			n += " (undocumented)"
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Predict calls the endpoint named endpoint ("/add" or "add"; see
// Client.Endpoint) and waits for its result. args are the parameter values in
// order, optionally followed by a Named with keyword arguments; parameters
// left out take their defaults. State inputs are filled with null and State
// outputs dropped, as the official clients do. FileInput values (File,
// FileURL, FileBytes) are uploaded first; an Event among args sets the
// event data. For a generator the result is its final output; use Submit to
// see the intermediate ones. Ending ctx cancels the job on the server.
func (c *Client) Predict(ctx context.Context, endpoint string, args ...any) (*Result, error) {
	e, err := c.Endpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("predict %s: %w", endpoint, err)
	}
	return e.Predict(ctx, args...)
}

// Submit starts a call of the endpoint named endpoint and returns its Job;
// see Predict for the arguments and Endpoint.Submit for the job's lifetime.
func (c *Client) Submit(ctx context.Context, endpoint string, args ...any) (*Job, error) {
	e, err := c.Endpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("submit %s: %w", endpoint, err)
	}
	return e.Submit(ctx, args...)
}
