package har

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/recording"
)

// The app's schema, as the /config and /info answers a HAR of a recording
// holds, so that importing the HAR rebuilds the same app.

// configOf makes the app's /config answer from its recorded schema: every
// component its endpoints use (with skip_api said outright) and every
// dependency, with its visibility said the Gradio 6 way.
func configOf(app *recording.App) ([]byte, error) {
	type component struct {
		ID      int            `json:"id"`
		Type    string         `json:"type"`
		SkipAPI bool           `json:"skip_api"`
		Props   map[string]any `json:"props"`
	}
	comps := map[int]component{}
	var deps []map[string]any
	for _, ep := range app.Endpoints {
		if ep.Rendered {
			continue // not in the page's config: an import finds it again by its calls
		}
		ids := func(cs []recording.Component) []int {
			out := make([]int, len(cs))
			for i, c := range cs {
				out[i] = c.ID
				props := map[string]any{}
				if c.Label != "" {
					props["label"] = c.Label
				}
				comps[c.ID] = component{ID: c.ID, Type: c.Type, SkipAPI: c.Skip, Props: props}
			}
			return out
		}
		var name any = false
		if ep.APIName != "" {
			name = strings.TrimPrefix(ep.APIName, "/")
		}
		deps = append(deps, map[string]any{
			"id": ep.FnIndex, "api_name": name, "api_visibility": ep.Visibility,
			"backend_fn": ep.BackendFn, "queue": ep.Queue, "collects_event_data": ep.EventData,
			"inputs": ids(ep.Inputs), "outputs": ids(ep.Outputs),
			"types": map[string]bool{"generator": ep.Generator, "cancel": false},
		})
	}
	list := make([]component, 0, len(comps))
	for _, c := range comps {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b component) int { return a.ID - b.ID })
	cfg := map[string]any{
		"version": app.Version, "api_prefix": app.APIPrefix, "protocol": app.Protocol,
		"root": app.Root, "components": list, "dependencies": deps,
		"connect_heartbeat": app.Heartbeat,
	}
	if app.SpaceID != "" {
		cfg["space_id"] = app.SpaceID
	}
	return json.Marshal(cfg)
}

// infoOf makes the app's /info?all_endpoints=true answer from the recorded
// parameters and returns of its named endpoints.
func infoOf(app *recording.App) ([]byte, error) {
	named := map[string]any{}
	for _, ep := range app.Endpoints {
		if ep.APIName == "" {
			continue
		}
		params := make([]map[string]any, 0, len(ep.Parameters))
		for _, p := range ep.Parameters {
			params = append(params, map[string]any{
				"label": p.Label, "parameter_name": p.Name, "parameter_has_default": p.HasDefault,
				"parameter_default": rawOrNull(p.Default), "type": rawOrNull(p.Type),
				"python_type": map[string]string{"type": p.PythonType}, "component": p.Component,
			})
		}
		returns := make([]map[string]any, 0, len(ep.Returns))
		for _, r := range ep.Returns {
			returns = append(returns, map[string]any{
				"label": r.Label, "type": rawOrNull(r.Type),
				"python_type": map[string]string{"type": r.PythonType}, "component": r.Component,
			})
		}
		named[ep.APIName] = map[string]any{"parameters": params, "returns": returns}
	}
	return json.Marshal(map[string]any{"named_endpoints": named, "unnamed_endpoints": map[string]any{}})
}

func rawOrNull(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	return raw
}
