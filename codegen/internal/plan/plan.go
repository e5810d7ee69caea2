// Package plan turns a recording into what every language generator needs:
// the target URL, one list of calls per session with their arguments decoded
// exactly (see package value), how each call can be made, what to expect of
// it, and the fixture files the code uploads. It decides once, for all
// languages, which calls are replayed and which are only commented.
package plan

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/intent"
	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// Flavours of generated code.
const (
	Script = "script" // a program that replays the calls and prints results
	Test   = "test"   // a test that replays the calls and checks results
)

// Options are the generator options every language shares.
type Options struct {
	// Flavour is Script or Test.
	Flavour string
	// URL is the app the code calls; "" means the recorded one.
	URL string
	// Name is the base name of the generated files, without extension
	// ("replay" when empty).
	Name string
	// GoModule is the module path of an exported Go project ("" for the
	// file alone, without a go.mod).
	GoModule string
	// GoPackage is the package name of generated Go code ("main" for
	// scripts and "replay" for tests when empty).
	GoPackage string
	// GradiorecVersion is the version of github.com/gradiorec/gradiorec the
	// go.mod requires ("v0.0.0" when empty, meant with GradiorecReplace).
	GradiorecVersion string
	// GradiorecReplace, when set, adds a replace directive pointing the
	// module at this path (a local checkout).
	GradiorecReplace string
	// FixtureDir is the folder, relative to the output folder, under which
	// the code reads the recorded input files ("fixtures" when empty).
	FixtureDir string
	// Trace plans every recorded call; else the intent form's calls (see
	// package intent).
	Trace bool
	// Think is how a simulated Locust user paces its calls.
	Think Think
}

// Think is how long a simulated Locust user waits before each call after
// the first of its session. The zero value waits as the recorded person
// did: from the end of the previous call to the start of this one.
type Think struct {
	Fixed bool          // wait Pause instead of as recorded
	Pause time.Duration // with Fixed: the wait, 0 for none
}

// File is one generated file.
type File struct {
	Path    string      // relative, slash-separated
	Content []byte      // the file's bytes
	Mode    fs.FileMode // 0o644, or 0o755 for scripts to run directly
}

// Mode says how a call can be made by the official clients.
type Mode int

// The ways to make a call.
const (
	Keywords   Mode = iota // a public endpoint with named parameters
	Positional             // named, but the clients know no parameter names (undocumented)
	Private                // private or unnamed: only by fn_index (JS, Go)
	UIOnly                 // no backend function: nothing to call
)

// Check says how an output is verified.
type Check int

// The ways to check an output.
const (
	Equal    Check = iota // the value equals the recorded one
	FileHash              // the file's SHA-256 equals the recorded one
	Skipped               // not checked (Reason says why)
)

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

// Fixture is an input file the generated code reads.
type Fixture struct {
	Path    string         // relative to the output folder, e.g. "fixtures/cat.png"
	File    recording.File // the recording's file (its Name locates the bytes)
	Missing bool           // the recording lists no such file
}

// Session is the calls of one browser session, in order.
type Session struct {
	ID    string // the recording's session id
	Ident string // ID as an identifier: letters, digits and underscores
	Calls []*Call
	// LeftOut is how many recorded calls of the session the intent form
	// leaves out, as they only changed how the page looks.
	LeftOut int
}

// Call is one recorded call, ready to render. Its values (the Value of
// each Arg and Output, Slots, EventData) are there only between Plan.Values
// and its release.
type Call struct {
	Rec      *recording.Call
	Endpoint *recording.Endpoint // nil when the recording has no schema for it
	APIName  string              // with its leading slash, or ""
	FnIndex  int
	Mode     Mode
	Named    bool   // the recorded schema names every argument (public or undocumented)
	Skip     string // why the call is not replayed in any language, or ""
	Args     []Arg
	// Slots are the values of every input of the endpoint, in order, as the
	// queue takes them: the arguments, with null for each State input and
	// the recorded value of each other input that is not an API parameter
	// (a button's label). Args when the recording has no schema.
	Slots     []value.Value
	EventData value.Value // Null when the call carried none
	// Event reports that a client must send the call's event data and
	// trigger id to reproduce it: it carried event data, or a trigger id
	// that its function reads (gr.EventData).
	Event bool
	// ReadsEvent reports that the call's function reads gr.EventData and
	// the call carried a trigger or event data: a client that cannot send
	// them gets other outputs.
	ReadsEvent bool
	Generator  bool
	Queued     bool
	Updates    int // intermediate outputs of a generator
	// CheckUpdates reports that the number of intermediate outputs is
	// checked: in the trace form, when the call has some and no mask of the
	// recording covers "/updates" (a stream whose chunks vary: only its
	// final output is compared). The intent form checks final outputs
	// only: how a reply is cut into chunks changes with a Gradio upgrade.
	CheckUpdates bool
	Error        *recording.Error // the recorded failure, or nil
	Outputs      []Output         // one per API output (State removed); nil after an error
	Note         string           // a short human description: "/calculate", "fn_index 7"
	// ReadsState reports that the call reads a gr.State that an earlier call
	// of its session may have changed: only a client that keeps the
	// session reproduces it.
	ReadsState bool
	// Redacted reports that an argument holds the anonymous placeholder
	// recording.Redacted: a secret removed at record time, which the code
	// sends as that text.
	Redacted bool
}

// Arg is one argument.
type Arg struct {
	Name  string // the parameter name ("param_<i>" when unknown)
	Value value.Value
}

// Output is what a call's output is checked against.
type Output struct {
	Name   string      // how a failure names it: "output 0 (result)", with the label /info gives
	Value  value.Value // the expected value: the recorded one, with null at each Masked path
	Check  Check
	SHA256 string // FileHash: the expected hash
	Reason string // Skipped: why
	Masked []Path // Equal: the parts that are not compared (masked in the recording)
	Raw    []byte // the recorded JSON text
}

// Path locates a part of a value: object keys (string) and array indexes
// (int), from the outside in. Checks set the part at a masked path to null
// in the value they get and in the expected one (where it is there).
type Path []any

// BaseName returns Name, or "replay" when it is empty.
func (o Options) BaseName() string {
	if o.Name == "" {
		return "replay"
	}
	return o.Name
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

// shed leaves out the call's values (see Values), keeping how many
// arguments and outputs it has, their names, and how each output is checked
// (its masked paths included).
func (c *Call) shed() {
	for i := range c.Args {
		c.Args[i].Value = value.Value{}
	}
	for i := range c.Outputs {
		c.Outputs[i].Value = value.Value{}
	}
	c.Slots, c.EventData = nil, value.Value{}
}

func describe(c *recording.Call) string {
	if c.APIName != "" {
		return c.APIName
	}
	return fmt.Sprintf("fn_index %d", c.FnIndex)
}

type builder struct {
	p         *Plan
	endpoints map[int]*recording.Endpoint
	files     map[string]*recording.File
	fixtures  map[string]string // recording file name -> fixture path
	used      map[string]bool   // fixture paths taken
	secrets   map[string]bool   // the named secrets in arguments
	redacted  bool              // an argument of the current call holds recording.Redacted
}

func (b *builder) call(rc *recording.Call) (*Call, error) {
	c := &Call{Rec: rc, FnIndex: rc.FnIndex, APIName: rc.APIName, Queued: rc.Via != "run", Note: describe(rc)}
	ep := b.endpoints[rc.FnIndex]
	c.Endpoint = ep
	if c.APIName == "" && ep != nil && ep.APIName != "" {
		c.APIName = ep.APIName
	}
	if c.APIName != "" && !strings.HasPrefix(c.APIName, "/") {
		c.APIName = "/" + c.APIName
	}
	if ep != nil {
		c.Generator = ep.Generator
		c.Queued = ep.Queue
	}
	c.Named = namesMatch(ep, rc)
	c.Mode = b.mode(c, ep)
	switch {
	case c.Mode == UIOnly:
		c.Skip = "a UI-only event (no backend function)"
	case rc.Status == recording.Cancelled:
		c.Skip = "cancelled during the recording"
	case rc.Status == recording.Incomplete:
		c.Skip = "still running when the recording ended"
	}
	var err error
	b.redacted = false
	if c.Args, err = b.args(rc, ep); err != nil {
		return nil, err
	}
	c.Redacted = b.redacted
	if c.Slots, err = b.slots(rc, ep, c.Args); err != nil {
		return nil, err
	}
	if len(rc.EventData) > 0 {
		if c.EventData, err = value.Parse(rc.EventData); err != nil {
			return nil, fmt.Errorf("event_data: %w", err)
		}
	}
	collects := ep != nil && ep.EventData
	c.Event = c.EventData.Kind != value.Null || rc.TriggerID != nil && collects
	c.ReadsEvent = c.Event && collects
	c.Updates = len(rc.Updates)
	if c.Updates > 0 {
		c.Generator = true
	}
	c.CheckUpdates = b.p.Opts.Trace && c.Updates > 0 && !b.masked(c, "/updates")
	if rc.Status == recording.Failed {
		c.Error = rc.Error
		if c.Error == nil {
			c.Error = &recording.Error{}
		}
		return c, nil
	}
	c.Outputs = make([]Output, 0, len(rc.Outputs))
	for i, raw := range rc.Outputs {
		o, err := b.output(c, i, raw)
		if err != nil {
			return nil, fmt.Errorf("output %d: %w", i, err)
		}
		c.Outputs = append(c.Outputs, o)
	}
	return c, nil
}

func (b *builder) mode(c *Call, ep *recording.Endpoint) Mode {
	switch {
	case ep != nil && !ep.BackendFn:
		return UIOnly
	case c.APIName == "" || ep != nil && ep.Visibility == recording.Private:
		return Private
	case ep != nil && ep.Visibility == recording.Public && c.Named:
		return Keywords
	}
	return Positional
}

// namesMatch reports whether the recorded inputs are the endpoint's
// parameters, by name and in order.
func namesMatch(ep *recording.Endpoint, rc *recording.Call) bool {
	if ep == nil || len(ep.Parameters) != len(rc.Inputs) {
		return false
	}
	for i, p := range ep.Parameters {
		if p.Name == "" || p.Name != rc.Inputs[i].Name {
			return false
		}
	}
	return true
}

func (b *builder) args(rc *recording.Call, ep *recording.Endpoint) ([]Arg, error) {
	if len(rc.Inputs) == 0 && len(rc.Data) > 0 {
		// No named inputs: take the raw data without the skipped slots.
		var out []Arg
		for i, raw := range rc.Data {
			if ep != nil && i < len(ep.Inputs) && ep.Inputs[i].Skip {
				continue
			}
			v, err := b.input(raw)
			if err != nil {
				return nil, fmt.Errorf("data %d: %w", i, err)
			}
			out = append(out, Arg{Name: fmt.Sprintf("param_%d", len(out)), Value: v})
		}
		return out, nil
	}
	out := make([]Arg, 0, len(rc.Inputs))
	for _, in := range rc.Inputs {
		v, err := b.input(in.Value)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", in.Name, err)
		}
		out = append(out, Arg{Name: in.Name, Value: v})
	}
	return out, nil
}

// slots returns the values of every input of ep as the queue takes them
// (see Call.Slots), or args when the schema does not fit the arguments.
func (b *builder) slots(rc *recording.Call, ep *recording.Endpoint, args []Arg) ([]value.Value, error) {
	if ep == nil {
		return values(args), nil
	}
	all := make([]value.Value, 0, len(ep.Inputs))
	k := 0
	for i, in := range ep.Inputs {
		if !in.Skip {
			if k >= len(args) {
				return values(args), nil
			}
			all = append(all, args[k].Value)
			k++
			continue
		}
		var v value.Value // null: the server holds a State's value
		if in.Type != "state" && i < len(rc.Data) {
			var err error
			if v, err = b.input(rc.Data[i]); err != nil {
				return nil, fmt.Errorf("data %d: %w", i, err)
			}
		}
		all = append(all, v)
	}
	if k != len(args) {
		return values(args), nil
	}
	return all, nil
}

func values(args []Arg) []value.Value {
	out := make([]value.Value, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

// input parses an input value, turns its FileData objects into files and
// its strings that hold named secrets into Secret values.
func (b *builder) input(raw []byte) (value.Value, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return v, err
	}
	return b.withSecrets(b.withFiles(v)), nil
}

// withSecrets returns v with each string that holds a named secret's
// placeholder made a Secret value, noting the names, and notes the
// anonymous placeholder recording.Redacted. Object keys stay literal. It
// changes v's arrays and objects in place: v is a value input has just
// parsed, which nothing else holds.
func (b *builder) withSecrets(v value.Value) value.Value {
	switch v.Kind {
	case value.String:
		if strings.Contains(v.Text, recording.Redacted) {
			b.redacted = true
		}
		parts := recording.SplitSecrets(v.Text)
		if len(parts) == 1 && parts[0].Secret == "" {
			return v
		}
		out := value.Value{Kind: value.Secret}
		for _, part := range parts {
			if part.Secret != "" {
				b.secrets[part.Secret] = true
			}
			out.Parts = append(out.Parts, value.Part{Text: part.Text, Secret: part.Secret})
		}
		return out
	case value.Array:
		for i, it := range v.Items {
			v.Items[i] = b.withSecrets(it)
		}
	case value.Object:
		for i, f := range v.Fields {
			if strings.Contains(f.Key, recording.Redacted) {
				b.redacted = true
			}
			v.Fields[i].Value = b.withSecrets(f.Value)
		}
	}
	return v
}

func (b *builder) withFiles(v value.Value) value.Value {
	switch v.Kind {
	case value.Object:
		if ref := b.fileRef(v); ref != nil {
			return value.Value{Kind: value.File, File: ref}
		}
		var out []value.Field
		for i, f := range v.Fields {
			nv := b.withFiles(f.Value)
			if nv.Kind == value.File || nv.HasFile() {
				if out == nil {
					out = append([]value.Field(nil), v.Fields...)
				}
				out[i].Value = nv
			}
		}
		if out != nil {
			v.Fields = out
		}
	case value.Array:
		var out []value.Value
		for i, it := range v.Items {
			nv := b.withFiles(it)
			if nv.Kind == value.File || nv.HasFile() {
				if out == nil {
					out = append([]value.Value(nil), v.Items...)
				}
				out[i] = nv
			}
		}
		if out != nil {
			v.Items = out
		}
	}
	return v
}

// IsFileData reports whether v is a Gradio FileData object (or a recorded
// reference to a fixture).
func IsFileData(v value.Value) bool {
	if v.Kind != value.Object {
		return false
	}
	if fx, ok := v.Get("fixture"); ok && fx.Kind == value.String {
		return true
	}
	meta, ok := v.Get("meta")
	if !ok {
		return false
	}
	t, _ := meta.Get("_type")
	return t.Str() == "gradio.FileData"
}

func (b *builder) fileRef(v value.Value) *value.FileRef {
	if !IsFileData(v) {
		return nil
	}
	orig, _ := v.Get("orig_name")
	if fx, ok := v.Get("fixture"); ok && fx.Kind == value.String {
		name := fx.Text
		return &value.FileRef{Path: b.fixture(name, orig.Str()), Fixture: name, OrigName: orig.Str()}
	}
	for _, k := range []string{"url", "path"} {
		u, _ := v.Get(k)
		if s := u.Str(); strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
			return &value.FileRef{URL: s, OrigName: orig.Str()}
		}
	}
	return nil
}

// fixture returns the path under which the code reads the recording's file
// name: fixtures/<its original name>, made safe as one path element, or
// fixtures/<first 12 hex digits of its hash>/<name> when another file took
// that name first (names compared as a case-insensitive file system does).
func (b *builder) fixture(name, origName string) string {
	if p, ok := b.fixtures[name]; ok {
		return p
	}
	f := b.files[name]
	sum, base := "", origName
	if f != nil {
		sum = f.SHA256
		if f.OrigName != "" {
			base = f.OrigName
		}
	}
	if sum == "" {
		sum, _, _ = strings.Cut(name, "/")
	}
	if base == "" {
		base = path.Base(name)
	}
	base = SafeName(base)
	dir := SafeName(sum)
	if r := []rune(dir); len(r) > 12 {
		dir = string(r[:12])
	}
	root := b.p.Opts.FixtureDir
	if root == "" {
		root = "fixtures"
	}
	p := root + "/" + base
	for i := 1; !b.free(p); i++ {
		switch i {
		case 1:
			p = root + "/" + dir + "/" + base
		case 2:
			p = root + "/" + SafeName(sum) + "/" + base
		default:
			p = fmt.Sprintf("%s/%s-%d/%s", root, SafeName(sum), i-1, base)
		}
	}
	b.take(p)
	b.fixtures[name] = p
	fx := Fixture{Path: p}
	if f != nil {
		fx.File = *f
	} else {
		fx.File = recording.File{Name: name, OrigName: origName}
		fx.Missing = true
	}
	b.p.Fixtures = append(b.p.Fixtures, fx)
	return p
}

// free reports whether no fixture path taken is p, or a folder of p, or
// inside p, letters compared without case.
func (b *builder) free(p string) bool {
	p = strings.ToLower(p)
	for q := range b.used {
		if q == p || strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
			return false
		}
	}
	return true
}

// take marks the fixture path p taken.
func (b *builder) take(p string) { b.used[strings.ToLower(p)] = true }

// SafeName makes s usable as one element of a relative path on every
// system: no separators, control characters or characters Windows refuses,
// not "." or "..", not starting with "-" (an option to curl and shells), at
// most 100 bytes. Names that need nothing keep every character.
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '/' || r == '\\' || r < 0x20 || r == 0x7f || r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			b.WriteByte('_')
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimRight(out, ".")
	for len(out) > 100 {
		_, n := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-n]
	}
	if out == "" || out == "." || out == ".." {
		return "file"
	}
	if out[0] == '-' {
		out = "_" + out[1:]
	}
	return out
}

func (b *builder) output(c *Call, i int, raw []byte) (Output, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return Output{}, err
	}
	o := Output{Name: outputName(c, i), Value: v, Raw: raw}
	whole, parts := b.masks(c, i)
	if whole != "" {
		o.Check, o.Reason = Skipped, "masked at "+whole
		return o, nil
	}
	if !b.p.Opts.Trace && uiUpdate(v) {
		// How the page shows a component, which a Gradio upgrade changes.
		o.Check, o.Reason = Skipped, "an update of how the page shows it, without a value"
		return o, nil
	}
	if IsFileData(v) {
		fx, _ := v.Get("fixture")
		if f := b.files[fx.Str()]; f != nil && f.SHA256 != "" {
			o.Check, o.SHA256 = FileHash, f.SHA256
			return o, nil
		}
		o.Check, o.Reason = Skipped, "a file whose bytes were not recorded"
		return o, nil
	}
	if hasFileData(v) {
		o.Check, o.Reason = Skipped, "holds files, whose paths differ between runs"
		return o, nil
	}
	for _, ptr := range parts {
		if p, ok := resolve(o.Value, ptr); ok && !slices.ContainsFunc(o.Masked, func(q Path) bool { return slices.Equal(p, q) }) {
			o.Value = setNull(o.Value, p)
			o.Masked = append(o.Masked, p)
		}
	}
	return o, nil
}

// uiUpdate reports whether v is a component update without a value:
// {"__type__": "update", "interactive": false}.
func uiUpdate(v value.Value) bool {
	t, _ := v.Get("__type__")
	_, hasValue := v.Get("value")
	return v.Kind == value.Object && t.Str() == "update" && !hasValue
}

// outputName names output i of c for failure messages: "output 0", with the
// label of the return value in the recorded schema when there is one.
func outputName(c *Call, i int) string {
	name := fmt.Sprintf("output %d", i)
	if c.Endpoint != nil && i < len(c.Endpoint.Returns) && c.Endpoint.Returns[i].Label != "" {
		name += " (" + Text(c.Endpoint.Returns[i].Label, 40) + ")"
	}
	return name
}

func hasFileData(v value.Value) bool {
	if IsFileData(v) {
		return true
	}
	for _, it := range v.Items {
		if hasFileData(it) {
			return true
		}
	}
	for _, f := range v.Fields {
		if hasFileData(f.Value) {
			return true
		}
	}
	return false
}

// masked reports whether a mask of the recording that applies to c has the
// path p.
func (b *builder) masked(c *Call, p string) bool {
	for _, m := range b.p.Rec.Masks {
		if b.applies(m, c) && m.Path == p {
			return true
		}
	}
	return false
}

// applies reports whether mask m applies to call c.
func (b *builder) applies(m recording.Mask, c *Call) bool {
	return (m.Endpoint == "" || m.Endpoint == c.APIName) && (m.Call == 0 || m.Call == c.Rec.ID)
}

// masks returns the masks of the recording that apply to output i of c: the
// path of one that covers all of it, or else the JSON Pointers, relative to
// the output, of those that cover parts of it.
func (b *builder) masks(c *Call, i int) (whole string, parts []string) {
	prefix := fmt.Sprintf("/%d", i)
	for _, m := range b.p.Rec.Masks {
		if !b.applies(m, c) {
			continue
		}
		switch {
		case m.Path == "" || m.Path == "/" || m.Path == prefix:
			return m.Path, nil
		case strings.HasPrefix(m.Path, prefix+"/"):
			parts = append(parts, strings.TrimPrefix(m.Path, prefix))
		}
	}
	return "", parts
}

// resolve follows a JSON Pointer ("/a/0", with ~1 for / and ~0 for ~ in
// keys) into v and returns it as a Path, and whether v has that part.
func resolve(v value.Value, ptr string) (Path, bool) {
	if ptr == "" {
		return Path{}, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	var p Path
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v.Kind {
		case value.Object:
			f, ok := v.Get(tok)
			if !ok {
				return nil, false
			}
			p, v = append(p, tok), f
		case value.Array:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(v.Items) || tok != strconv.Itoa(n) {
				return nil, false
			}
			p, v = append(p, n), v.Items[n]
		default:
			return nil, false
		}
	}
	return p, true
}

// setNull returns v with null at path p, which v has; v itself is not
// changed.
func setNull(v value.Value, p Path) value.Value {
	if len(p) == 0 {
		return value.Value{Kind: value.Null}
	}
	switch k := p[0].(type) {
	case string:
		fields := slices.Clone(v.Fields)
		for i := range fields {
			if fields[i].Key == k {
				fields[i].Value = setNull(fields[i].Value, p[1:])
			}
		}
		v.Fields = fields
	case int:
		items := slices.Clone(v.Items)
		items[k] = setNull(items[k], p[1:])
		v.Items = items
	}
	return v
}

// Ident turns s into an identifier of letters, digits and underscores that
// starts with a letter, or "" when s has none of them.
func Ident(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "s" + out
	}
	return out
}

// Positions returns where each output of c is in a list of the outputs of
// its dependency without those for which drop is true: c.Outputs[i] is at
// pos[i] of a list of n. /call keeps every output (State as null) and
// @gradio/client drops only State, while c.Outputs holds the API outputs
// alone (the recording's schema marks the others skip). ok is false when
// the schema is unknown or does not fit the outputs.
func (c *Call) Positions(drop func(recording.Component) bool) (pos []int, n int, ok bool) {
	if c.Endpoint == nil {
		return nil, 0, false
	}
	for _, comp := range c.Endpoint.Outputs {
		if drop(comp) {
			if !comp.Skip {
				return nil, 0, false // an API output would be lost
			}
			continue
		}
		if !comp.Skip {
			pos = append(pos, n)
		}
		n++
	}
	if len(pos) != len(c.Outputs) {
		return nil, 0, false
	}
	return pos, n, true
}

// LeftOutNote is the one comment on the calls of s that the intent form
// leaves out, or "".
func (s *Session) LeftOutNote() string {
	switch s.LeftOut {
	case 0:
		return ""
	case 1:
		return "1 recorded call that only changed how the page looks is left out."
	}
	return fmt.Sprintf("%d recorded calls that only changed how the page looks are left out.", s.LeftOut)
}

// Replayed returns the calls of s that are replayed.
func (s *Session) Replayed() []*Call {
	var out []*Call
	for _, c := range s.Calls {
		if c.Skip == "" {
			out = append(out, c)
		}
	}
	return out
}

// Text makes s safe inside a one-line comment of any language: line breaks,
// control and invisible characters and lone surrogates are written as Go
// escapes, "*/" is broken up, and the text is cut at max runes with "…".
func Text(s string, max int) string {
	s = value.Go(s)
	q := strconv.Quote(s)
	q = q[1 : len(q)-1]
	q = strings.ReplaceAll(q, `\"`, `"`)
	q = strings.ReplaceAll(q, "*/", "* /")
	if utf8.RuneCountInString(q) > max {
		r := []rune(q)
		q = string(r[:max]) + "…"
	}
	return q
}

// Label is how comments name a call: "3 /calculate" or "3 fn_index 7".
func (c *Call) Label() string { return fmt.Sprintf("%d %s", c.Rec.ID, Text(c.Note, 60)) }

// Replayable reports whether some call of s is replayed by a language that
// can make calls of the given modes.
func (s *Session) Replayable(private bool) bool {
	for _, c := range s.Calls {
		if c.Skip == "" && (private || c.Mode != Private) {
			return true
		}
	}
	return false
}

// A Client is what an official client can send.
type Client struct {
	Name      string // how reasons name it: "gradio_client"
	Private   bool   // it calls private endpoints, by fn_index
	EventData bool   // it sends a call's event data and trigger id
}

// Lost returns why the client cl cannot reproduce the outputs of calls of s,
// by call: those whose function reads gr.EventData when cl cannot send it,
// and those that read a gr.State that a call cl cannot make (a private one),
// or a call of this list, changed. The calls are still made, for the State
// they change; their outputs cannot be expected to match.
func (s *Session) Lost(cl Client) map[*Call]string {
	lost := map[*Call]string{}
	tainted := map[int]string{} // State component id -> why its value differs
	for _, c := range s.Calls {
		if c.Skip != "" || c.Endpoint == nil {
			continue
		}
		why, cause := "", "" // why its outputs differ; why the State it writes does
		for _, in := range c.Endpoint.Inputs {
			if r, ok := tainted[in.ID]; ok && in.Type == "state" {
				why, cause = "it reads a gr.State that "+r, r
				break
			}
		}
		made := cl.Private || c.Mode != Private
		switch {
		case !made:
			cause = fmt.Sprintf("call %s changed, a private endpoint that %s cannot call", c.Label(), cl.Name)
		case why != "":
		case c.ReadsEvent && !cl.EventData:
			why = fmt.Sprintf("it reads gr.EventData, and %s cannot send the event's data", cl.Name)
			if c.Rec.TriggerID != nil {
				why = fmt.Sprintf("it reads gr.EventData, and %s cannot send the trigger id", cl.Name)
			}
			cause = fmt.Sprintf("call %s changed from gr.EventData, which %s cannot send", c.Label(), cl.Name)
		}
		if made && why != "" {
			lost[c] = why
		}
		if cause == "" {
			continue
		}
		for _, out := range c.Endpoint.Outputs {
			if out.Type == "state" {
				tainted[out.ID] = cause
			}
		}
	}
	return lost
}

// Wrap breaks s between words into lines of at most room columns as width
// measures them (a longer word has a line of its own).
func Wrap(s string, room int, width func(string) int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && width(line+" "+word) > room {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
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
func (p *Plan) Streams() bool {
	for _, s := range p.Sessions {
		for _, c := range s.Calls {
			if c.Skip == "" && c.Generator {
				return true
			}
		}
	}
	return false
}
