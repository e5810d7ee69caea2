package recording

import (
	"encoding/json"
	"time"
)

// Format names the version of the recording document this package writes.
const Format = "gradiorec.recording/v1"

// Recording is one recorded session with a Gradio app: what the app offered
// (its endpoint schema) and every call the page made, in order, with its
// inputs, streamed updates and outputs. It is saved as one JSON document with
// its fixture files in a sibling folder (see Save).
//
// Besides the document, a Recording knows where its fixture bytes are: held
// in memory by AddFile until Save, or in the files folder it was loaded
// from, saved to or recovered from; FileBytes reads them either way. Its
// methods are not safe for concurrent use.
//
// Fields tagged `redact:"-"` are structural (formats, ids, hashes,
// enumerations): redaction leaves them alone (see Redacted).
type Recording struct {
	Format   string    `json:"format" redact:"-"` // always Format when saved
	Created  time.Time `json:"created"`           // when the recording started
	Tool     string    `json:"tool" redact:"-"`   // the tool and version that wrote it, e.g. "gradiorec v1.0.0"
	App      App       `json:"app"`               // the app at record time
	Sessions []Session `json:"sessions"`          // browser sessions, in order of first call
	Calls    []Call    `json:"calls"`             // every captured call, in ascending ID order (the order they started)
	Files    []File    `json:"files,omitzero"`    // fixture files referenced by inputs and outputs
	Masks    []Mask    `json:"masks,omitzero"`    // output paths replay ignores

	// Not part of the document: where the fixture bytes are.
	dir     string            // the files folder on disk (set by Load, Recover, Save and (*Journal).Snapshot)
	held    map[string][]byte // bytes added by AddFile, by SHA256, until Save writes them
	journal string            // the journal this recording was rebuilt from; Save removes it
}

// App describes the recorded Gradio app and its endpoint schema.
type App struct {
	URL       string     `json:"url"`                       // the URL that was opened
	Root      string     `json:"root"`                      // the app's root URL, mount path included, no trailing slash
	APIPrefix string     `json:"api_prefix" redact:"-"`     // "/gradio_api" (5.x and 6.x) or "" (4.x)
	Version   string     `json:"gradio_version" redact:"-"` // the server's Gradio version
	Protocol  string     `json:"protocol" redact:"-"`       // config.protocol, e.g. "sse_v3"
	SpaceID   string     `json:"space_id,omitzero"`         // the Hugging Face Space, when there is one
	Auth      bool       `json:"auth,omitzero"`             // the app needs a login (credentials are never stored)
	Heartbeat bool       `json:"heartbeat,omitzero"`        // config.connect_heartbeat: a client holds a heartbeat stream open, which it must close to end
	Endpoints []Endpoint `json:"endpoints"`                 // every dependency of the app's config, by fn_index; UI-only ones (no backend function) too, with BackendFn false
}

// DiffUpdates reports whether an app of this protocol (App.Protocol) sends
// a generator's later updates as diffs of the one before (sse_v2 and
// later), not as full values.
func DiffUpdates(protocol string) bool {
	switch protocol {
	case "ws", "sse", "sse_v1":
		return false
	}
	return true
}

// Visibility of an endpoint, as Gradio 6 names it (5.x and 4.x map onto it).
const (
	Public       = "public"       // listed in /info and the docs
	Undocumented = "undocumented" // callable, listed only with /info?all_endpoints=true
	Private      = "private"      // not offered to API clients
)

// Endpoint is the recorded schema of one Gradio dependency (an event handler).
type Endpoint struct {
	FnIndex    int         `json:"fn_index"`                     // the dependency id
	APIName    string      `json:"api_name,omitzero"`            // with a leading slash, e.g. "/calculate"
	Visibility string      `json:"visibility" redact:"-"`        // Public, Undocumented or Private
	BackendFn  bool        `json:"backend_fn"`                   // false for UI-only (js) dependencies
	Queue      bool        `json:"queue"`                        // false: called through /run, not the queue
	Generator  bool        `json:"generator,omitzero"`           // the function yields several outputs
	EventData  bool        `json:"collects_event_data,omitzero"` // the function reads gr.EventData: its outputs may depend on the trigger and event data a call sends
	Rendered   bool        `json:"rendered,omitzero"`            // not in the config the page loaded: made at run time by a gr.render function, in the session; known only by its fn_index
	Inputs     []Component `json:"inputs"`                       // one per dependency input, State included
	Outputs    []Component `json:"outputs"`                      // one per dependency output, State included
	Parameters []Parameter `json:"parameters,omitzero"`          // from /info, State excluded
	Returns    []Return    `json:"returns,omitzero"`             // from /info, State excluded
}

// Component is a Gradio component wired to an endpoint's input or output.
type Component struct {
	ID    int    `json:"id"`              // the component id in the app's config
	Type  string `json:"type" redact:"-"` // lower-case class name, e.g. "textbox", "state"
	Label string `json:"label,omitzero"`  // its label, if any
	Skip  bool   `json:"skip,omitzero"`   // not part of the API (State, buttons, layout)
}

// Parameter is one API parameter of an endpoint, as /info describes it.
type Parameter struct {
	Name       string          `json:"name"`                 // parameter_name
	Label      string          `json:"label,omitzero"`       // the component's label
	Component  string          `json:"component" redact:"-"` // e.g. "Textbox"
	PythonType string          `json:"python_type,omitzero"` // e.g. "str", "float", "Literal['add', 'subtract']"
	Type       json.RawMessage `json:"type,omitzero"`        // the JSON schema
	HasDefault bool            `json:"has_default,omitzero"` // the parameter may be left out
	Default    json.RawMessage `json:"default,omitzero"`     // its default, when HasDefault
}

// Return is one API output of an endpoint, as /info describes it.
type Return struct {
	Label      string          `json:"label,omitzero"`       // the component's label
	Component  string          `json:"component" redact:"-"` // e.g. "Image"
	PythonType string          `json:"python_type,omitzero"` // e.g. "filepath"
	Type       json.RawMessage `json:"type,omitzero"`        // the JSON schema
}

// Session is one browser session: the calls that shared a session_hash, and
// so shared gr.State. Generated code uses one client per session.
type Session struct {
	ID   string `json:"id" redact:"-"`   // a short stable id, "s1", "s2", …
	Hash string `json:"hash" redact:"-"` // the session_hash the page used
}

// Call status values.
const (
	Completed  = "completed"  // the function returned
	Failed     = "error"      // the function raised, or the server refused the call
	Cancelled  = "cancelled"  // cancelled by the page (a Stop button)
	Incomplete = "incomplete" // still running when the recording ended
)

// Ways a call reaches the server (Call.Via).
const (
	ViaQueue = "queue" // POST queue/join, results on the queue/data stream
	ViaRun   = "run"   // POST run/<name> (endpoints with queue=False)
)

// Call is one API call the page made.
type Call struct {
	ID         int                 `json:"id"`                           // unique and ascending; the recorder numbers calls 1, 2, … as they start
	Session    string              `json:"session" redact:"-"`           // Session.ID
	FnIndex    int                 `json:"fn_index"`                     // the dependency id
	APIName    string              `json:"api_name,omitzero"`            // the endpoint, e.g. "/calculate"
	Via        string              `json:"via" redact:"-"`               // ViaQueue or ViaRun
	EventID    string              `json:"event_id,omitzero" redact:"-"` // the queue's event id
	Inputs     []Arg               `json:"inputs"`                       // by parameter name, State slots removed
	Data       []json.RawMessage   `json:"data"`                         // the raw data array as sent, State slots included
	EventData  json.RawMessage     `json:"event_data,omitzero"`          // select/like payloads
	TriggerID  *int                `json:"trigger_id,omitzero"`          // the component whose event fired
	Status     string              `json:"status" redact:"-"`            // Completed, Failed, Cancelled or Incomplete
	Outputs    []json.RawMessage   `json:"outputs,omitzero"`             // the final outputs, State slots removed
	Updates    [][]json.RawMessage `json:"updates,omitzero"`             // every intermediate output of a generator, full values, in order
	Log        []Log               `json:"log,omitzero"`                 // gr.Info/Warning/Success messages
	Progress   []Progress          `json:"progress,omitzero"`            // gr.Progress updates
	Error      *Error              `json:"error,omitzero"`               // why the call failed, or why an incomplete one never finished
	Started    time.Time           `json:"started"`                      // when the page sent it
	Duration   float64             `json:"duration"`                     // seconds from send to the last message
	ServerTime float64             `json:"server_time,omitzero"`         // seconds the server reported spending
}

// Arg is one named input value.
type Arg struct {
	Name  string          `json:"name"`  // the parameter name, or "param_<i>" when /info has none
	Value json.RawMessage `json:"value"` // its JSON value; files carry a "fixture" key (see File)
}

// Log is a message the app showed during a call (gr.Info and friends).
type Log struct {
	Level   string `json:"level" redact:"-"` // "info", "warning", "success" or "error"
	Message string `json:"message"`          // the text shown
	Title   string `json:"title,omitzero"`   // the toast's title, if any
}

// Progress is one gr.Progress update: a stack of progress bars.
type Progress struct {
	Bars []Bar `json:"bars"` // outermost first
}

// Bar is one level of a gr.Progress update.
type Bar struct {
	Index    *int     `json:"index,omitzero"`    // steps done, when counted
	Length   *int     `json:"length,omitzero"`   // steps in all, when known
	Unit     string   `json:"unit,omitzero"`     // what a step is, e.g. "steps"
	Progress *float64 `json:"progress,omitzero"` // the fraction done, 0 to 1, when given as one
	Desc     string   `json:"desc,omitzero"`     // the bar's description
}

// Error is how a call failed.
type Error struct {
	Message string `json:"message"`        // the gr.Error message, or the server's error
	Title   string `json:"title,omitzero"` // the gr.Error title
	HTTP    int    `json:"http,omitzero"`  // the HTTP status when the server refused the call
}

// Fixture roles (File.Role).
const (
	RoleInput  = "input"  // uploaded by the page; always stored unless it holds a secret
	RoleOutput = "output" // returned by the app; may be left out above MaxOutputSize
)

// File is a fixture: the exact bytes of an uploaded input or of an output
// file, saved under Name in the recording's files folder. A FileData value in
// Inputs, Data, Outputs or Updates that refers to it carries the key
// "fixture" with that Name. One entry per content: files are deduplicated by
// SHA256.
type File struct {
	Name     string `json:"name" redact:"fixture"`         // content-addressed: "<sha256 hex>/<original name, made safe>"
	OrigName string `json:"orig_name"`                     // the file's name as the user had it
	MIMEType string `json:"mime_type,omitzero" redact:"-"` // e.g. "image/png", when known
	Size     int64  `json:"size"`                          // in bytes
	SHA256   string `json:"sha256" redact:"-"`             // of the bytes, lower-case hex
	Role     string `json:"role" redact:"-"`               // RoleInput or RoleOutput
	Stored   bool   `json:"stored"`                        // the bytes are in the files folder (outputs above a size limit, or bytes holding a secret, are left out)
}

// UpdatesPath is the Path of a mask that stands for a stream's intermediate
// updates, their number and contents, so that only its final output is
// compared. It is no pointer into the outputs, which are indexed by number.
const UpdatesPath = "/updates"

// Mask tells replay to ignore a part of an output.
type Mask struct {
	Endpoint string `json:"endpoint,omitzero"` // the api_name it applies to; empty: every call
	Call     int    `json:"call,omitzero"`     // a Call.ID it applies to; 0: every call of Endpoint
	Path     string `json:"path" redact:"-"`   // a JSON Pointer into the outputs, e.g. "/0/timestamp"; "/updates": a stream's updates (number and contents), so that only its final output is compared
	Reason   string `json:"reason,omitzero"`   // "learned" or a person's note
}
