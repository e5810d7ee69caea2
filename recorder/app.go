package recorder

import (
	"encoding/json"
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

// dependency is one event listener of the app's config, as the Go client
// decodes it, with the endpoint the recording describes it by.
type dependency struct {
	*gradio.Dependency
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

// newAppModel builds the app model from the config and the /info answer
// (nil when there is none), both decoded by the Go client. pageURL is the
// URL that was opened; it gives the root when the config has none.
func newAppModel(pageURL string, cfg *gradio.Config, infoRaw []byte) (*appModel, error) {
	api, err := gradio.NewAPI(cfg, infoRaw)
	if err != nil {
		return nil, err
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
		SpaceID:   cfg.SpaceID,
		Heartbeat: cfg.ConnectHeartbeat != nil && *cfg.ConnectHeartbeat,
		Endpoints: make([]recording.Endpoint, 0, len(cfg.Dependencies)),
	}
	for i := range cfg.Components {
		c := &cfg.Components[i]
		label, _ := c.Props["label"].(string)
		password := c.Type == "textbox" && c.Props["type"] == "password"
		m.comps[c.ID] = &component{id: c.ID, typ: c.Type, label: label, skip: c.Skipped(), password: password}
	}
	for i := range cfg.Dependencies {
		d := &cfg.Dependencies[i]
		m.app.Endpoints = append(m.app.Endpoints, m.endpoint(d, api))
		m.deps[d.ID] = &dependency{Dependency: d}
		if d.TriggerAfter != nil {
			m.then[*d.TriggerAfter] = append(m.then[*d.TriggerAfter], d.ID)
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

// endpoint describes one dependency for the recording: its parameters and
// returns as /info names them (none when /info does not list it).
func (m *appModel) endpoint(d *gradio.Dependency, api *gradio.API) recording.Endpoint {
	ep := recording.Endpoint{
		FnIndex:    d.ID,
		BackendFn:  d.BackendFn,
		Queue:      d.Queue == nil || *d.Queue,
		Generator:  d.Types.Generator,
		EventData:  d.CollectsEventData,
		Visibility: string(d.Visibility),
		Inputs:     m.components(d.Inputs),
		Outputs:    m.components(d.Outputs),
	}
	if d.APIName == "" {
		return ep
	}
	ep.APIName = "/" + d.APIName
	info := api.EndpointInfo(ep.APIName)
	if info == nil {
		return ep
	}
	for _, p := range info.Parameters {
		ep.Parameters = append(ep.Parameters, recording.Parameter{
			Name: p.Name, Label: p.Label, Component: p.Component,
			PythonType: p.PythonType, Type: nonNull(p.Type),
			HasDefault: p.HasDefault, Default: defaultValue(p.HasDefault, p.DefaultJSON()),
		})
	}
	for _, r := range info.Returns {
		ep.Returns = append(ep.Returns, recording.Return{
			Label: r.Label, Component: r.Component,
			PythonType: r.PythonType, Type: nonNull(r.Type),
		})
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
	for i, id := range dep.Inputs {
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
