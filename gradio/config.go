package gradio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Config is the part of an app's config (GET <root>/config, or the page's
// inlined window.gradio_config) that clients use. It decodes from the config
// JSON of Gradio 4.x, 5.x and 6.x with encoding/json; fields absent in an
// older version keep their zero value.
type Config struct {
	// Version is the Gradio version, e.g. "6.31.0".
	Version string `json:"version"`
	// APIPrefix is "/gradio_api" since 5.0 and "" in 4.x.
	APIPrefix string `json:"api_prefix"`
	// Protocol is the queue protocol; "sse_v3" since 4.22.
	Protocol string `json:"protocol"`
	// Mode is "blocks", "interface" or "chat_interface".
	Mode string `json:"mode"`
	// Root is the public root URL the server believes it has.
	Root string `json:"root"`
	// SpaceID is the Hugging Face Space id when the app runs on a Space.
	SpaceID string `json:"space_id"`
	// ConnectHeartbeat tells clients to hold the heartbeat stream open;
	// nil when the server does not say (treated as true).
	ConnectHeartbeat *bool `json:"connect_heartbeat"`
	// MaxFileSize is the upload limit in bytes; nil means no limit.
	MaxFileSize *int64 `json:"max_file_size"`
	// AuthRequired is true in the stub config a login-protected page
	// inlines before login.
	AuthRequired bool `json:"auth_required"`
	// Components lists every component of the app.
	Components []Component `json:"components"`
	// Dependencies lists every event listener; a dependency's ID is the
	// fn_index that requests carry.
	Dependencies []Dependency `json:"dependencies"`
}

// Component is one block of the app's config.
type Component struct {
	// ID is the component id that dependencies refer to.
	ID int `json:"id"`
	// Type is the lowercase class name, e.g. "textbox", "state", "row".
	Type string `json:"type"`
	// SkipAPI is true for components that are not API inputs or outputs
	// (State, Button, layout blocks); nil when the server does not say
	// (before Gradio 4.x), in which case the type decides.
	SkipAPI *bool `json:"skip_api"`
	// Props holds the component's properties (label, value, ...).
	Props map[string]any `json:"props"`
	// APIInfo is the JSON schema of the component's value.
	APIInfo json.RawMessage `json:"api_info,omitempty"`
}

// skipComponents are the types the Python client skips when the config does
// not carry skip_api (utils.SKIP_COMPONENTS).
var skipComponents = map[string]bool{
	"state": true, "row": true, "column": true, "tabs": true, "tab": true, "tabitem": true,
	"box": true, "form": true, "accordion": true, "group": true, "interpretation": true,
	"dataset": true, "sidebar": true,
}

// Skipped reports whether the component is left out of the API: its input
// slot is sent as null and its output slot is dropped from results.
func (c *Component) Skipped() bool {
	if c.SkipAPI != nil {
		return *c.SkipAPI
	}
	return skipComponents[c.Type]
}

// Label returns the component's label property, or "".
func (c *Component) Label() string { return labelText(c.Props["label"]) }

// Dependency is one event listener of the app's config.
type Dependency struct {
	// ID is the fn_index that identifies the dependency in requests.
	ID int `json:"id"`
	// APIName is the api name without its leading slash; "" when the
	// dependency has none (api_name false or null before Gradio 6).
	APIName string `json:"api_name"`
	// Inputs and Outputs are component ids, in the order of the data arrays.
	Inputs  []int `json:"inputs"`
	Outputs []int `json:"outputs"`
	// BackendFn is false for UI-only listeners (js only, no function);
	// true when the config does not say.
	BackendFn bool `json:"backend_fn"`
	// Queue is false for listeners run outside the queue (/run/predict).
	Queue *bool `json:"queue"`
	// Types says whether the function is a generator or a cancel helper.
	Types struct {
		Generator bool `json:"generator"`
		Cancel    bool `json:"cancel"`
	} `json:"types"`
	// Cancels lists the ids of the dependencies this one cancels.
	Cancels []int `json:"cancels"`
	// TriggerAfter is the id of the dependency this one is chained after
	// (.then, .success, .failure); nil when it is not chained.
	TriggerAfter *int `json:"trigger_after"`
	// TriggerOnlyOnSuccess is true for a .success listener: it runs only
	// when its parent succeeded. TriggerOnlyOnFailure is true for .failure.
	TriggerOnlyOnSuccess bool `json:"trigger_only_on_success"`
	TriggerOnlyOnFailure bool `json:"trigger_only_on_failure"`
	// CollectsEventData is true when the function takes a gr.EventData:
	// its requests carry the event's data.
	CollectsEventData bool `json:"collects_event_data"`
	// Visibility is "public", "undocumented" or "private", from 6.x
	// api_visibility, or for 4.x/5.x from show_api and from what the
	// official clients refuse to call by name: a listener without a name or
	// backend function, and a cancel helper, are private. It encodes as
	// api_visibility, so a Config survives a JSON round trip.
	Visibility Visibility `json:"api_visibility"`
	// Connection is "stream" for .stream() listeners, else "sse" or "".
	Connection string `json:"connection"`
	// Targets lists the [component id, event name] pairs that trigger it,
	// as the config has them (kept raw: older versions differ).
	Targets json.RawMessage `json:"targets,omitempty"`
}

// UnmarshalJSON decodes a dependency, normalising api_name (a string, false
// or null) and the visibility flags of every Gradio version.
func (d *Dependency) UnmarshalJSON(b []byte) error {
	type plain Dependency
	var aux struct {
		*plain
		ID            *int            `json:"id"`
		APIName       json.RawMessage `json:"api_name"`
		ShowAPI       *bool           `json:"show_api"`
		APIVisibility string          `json:"api_visibility"`
	}
	aux.plain = (*plain)(d)
	d.BackendFn = true // unless the config says otherwise
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.ID != nil {
		d.ID = *aux.ID
	} else {
		d.ID = -1 // filled from the position by the config decoder
	}
	var name string
	named := json.Unmarshal(aux.APIName, &name) == nil && name != ""
	if named {
		d.APIName = strings.TrimPrefix(name, "/")
	}
	switch {
	case aux.APIVisibility != "":
		d.Visibility = Visibility(aux.APIVisibility)
	case !named || !d.BackendFn || d.Types.Cancel:
		d.Visibility = VisibilityPrivate
	case aux.ShowAPI != nil && !*aux.ShowAPI:
		d.Visibility = VisibilityUndocumented
	default:
		d.Visibility = VisibilityPublic
	}
	return nil
}

// queued reports whether the dependency runs through the queue (the default
// when the config does not say).
func (d *Dependency) queued() bool { return d.Queue == nil || *d.Queue }

// ParseConfig decodes an app's config JSON, as GET <root>/config returns it or
// a page inlines it in window.gradio_config, for tools that capture it
// themselves (Connect reads it on its own). It fails for JSON that is not a
// Gradio config.
func ParseConfig(b []byte) (*Config, error) {
	cfg, err := decodeConfig(b)
	if err != nil {
		return nil, fmt.Errorf("parse gradio config: %w", err)
	}
	return cfg, nil
}

// decodeConfig parses config JSON and checks that it is a Gradio config.
func decodeConfig(b []byte) (*Config, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, err
	}
	_, hasDeps := probe["dependencies"]
	_, hasComps := probe["components"]
	_, hasAuth := probe["auth_required"]
	if !hasDeps && !hasComps && !hasAuth {
		return nil, errors.New("the JSON has no components or dependencies")
	}
	var cfg Config
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, err
	}
	for i := range cfg.Dependencies {
		if cfg.Dependencies[i].ID < 0 {
			cfg.Dependencies[i].ID = i // before 4.x dependencies had no id
		}
	}
	return &cfg, nil
}

// heartbeat reports whether the client should hold the heartbeat open.
func (c *Config) heartbeat() bool {
	return c.ConnectHeartbeat == nil || *c.ConnectHeartbeat
}

// configMarker precedes the config that a Gradio page inlines.
const configMarker = "window.gradio_config = "

// configFromPage extracts window.gradio_config from a Gradio HTML page.
func configFromPage(page []byte) (*Config, bool) {
	i := bytes.Index(page, []byte(configMarker))
	if i < 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(page[i+len(configMarker):]))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, false
	}
	cfg, err := decodeConfig(raw)
	if err != nil {
		return nil, false
	}
	return cfg, true
}

// fetchConfig reads the app's config: GET <root>/config, falling back to the
// config inlined in the page at <root>/ when that does not answer JSON.
func (c *Client) fetchConfig(ctx context.Context) (*Config, error) {
	body, resp, err := c.get(ctx, c.root+"/config")
	if err != nil {
		return nil, err
	}
	if err := c.authStatus(resp, body); err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		if cfg, err := decodeConfig(body); err == nil {
			return cfg, nil
		}
	}
	first := fmt.Sprintf("GET %s/config answered HTTP %d %s", c.root, resp.StatusCode, contentKind(resp, body))

	page, presp, err := c.get(ctx, c.root+"/")
	if err != nil {
		return nil, wrapSentinel(ErrNotGradio, nil, "%s; GET %s/: %v", first, c.root, err)
	}
	if err := c.authStatus(presp, page); err != nil {
		return nil, err
	}
	cfg, ok := configFromPage(page)
	if !ok {
		return nil, wrapSentinel(ErrNotGradio, nil, "%s, and the page at %s/ (HTTP %d) has no window.gradio_config", first, c.root, presp.StatusCode)
	}
	if cfg.AuthRequired {
		return nil, c.loginNeeded("")
	}
	return cfg, nil
}

// contentKind describes a response body briefly for error messages.
func contentKind(resp *http.Response, body []byte) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return "(" + ct + ")"
}

// get performs a GET with the client's headers and returns the whole body
// (at most the client's message size limit).
func (c *Client) get(ctx context.Context, u string) ([]byte, *http.Response, error) {
	req, err := c.newRequest(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.do(c.hc, req, false, c.limits.read)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, c.limits.maxMessage)
	if errors.Is(err, ErrTooLarge) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", u, err)
	}
	return body, resp, nil
}
