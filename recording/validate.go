package recording

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Validate checks that the recording is consistent, and returns a
// *ValidationError listing every problem, or nil. Load and Save call it, so
// every document on disk passes. It checks:
//   - format, when set, is Format;
//   - endpoints: unique fn_index; visibility Public, Undocumented or Private;
//     api_name, when set, starts with "/"; components have a type;
//   - sessions: non-empty, unique ids and hashes;
//   - calls: ids positive, unique and ascending; the session is listed; the
//     fn_index is an endpoint, with the same api_name; via is ViaQueue or
//     ViaRun; status is Completed, Failed, Cancelled or Incomplete; input
//     names non-empty and unique; duration and server_time not negative; log
//     levels known; every raw value is valid JSON; every "fixture" key names
//     a listed file;
//   - files: names "<sha256>/<name>" matching sha256, unique; size not
//     negative; role RoleInput or RoleOutput;
//   - masks: path a JSON Pointer; call and endpoint, when set, exist.
//
// It does not look at the files folder: see CheckFiles.
func (r *Recording) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if r.Format != "" && r.Format != Format {
		add("format %q is not %s", r.Format, Format)
	}

	apiNames := map[string]bool{}
	fnIndexes := map[int]*Endpoint{}
	for i := range r.App.Endpoints {
		e := &r.App.Endpoints[i]
		where := fmt.Sprintf("endpoint fn_index %d", e.FnIndex)
		if fnIndexes[e.FnIndex] != nil {
			add("%s: fn_index listed twice", where)
		}
		fnIndexes[e.FnIndex] = e
		switch e.Visibility {
		case Public, Undocumented, Private:
		default:
			add("%s: unknown visibility %q (want %q, %q or %q)", where, e.Visibility, Public, Undocumented, Private)
		}
		if e.APIName != "" {
			if !strings.HasPrefix(e.APIName, "/") {
				add("%s: api_name %q does not start with /", where, e.APIName)
			}
			apiNames[e.APIName] = true
		}
		for j, c := range e.Inputs {
			if c.Type == "" {
				add("%s: input %d (component %d) has no type", where, j, c.ID)
			}
		}
		for j, c := range e.Outputs {
			if c.Type == "" {
				add("%s: output %d (component %d) has no type", where, j, c.ID)
			}
		}
		for j, p := range e.Parameters {
			if !validRaw(p.Type) {
				add("%s: parameter %d type: not valid JSON", where, j)
			}
			if !validRaw(p.Default) {
				add("%s: parameter %d default: not valid JSON", where, j)
			}
		}
		for j, p := range e.Returns {
			if !validRaw(p.Type) {
				add("%s: return %d type: not valid JSON", where, j)
			}
		}
	}

	sessions := map[string]bool{}
	hashes := map[string]bool{}
	for i, s := range r.Sessions {
		switch {
		case s.ID == "":
			add("session %d: no id", i+1)
		case sessions[s.ID]:
			add("session %q: listed twice", s.ID)
		}
		sessions[s.ID] = true
		if s.Hash != "" && hashes[s.Hash] {
			add("session %q: hash %q is also another session's", s.ID, s.Hash)
		}
		hashes[s.Hash] = true
	}

	files := map[string]bool{}
	for i, f := range r.Files {
		where := fmt.Sprintf("file %d", i+1)
		if f.Name != "" {
			where = "file " + f.Name
		}
		if err := checkFixtureName(f.Name); err != nil {
			add("%s: %v", where, err)
		} else if !strings.HasPrefix(f.Name, f.SHA256+"/") {
			add("%s: name does not start with its sha256 %q", where, f.SHA256)
		}
		if !isHex64(f.SHA256) {
			add("%s: sha256 %q is not 64 lower-case hex digits", where, f.SHA256)
		}
		if files[f.Name] {
			add("%s: listed twice", where)
		}
		files[f.Name] = true
		if f.Size < 0 {
			add("%s: negative size %d", where, f.Size)
		}
		if f.Role != RoleInput && f.Role != RoleOutput {
			add("%s: unknown role %q (want %q or %q)", where, f.Role, RoleInput, RoleOutput)
		}
	}

	calls := map[int]*Call{}
	lastID := 0
	for i := range r.Calls {
		c := &r.Calls[i]
		where := "call " + strconv.Itoa(c.ID)
		switch {
		case c.ID <= 0:
			add("%s (position %d): id must be positive", where, i+1)
		case calls[c.ID] != nil:
			add("%s: id used twice", where)
		case c.ID < lastID:
			add("%s: ids must ascend, but it follows call %d", where, lastID)
		}
		calls[c.ID] = c
		lastID = max(lastID, c.ID)
		if !sessions[c.Session] {
			add("%s: session %q is not in sessions", where, c.Session)
		}
		if e := fnIndexes[c.FnIndex]; e == nil {
			add("%s: fn_index %d is not an endpoint of the app", where, c.FnIndex)
		} else if c.APIName != "" && c.APIName != e.APIName {
			add("%s: api_name %q, but endpoint fn_index %d is %q", where, c.APIName, c.FnIndex, e.APIName)
		}
		if c.Via != ViaQueue && c.Via != ViaRun {
			add("%s: unknown via %q (want %q or %q)", where, c.Via, ViaQueue, ViaRun)
		}
		switch c.Status {
		case Completed, Failed, Cancelled, Incomplete:
		default:
			add("%s: unknown status %q (want %q, %q, %q or %q)", where, c.Status, Completed, Failed, Cancelled, Incomplete)
		}
		for j, a := range c.Inputs {
			switch {
			case a.Name == "":
				add("%s: input %d has no name", where, j)
			case slices.ContainsFunc(c.Inputs[:j], func(b Arg) bool { return b.Name == a.Name }):
				add("%s: input %q given twice", where, a.Name)
			}
			if !validRaw(a.Value) {
				add("%s: input %q: not valid JSON", where, a.Name)
			}
		}
		for j, d := range c.Data {
			if !validRaw(d) {
				add("%s: data %d: not valid JSON", where, j)
			}
		}
		if !validRaw(c.EventData) {
			add("%s: event_data: not valid JSON", where)
		}
		for j, o := range c.Outputs {
			if !validRaw(o) {
				add("%s: output %d: not valid JSON", where, j)
			}
		}
		for j, u := range c.Updates {
			for k, o := range u {
				if !validRaw(o) {
					add("%s: update %d output %d: not valid JSON", where, j, k)
				}
			}
		}
		if c.Duration < 0 {
			add("%s: negative duration %g", where, c.Duration)
		}
		if c.ServerTime < 0 {
			add("%s: negative server_time %g", where, c.ServerTime)
		}
		for j, l := range c.Log {
			switch l.Level {
			case "info", "warning", "success", "error":
			default:
				add("%s: log %d: unknown level %q (want info, warning, success or error)", where, j, l.Level)
			}
		}
		for fd := range c.FileDatas() {
			if fd.Fixture != "" && !files[fd.Fixture] {
				add("%s: %s refers to fixture %q, which is not in files", where, fd.Pointer, fd.Fixture)
			}
		}
	}

	for i, m := range r.Masks {
		where := fmt.Sprintf("mask %d", i+1)
		if err := checkPointer(m.Path); err != nil {
			add("%s: %v", where, err)
		}
		c := calls[m.Call]
		if m.Call != 0 && c == nil {
			add("%s: call %d does not exist", where, m.Call)
		}
		if m.Endpoint != "" {
			if !apiNames[m.Endpoint] {
				add("%s: endpoint %q is not an api_name of the app", where, m.Endpoint)
			}
			if c != nil && c.APIName != m.Endpoint {
				add("%s: call %d is %q, not endpoint %q", where, m.Call, c.APIName, m.Endpoint)
			}
		}
	}

	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// validRaw reports whether a raw value is absent or valid JSON.
func validRaw(v json.RawMessage) bool { return len(v) == 0 || json.Valid(v) }

// checkPointer reports why p is not a JSON Pointer (RFC 6901), or nil.
func checkPointer(p string) error {
	if p != "" && p[0] != '/' {
		return fmt.Errorf("path %q is not a JSON Pointer (it must be empty or start with /)", p)
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 == len(p) || (p[i+1] != '0' && p[i+1] != '1')) {
			return fmt.Errorf("path %q: ~ must be followed by 0 or 1", p)
		}
	}
	return nil
}
