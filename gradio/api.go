package gradio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Visibility says who an endpoint is meant for.
type Visibility string

// The visibilities of an endpoint, as Gradio 6 names them. Gradio 4.x and 5.x
// express undocumented as show_api=False and private as api_name=False.
const (
	// VisibilityPublic endpoints appear in the app's API docs.
	VisibilityPublic Visibility = "public"
	// VisibilityUndocumented endpoints work but are left out of the docs
	// and of /info unless all endpoints are requested.
	VisibilityUndocumented Visibility = "undocumented"
	// VisibilityPrivate endpoints are absent from /info; the official
	// clients refuse them by name. The server still runs them, so this
	// client reaches them with Client.EndpointByIndex.
	VisibilityPrivate Visibility = "private"
)

// API describes an app's endpoints: what GET <api>/info?all_endpoints=true
// reports (public and undocumented endpoints, with parameter names), joined
// with the config's dependencies (fn_index, generator, queue).
type API struct {
	// Version is the app's Gradio version.
	Version string `json:"version"`
	// Endpoints lists the public and undocumented endpoints in fn_index
	// order.
	Endpoints []EndpointInfo `json:"endpoints"`
}

// EndpointInfo describes one endpoint.
type EndpointInfo struct {
	// APIName is the endpoint's name with its leading slash ("/predict"),
	// or "" for a dependency without a name.
	APIName string `json:"api_name"`
	// FnIndex is the dependency id that requests carry as fn_index.
	FnIndex int `json:"fn_index"`
	// Visibility is public, undocumented or private.
	Visibility Visibility `json:"visibility"`
	// Description is the function's docstring or api_description.
	Description string `json:"description,omitempty"`
	// Parameters are the inputs a caller passes, in order; State and other
	// skipped components are left out (the client fills their slots).
	Parameters []Parameter `json:"parameters"`
	// Returns are the outputs a Result holds, in order, without State.
	Returns []Return `json:"returns"`
	// Generator is true when the function yields intermediate outputs.
	Generator bool `json:"generator"`
	// Queued is false for endpoints called with POST <api>/run/predict
	// instead of the queue.
	Queued bool `json:"queued"`
	// OAuthToken is "required" or "optional" when the function takes a
	// gr.OAuthToken (Gradio 6.21+), else "".
	OAuthToken string `json:"oauth_token,omitempty"`
}

// Parameter describes one input of an endpoint.
type Parameter struct {
	// Name is the Python parameter name used for keyword arguments
	// (Named); "" when the server does not report one (private
	// endpoints, whose parameters come from the config).
	Name string `json:"name"`
	// Label is the component's label.
	Label string `json:"label"`
	// Component is the component class as /info capitalises it
	// ("Textbox", "Imageslider").
	Component string `json:"component"`
	// PythonType is the Python type gradio_client shows ("str",
	// "float", "Literal['a', 'b']", "filepath").
	PythonType string `json:"python_type"`
	// Description is the type's description, often empty.
	Description string `json:"description,omitempty"`
	// Type is the JSON schema of the value.
	Type json.RawMessage `json:"type,omitempty"`
	// HasDefault is true when the parameter may be left out.
	HasDefault bool `json:"has_default"`
	// Default is the value used when the parameter is left out. Numbers
	// are json.Number, so the exact text goes back to the server.
	Default any `json:"default"`
	// Example is the example input /info suggests.
	Example any `json:"example,omitempty"`

	defaultRaw json.RawMessage // for Python-style rendering in key order
}

// DefaultJSON returns the default value as the server wrote it (its keys in
// their order, its numbers as written), or nil when the parameter has none
// or the value was not read from the server's /info.
func (p *Parameter) DefaultJSON() json.RawMessage {
	if !p.HasDefault {
		return nil
	}
	return p.defaultRaw
}

// Return describes one output of an endpoint.
type Return struct {
	// Label is the component's label.
	Label string `json:"label"`
	// Component is the capitalised component class.
	Component string `json:"component"`
	// PythonType is the Python type gradio_client shows.
	PythonType string `json:"python_type"`
	// Description is the type's description, often empty.
	Description string `json:"description,omitempty"`
	// Type is the JSON schema of the value.
	Type json.RawMessage `json:"type,omitempty"`
}

// EndpointInfo returns the description of the endpoint with the given api
// name ("/add" or "add"), or nil. (Client.Endpoint returns an endpoint to
// call.)
func (a *API) EndpointInfo(apiName string) *EndpointInfo {
	name := "/" + strings.TrimPrefix(apiName, "/")
	for i := range a.Endpoints {
		if a.Endpoints[i].APIName == name {
			return &a.Endpoints[i]
		}
	}
	return nil
}

// NewAPI describes the endpoints of an app from its config and the body of
// GET <api>/info?all_endpoints=true, exactly as Client.ViewAPI does, for
// tools that captured both themselves. info may be nil when unavailable:
// the API then lists no endpoints.
func NewAPI(cfg *Config, info []byte) (*API, error) {
	api, _, err := buildAPI(cfg, info)
	return api, err
}

// infoJSON is the body of GET <api>/info.
type infoJSON struct {
	NamedEndpoints map[string]endpointJSON `json:"named_endpoints"`
}

type endpointJSON struct {
	Description   string       `json:"description"`
	APIVisibility string       `json:"api_visibility"`
	ShowAPI       *bool        `json:"show_api"`
	OAuthToken    string       `json:"oauth_token"`
	Parameters    []paramJSON  `json:"parameters"`
	Returns       []returnJSON `json:"returns"`
}

type pythonType struct {
	Type        string `json:"type"`
	Description string `json:"description"`
}

type paramJSON struct {
	Label               label           `json:"label"`
	ParameterName       *string         `json:"parameter_name"`
	ParameterHasDefault bool            `json:"parameter_has_default"`
	ParameterDefault    json.RawMessage `json:"parameter_default"`
	Type                json.RawMessage `json:"type"`
	PythonType          pythonType      `json:"python_type"`
	Component           string          `json:"component"`
	ExampleInput        json.RawMessage `json:"example_input"`
}

type returnJSON struct {
	Label      label           `json:"label"`
	Type       json.RawMessage `json:"type"`
	PythonType pythonType      `json:"python_type"`
	Component  string          `json:"component"`
}

// label is a component label in /info: a string, or in Gradio 6 an i18n
// object {"__type__": "translation_metadata", "key": "..."} for the labels
// of built-in components (ChatInterface's chatbot), which reads as its key.
type label string

func (l *label) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = label(labelText(v))
	return nil
}

// labelText renders a decoded label value as text.
func labelText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	case map[string]any:
		if key, ok := v["key"].(string); ok {
			return key
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// decodeNumber decodes raw JSON into any, with numbers as json.Number.
func decodeNumber(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return v
}

// buildAPI joins the config's dependencies with the /info body. A nil or
// unreadable info yields endpoints whose parameters come from the config.
func buildAPI(cfg *Config, info []byte) (*API, map[int]*EndpointInfo, error) {
	var ij infoJSON
	if len(info) > 0 {
		if err := json.Unmarshal(info, &ij); err != nil {
			return nil, nil, fmt.Errorf("decode api info: %w", err)
		}
	}
	comps := componentIndex(cfg)
	api := &API{Version: cfg.Version}
	all := make(map[int]*EndpointInfo, len(cfg.Dependencies))
	for i := range cfg.Dependencies {
		d := &cfg.Dependencies[i]
		ei := &EndpointInfo{
			FnIndex:    d.ID,
			Visibility: d.Visibility,
			Generator:  d.Types.Generator,
			Queued:     d.queued(),
		}
		if d.APIName != "" {
			ei.APIName = "/" + d.APIName
		}
		ej, documented := ij.NamedEndpoints[ei.APIName]
		if documented && ei.APIName != "" && d.Visibility != VisibilityPrivate {
			fillFromInfo(ei, &ej)
		} else {
			fillFromConfig(ei, d, comps)
			documented = false
		}
		all[d.ID] = ei
		if documented {
			api.Endpoints = append(api.Endpoints, *ei)
		}
	}
	slices.SortStableFunc(api.Endpoints, func(a, b EndpointInfo) int { return a.FnIndex - b.FnIndex })
	return api, all, nil
}

func fillFromInfo(ei *EndpointInfo, ej *endpointJSON) {
	ei.Description = ej.Description
	ei.OAuthToken = ej.OAuthToken
	ei.Parameters = make([]Parameter, 0, len(ej.Parameters))
	for _, p := range ej.Parameters {
		par := Parameter{
			Label:       string(p.Label),
			Component:   p.Component,
			PythonType:  p.PythonType.Type,
			Description: p.PythonType.Description,
			Type:        p.Type,
			HasDefault:  p.ParameterHasDefault,
			Default:     decodeNumber(p.ParameterDefault),
			Example:     decodeNumber(p.ExampleInput),
			defaultRaw:  p.ParameterDefault,
		}
		if p.ParameterName != nil {
			par.Name = *p.ParameterName
		}
		ei.Parameters = append(ei.Parameters, par)
	}
	ei.Returns = make([]Return, 0, len(ej.Returns))
	for _, r := range ej.Returns {
		ei.Returns = append(ei.Returns, Return{
			Label:       string(r.Label),
			Component:   r.Component,
			PythonType:  r.PythonType.Type,
			Description: r.PythonType.Description,
			Type:        r.Type,
		})
	}
}

// fillFromConfig describes an endpoint that /info leaves out (private ones)
// from its components: labels and component classes, but no parameter names.
func fillFromConfig(ei *EndpointInfo, d *Dependency, comps map[int]*Component) {
	ei.Parameters = []Parameter{}
	for _, id := range d.Inputs {
		c := comps[id]
		if c != nil && c.Skipped() {
			continue
		}
		p := Parameter{Label: fmt.Sprintf("parameter_%d", id)}
		if c != nil {
			if l := c.Label(); l != "" {
				p.Label = l
			}
			p.Component = capitalize(c.Type)
			p.Type = c.APIInfo
		}
		ei.Parameters = append(ei.Parameters, p)
	}
	ei.Returns = []Return{}
	for _, id := range d.Outputs {
		c := comps[id]
		if c != nil && c.Skipped() {
			continue
		}
		r := Return{Label: fmt.Sprintf("value_%d", id)}
		if c != nil {
			if l := c.Label(); l != "" {
				r.Label = l
			}
			r.Component = capitalize(c.Type)
			r.Type = c.APIInfo
		}
		ei.Returns = append(ei.Returns, r)
	}
}

// capitalize mimics Python's str.capitalize, as /info does for class names.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

func componentIndex(cfg *Config) map[int]*Component {
	m := make(map[int]*Component, len(cfg.Components))
	for i := range cfg.Components {
		m[cfg.Components[i].ID] = &cfg.Components[i]
	}
	return m
}
