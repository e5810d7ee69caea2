package recorder

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// appModel is what the capture core knows about the app: its recording.App
// snapshot and the tables that map a request's fn_index to an endpoint.
type appModel struct {
	app   recording.App
	deps  map[int]*dependency // by dependency id (the fn_index)
	comps map[int]*component  // by component id
	diffs bool                // generator updates arrive as diffs (sse_v2 and later)
	then  map[int][]int       // dependency id → the ids chained after it (.then, .success, .failure)
}

// dependency is one event listener of the app's config.
type dependency struct {
	id        int
	cancels   []int
	cancel    bool // a cancel helper (types.cancel)
	backend   bool // has a backend function: running it makes a call
	onSuccess bool // chained with .success: runs only when its parent succeeded
	onFailure bool // chained with .failure: runs only when its parent failed
	inputs    []int
	outputs   []int
	endpoint  *recording.Endpoint
	paramName []string // per dependency input: its API name, "" for skipped slots
}

// component is one block of the app's config.
type component struct {
	id       int
	typ      string
	label    string
	skip     bool
	password bool // a gr.Textbox(type="password"): what is typed into it is a secret
}

// configJSON is the part of a Gradio config (window.gradio_config or GET
// <root>/config) the recorder reads; it decodes configs of Gradio 4.x, 5.x
// and 6.x.
type configJSON struct {
	Version      string           `json:"version"`
	APIPrefix    string           `json:"api_prefix"`
	Protocol     string           `json:"protocol"`
	Root         string           `json:"root"`
	SpaceID      *string          `json:"space_id"`
	AuthRequired bool             `json:"auth_required"`
	Components   []componentJSON  `json:"components"`
	Dependencies []dependencyJSON `json:"dependencies"`
}

type componentJSON struct {
	ID      int            `json:"id"`
	Type    string         `json:"type"`
	SkipAPI *bool          `json:"skip_api"`
	Props   map[string]any `json:"props"`
}

type dependencyJSON struct {
	ID            *int            `json:"id"`
	APIName       json.RawMessage `json:"api_name"`       // a string, false or null
	APIVisibility string          `json:"api_visibility"` // 6.x
	ShowAPI       *bool           `json:"show_api"`       // 4.x, 5.x
	BackendFn     *bool           `json:"backend_fn"`
	Queue         *bool           `json:"queue"`
	Inputs        []int           `json:"inputs"`
	Outputs       []int           `json:"outputs"`
	Cancels       []int           `json:"cancels"`
	TriggerAfter  *int            `json:"trigger_after"`
	OnSuccess     *bool           `json:"trigger_only_on_success"`
	OnFailure     *bool           `json:"trigger_only_on_failure"`
	EventData     bool            `json:"collects_event_data"`
	Types         struct {
		Generator bool `json:"generator"`
		Cancel    bool `json:"cancel"`
	} `json:"types"`
}

// infoJSON is GET <api>/info?all_endpoints=true.
type infoJSON struct {
	NamedEndpoints map[string]struct {
		Parameters []struct {
			Label        label           `json:"label"`
			Name         string          `json:"parameter_name"`
			HasDefault   bool            `json:"parameter_has_default"`
			Default      json.RawMessage `json:"parameter_default"`
			Type         json.RawMessage `json:"type"`
			PythonType   pythonType      `json:"python_type"`
			Component    string          `json:"component"`
			ExampleInput json.RawMessage `json:"example_input"`
		} `json:"parameters"`
		Returns []struct {
			Label      label           `json:"label"`
			Type       json.RawMessage `json:"type"`
			PythonType pythonType      `json:"python_type"`
			Component  string          `json:"component"`
		} `json:"returns"`
	} `json:"named_endpoints"`
}

type pythonType struct {
	Type string `json:"type"`
}

// label is a component's label in /info: a string, or in Gradio 6 an i18n
// object {"_type": "translation_metadata", "key": …} for the labels of
// built-in components (ChatInterface's chatbot), which reads as its key, as
// package gradio reads it.
type label string

func (l *label) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = label((&gradio.Component{Props: map[string]any{"label": v}}).Label())
	return nil
}

// errNoConfig is returned for JSON that is not a Gradio config.
var errNoConfig = errors.New("not a Gradio config (no components, dependencies or auth_required)")

// parseConfig decodes a Gradio config.
func parseConfig(raw []byte) (*configJSON, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	_, deps := probe["dependencies"]
	_, comps := probe["components"]
	_, auth := probe["auth_required"]
	if !deps && !comps && !auth {
		return nil, errNoConfig
	}
	var cfg configJSON
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	return &cfg, nil
}

// newAppModel builds the app model from the config and the /info answer
// (nil when there is none). pageURL is the URL that was opened; it gives the
// root when the config has none.
func newAppModel(pageURL string, cfg *configJSON, infoRaw []byte) (*appModel, error) {
	var info infoJSON
	if len(infoRaw) > 0 {
		if err := json.Unmarshal(infoRaw, &info); err != nil {
			return nil, fmt.Errorf("decode /info: %w", err)
		}
	}
	m := &appModel{
		deps:  map[int]*dependency{},
		comps: map[int]*component{},
		then:  map[int][]int{},
		diffs: recording.DiffUpdates(cfg.Protocol),
	}
	m.app = recording.App{
		URL:       pageURL,
		Root:      appRoot(pageURL, cfg.Root),
		APIPrefix: cfg.APIPrefix,
		Version:   cfg.Version,
		Protocol:  cfg.Protocol,
		Endpoints: []recording.Endpoint{},
	}
	if cfg.SpaceID != nil {
		m.app.SpaceID = *cfg.SpaceID
	}
	for _, c := range cfg.Components {
		label, _ := c.Props["label"].(string)
		// Left out of the API as the Go client (and gradio_client) leave it.
		skip := (&gradio.Component{Type: c.Type, SkipAPI: c.SkipAPI}).Skipped()
		password := c.Type == "textbox" && c.Props["type"] == "password"
		m.comps[c.ID] = &component{id: c.ID, typ: c.Type, label: label, skip: skip, password: password}
	}
	m.app.Endpoints = make([]recording.Endpoint, 0, len(cfg.Dependencies))
	for i, d := range cfg.Dependencies {
		id := i // before Gradio 4 dependencies had no id
		if d.ID != nil {
			id = *d.ID
		}
		m.app.Endpoints = append(m.app.Endpoints, m.endpoint(id, d, &info))
		m.deps[id] = &dependency{
			id: id, cancels: d.Cancels, cancel: d.Types.Cancel,
			inputs: d.Inputs, outputs: d.Outputs,
			backend:   d.BackendFn == nil || *d.BackendFn,
			onSuccess: d.OnSuccess != nil && *d.OnSuccess,
			onFailure: d.OnFailure != nil && *d.OnFailure,
		}
		if d.TriggerAfter != nil {
			m.then[*d.TriggerAfter] = append(m.then[*d.TriggerAfter], id)
		}
	}
	slices.SortStableFunc(m.app.Endpoints, func(a, b recording.Endpoint) int { return a.FnIndex - b.FnIndex })
	for i := range m.app.Endpoints {
		ep := &m.app.Endpoints[i]
		d := m.deps[ep.FnIndex]
		d.endpoint = ep
		d.paramName = paramNames(ep)
	}
	return m, nil
}

// endpoint describes one dependency for the recording.
func (m *appModel) endpoint(id int, d dependencyJSON, info *infoJSON) recording.Endpoint {
	var name string
	named := json.Unmarshal(d.APIName, &name) == nil && name != ""
	backend := d.BackendFn == nil || *d.BackendFn
	ep := recording.Endpoint{
		FnIndex:   id,
		BackendFn: backend,
		Queue:     d.Queue == nil || *d.Queue,
		Generator: d.Types.Generator,
		EventData: d.EventData,
		Inputs:    m.components(d.Inputs),
		Outputs:   m.components(d.Outputs),
	}
	if named {
		ep.APIName = "/" + strings.TrimPrefix(name, "/")
	}
	switch {
	case d.APIVisibility != "":
		ep.Visibility = d.APIVisibility
	case !backend || !named || d.Types.Cancel:
		ep.Visibility = recording.Private
	case d.ShowAPI != nil && !*d.ShowAPI:
		ep.Visibility = recording.Undocumented
	default:
		ep.Visibility = recording.Public
	}
	if named {
		if e, ok := info.NamedEndpoints[ep.APIName]; ok {
			for _, p := range e.Parameters {
				ep.Parameters = append(ep.Parameters, recording.Parameter{
					Name: p.Name, Label: string(p.Label), Component: p.Component,
					PythonType: p.PythonType.Type, Type: nonNull(p.Type),
					HasDefault: p.HasDefault, Default: defaultValue(p.HasDefault, p.Default),
				})
			}
			for _, r := range e.Returns {
				ep.Returns = append(ep.Returns, recording.Return{
					Label: string(r.Label), Component: r.Component,
					PythonType: r.PythonType.Type, Type: nonNull(r.Type),
				})
			}
		}
	}
	return ep
}

// components describes the components with the given ids.
func (m *appModel) components(ids []int) []recording.Component {
	out := make([]recording.Component, 0, len(ids))
	for _, id := range ids {
		c := recording.Component{ID: id}
		if comp, ok := m.comps[id]; ok {
			c.Type, c.Label, c.Skip = comp.typ, comp.label, comp.skip
		}
		out = append(out, c)
	}
	return out
}

// secrets returns the values a call typed into password boxes, named after
// their parameter (or label, when the parameter has no name of its own).
func (m *appModel) secrets(call *recording.Call) []recording.Secret {
	dep := m.deps[call.FnIndex]
	if dep == nil {
		return nil
	}
	var out []recording.Secret
	for i, id := range dep.inputs {
		comp := m.comps[id]
		if comp == nil || !comp.password || i >= len(call.Data) {
			continue
		}
		var v string
		if json.Unmarshal(call.Data[i], &v) != nil || v == "" {
			continue
		}
		name := "password"
		switch {
		case i < len(dep.paramName) && dep.paramName[i] != "" && !strings.HasPrefix(dep.paramName[i], "param_"):
			name = dep.paramName[i]
		case comp.label != "":
			name = comp.label
		}
		out = append(out, recording.Secret{Name: name, Value: v})
	}
	return out
}

// paramNames names every input slot of an endpoint: by /info parameter name
// in order for the API (not skipped) inputs, param_<i> past the end of the
// /info parameters, and "" for skipped (State) slots.
func paramNames(ep *recording.Endpoint) []string {
	names := make([]string, len(ep.Inputs))
	k := 0
	for i, c := range ep.Inputs {
		if c.Skip {
			continue
		}
		if k < len(ep.Parameters) && ep.Parameters[k].Name != "" {
			names[i] = ep.Parameters[k].Name
		} else {
			names[i] = fmt.Sprintf("param_%d", k)
		}
		k++
	}
	return names
}

// appRoot picks the app's root URL: the config's root when it is an absolute
// URL, else the opened URL without query, fragment and trailing slash.
func appRoot(pageURL, configRoot string) string {
	if u, err := url.Parse(configRoot); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return strings.TrimRight(configRoot, "/")
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		return strings.TrimRight(pageURL, "/")
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	return strings.TrimRight(u.String(), "/")
}

// apiBase is the URL the app's API routes hang off.
func (m *appModel) apiBase() string { return m.app.Root + m.app.APIPrefix }

func nonNull(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}

func defaultValue(has bool, raw json.RawMessage) json.RawMessage {
	if !has {
		return nil
	}
	return rawOrNull(raw)
}
