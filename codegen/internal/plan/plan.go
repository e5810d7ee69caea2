// Package plan turns a recording into what every language generator needs:
// the target URL, one list of calls per session with their arguments decoded
// exactly (see package value), how each call can be made, what to expect of
// it, and the fixture files the code uploads. It decides once, for all
// languages, which calls are replayed and which are only commented.
//
// New leaves the calls' values out, so that a huge recording's are held a
// session at a time: a generator fills them in with Plan.Values around the
// code it writes for a session. The package also holds what the generators
// share to write names and comments safely: SafeName, Ident, Text and Wrap.
package plan

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/intent"
	"github.com/gradiorec/gradiorec/recording"
)

// File is one generated file.
type File struct {
	Path    string      // relative, slash-separated
	Content []byte      // the file's bytes
	Mode    fs.FileMode // 0o644, or 0o755 for scripts to run directly
}

// Plan is a recording prepared for code generation.
type Plan struct {
	Rec       *recording.Recording
	Opts      Options
	URL       string // the root URL the code targets, without trailing slash
	Src       string // what the official clients connect to: URL, or the Space id
	APIPrefix string // the recorded api prefix, "" for Gradio 4.x
	SpaceID   string
	Auth      bool // the app needs a login
	Sessions  []*Session
	Fixtures  []Fixture // the input files the code uploads, in order of first use
	Calls     int       // calls replayed (not skipped)
	// Changes say what became of the recorded calls that the intent form
	// makes otherwise or leaves out (none in the trace form).
	Changes []intent.Change
	// Secrets are the names of the named secrets whose placeholders
	// ("<redacted:NAME>") stand in call arguments, sorted: the code reads
	// each from the environment variable recording.SecretEnv(NAME).
	Secrets []string

	b *builder // for Values
}

// New prepares rec for generation.
func New(rec *recording.Recording, opts Options) (*Plan, error) {
	if rec == nil {
		return nil, fmt.Errorf("no recording")
	}
	if err := opts.check(); err != nil {
		return nil, err
	}
	switch opts.Flavour {
	case "":
		opts.Flavour = Script
	case Script, Test:
	default:
		return nil, fmt.Errorf("unknown flavour %q (want %q or %q)", opts.Flavour, Script, Test)
	}
	p := &Plan{Rec: rec, Opts: opts, APIPrefix: rec.App.APIPrefix, SpaceID: rec.App.SpaceID, Auth: rec.App.Auth}
	p.URL = strings.TrimRight(opts.URL, "/")
	if p.URL == "" {
		p.URL = strings.TrimRight(rec.App.Root, "/")
	}
	if p.URL == "" {
		p.URL = strings.TrimRight(rec.App.URL, "/")
	}
	if p.URL == "" {
		return nil, fmt.Errorf("the recording names no app URL; set one")
	}
	p.Src = p.URL
	if opts.URL == "" && rec.App.SpaceID != "" {
		p.Src = rec.App.SpaceID
	}
	endpoints := make(map[int]*recording.Endpoint, len(rec.App.Endpoints))
	for i := range rec.App.Endpoints {
		endpoints[rec.App.Endpoints[i].FnIndex] = &rec.App.Endpoints[i]
	}
	files := make(map[string]*recording.File, len(rec.Files))
	for i := range rec.Files {
		files[rec.Files[i].Name] = &rec.Files[i]
	}
	b := builder{p: p, endpoints: endpoints, files: files, fixtures: map[string]string{}, used: map[string]bool{}, secrets: map[string]bool{}}
	sessions := map[string]*Session{}
	for _, s := range rec.Sessions {
		if _, ok := sessions[s.ID]; ok {
			continue
		}
		ss := &Session{ID: s.ID}
		sessions[s.ID] = ss
		p.Sessions = append(p.Sessions, ss)
	}
	calls := rec.Calls
	if !opts.Trace {
		var form *recording.Recording
		form, p.Changes = intent.Rewrite(rec)
		calls = form.Calls
	}
	written := map[string]map[int]bool{} // by session: the State components earlier calls output
	for i := range calls {
		rc := &calls[i]
		ss := sessions[rc.Session]
		if ss == nil {
			ss = &Session{ID: rc.Session}
			sessions[rc.Session] = ss
			p.Sessions = append(p.Sessions, ss)
		}
		c, err := b.call(rc)
		if err != nil {
			return nil, fmt.Errorf("call %d (%s): %w", rc.ID, describe(rc), err)
		}
		c.shed()
		if c.Endpoint != nil {
			w := written[rc.Session]
			if w == nil {
				w = map[int]bool{}
				written[rc.Session] = w
			}
			for _, in := range c.Endpoint.Inputs {
				if in.Type == "state" && w[in.ID] {
					c.ReadsState = true
				}
			}
			for _, out := range c.Endpoint.Outputs {
				if out.Type == "state" {
					w[out.ID] = true
				}
			}
		}
		ss.Calls = append(ss.Calls, c)
		if c.Skip == "" {
			p.Calls++
		}
	}
	for _, ch := range p.Changes {
		if rc := rec.Call(ch.Call); ch.Into == 0 && rc != nil && sessions[rc.Session] != nil {
			sessions[rc.Session].LeftOut++
		}
	}
	// Sessions without calls add nothing.
	kept := p.Sessions[:0]
	seen := map[string]bool{}
	for _, s := range p.Sessions {
		if len(s.Calls) == 0 {
			continue
		}
		s.Ident = Ident(s.ID)
		if s.Ident == "" || seen[s.Ident] {
			s.Ident = fmt.Sprintf("s%d", len(kept)+1)
		}
		seen[s.Ident] = true
		kept = append(kept, s)
	}
	p.Sessions = kept
	p.b = &b
	for name := range b.secrets {
		p.Secrets = append(p.Secrets, name)
	}
	slices.Sort(p.Secrets)
	return p, nil
}

// Values fills in the values of s's calls, which New leaves out so that a
// huge recording's are held a session at a time: each call's Args values,
// Slots, EventData, and the Value of its Outputs. It returns the
// function that leaves them out again. A generator calls it around the code
// it writes for a session; everything else in a plan is there from New.
func (p *Plan) Values(s *Session) (release func()) {
	for _, c := range s.Calls {
		full, err := p.b.call(c.Rec)
		if err != nil {
			// New built the same call from the same recording.
			panic(fmt.Sprintf("plan: call %d decoded in New but not now: %v", c.Rec.ID, err))
		}
		c.Args, c.Slots, c.EventData, c.Outputs = full.Args, full.Slots, full.EventData, full.Outputs
	}
	return func() {
		for _, c := range s.Calls {
			c.shed()
		}
	}
}

// EndpointNote is the one comment of a file in the intent form on the
// replayed calls of Mode mode, whose endpoints are not on the app's API
// page (Positional: undocumented, Private: private), or "". kind names such
// an endpoint ("undocumented endpoint"); how says how the code reaches it.
// In the trace form each call says it itself (OnCall).
func (p *Plan) EndpointNote(mode Mode, kind, how string) string {
	if p.Opts.Trace {
		return ""
	}
	var labels []string
	for _, s := range p.Sessions {
		for _, c := range s.Calls {
			if c.Skip == "" && c.Mode == mode {
				labels = append(labels, c.Label())
			}
		}
	}
	switch len(labels) {
	case 0:
		return ""
	case 1:
		article := "a"
		if strings.ContainsRune("aeiou", rune(kind[0])) {
			article = "an"
		}
		return fmt.Sprintf("Call %s uses %s %s, which is not on the app's API page and may change without notice: %s.", labels[0], article, kind, how)
	}
	return fmt.Sprintf("Calls %s use %ss, which are not on the app's API page and may change without notice: %s.", strings.Join(labels, ", "), kind, how)
}

// OnCall reports whether notes on a call's endpoint go on the call itself:
// in the trace form (the intent form says them once, EndpointNote).
func (p *Plan) OnCall() bool { return p.Opts.Trace }

// Streams reports whether p makes a call of a generator.
func (p *Plan) Streams() bool { return p.makes(func(c *Call) bool { return c.Generator }) }

// EventData reports whether p makes a call that sends event data.
func (p *Plan) EventData() bool { return p.makes(func(c *Call) bool { return c.Event }) }

// makes reports whether p makes a call (one not skipped) that ok accepts.
func (p *Plan) makes(ok func(*Call) bool) bool {
	for _, s := range p.Sessions {
		for _, c := range s.Calls {
			if c.Skip == "" && ok(c) {
				return true
			}
		}
	}
	return false
}

// Heartbeat reports whether a client of the app holds a heartbeat stream
// open, which the code must close for the program to end: as the recording
// says, or, for a recording made before it said so, when a component is a
// gr.State (the commonest reason; an unload event is another).
func (p *Plan) Heartbeat() bool {
	if p.Rec.App.Heartbeat {
		return true
	}
	for _, ep := range p.Rec.App.Endpoints {
		for _, c := range slices.Concat(ep.Inputs, ep.Outputs) {
			if c.Type == "state" {
				return true
			}
		}
	}
	return false
}
