package replay

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// Drift is a change of the app's API since the recording: a call that
// depends on it may fail because of it, not because an output changed.
type Drift struct {
	// FnIndex is the recorded endpoint's fn_index.
	FnIndex int `json:"fn_index"`
	// Endpoint names the recorded endpoint ("/predict", or "fn_index 3").
	Endpoint string `json:"endpoint"`
	// Kind is one of the Drift* constants.
	Kind string `json:"kind"`
	// Detail says what changed, for people.
	Detail string `json:"detail"`
}

// The kinds of Drift.
const (
	DriftRemoved       = "endpoint removed"
	DriftRenamed       = "endpoint renamed"
	DriftParamRemoved  = "parameter removed"
	DriftParamRenamed  = "parameter renamed"
	DriftParamAdded    = "required parameter added"
	DriftParamType     = "parameter type changed"
	DriftReturns       = "outputs changed"
	DriftNotCallable   = "no longer callable"
	DriftInputsChanged = "inputs changed"
)

func (d Drift) String() string {
	return fmt.Sprintf("%s: %s: %s", d.Endpoint, d.Kind, d.Detail)
}

// CheckDrift compares the recorded endpoint schema with the live app's and
// returns what changed in the recorded endpoints that have a backend
// function: an endpoint removed or renamed, a parameter removed or renamed
// (another name in its place), a required parameter added, a parameter's component changed, outputs changed. New
// endpoints and new optional parameters are not drift.
func CheckDrift(recorded []recording.Endpoint, live *gradio.Client) []Drift {
	api, cfg := live.ViewAPI(), live.Config()
	deps := map[int]*gradio.Dependency{}
	for i := range cfg.Dependencies {
		deps[cfg.Dependencies[i].ID] = &cfg.Dependencies[i]
	}
	comps := map[int]string{}
	for _, c := range cfg.Components {
		comps[c.ID] = c.Type
	}
	var drift []Drift
	for i := range recorded {
		ep := &recorded[i]
		if !ep.BackendFn || ep.Rendered { // a gr.render one is not in the config
			continue
		}
		add := func(kind, format string, args ...any) {
			drift = append(drift, Drift{FnIndex: ep.FnIndex, Endpoint: endpointLabel(ep), Kind: kind, Detail: fmt.Sprintf(format, args...)})
		}
		if ep.APIName == "" || ep.Visibility == recording.Private {
			d := deps[ep.FnIndex]
			if d == nil || !d.BackendFn {
				add(DriftNotCallable, "the app has no callable dependency with fn_index %d", ep.FnIndex)
				continue
			}
			want, got := componentTypes(ep.Inputs), typesOf(d.Inputs, comps)
			if !slices.Equal(want, got) {
				add(DriftInputsChanged, "input components %s, recorded %s", strings.Join(got, ", "), strings.Join(want, ", "))
			}
			continue
		}
		li := api.EndpointInfo(ep.APIName)
		if li == nil {
			if d := deps[ep.FnIndex]; d != nil && d.BackendFn && d.APIName != "" && d.APIName != strings.TrimPrefix(ep.APIName, "/") {
				add(DriftRenamed, "now /%s (same fn_index %d)", d.APIName, ep.FnIndex)
			} else {
				add(DriftRemoved, "the app has no endpoint %s", ep.APIName)
			}
			continue
		}
		params := map[string]gradio.Parameter{}
		for _, p := range li.Parameters {
			params[p.Name] = p
		}
		recordedNames := map[string]bool{}
		for _, p := range ep.Parameters {
			recordedNames[p.Name] = true
		}
		renamed := map[string]bool{} // live names that replace a recorded one
		for i, p := range ep.Parameters {
			lp, ok := params[p.Name]
			switch {
			case !ok && i < len(li.Parameters) && !recordedNames[li.Parameters[i].Name]:
				// Another name in the same place: most likely renamed.
				renamed[li.Parameters[i].Name] = true
				add(DriftParamRenamed, "%q is now %q (parameter %d, %s)", p.Name, li.Parameters[i].Name, i+1, li.Parameters[i].Component)
			case !ok:
				add(DriftParamRemoved, "%q (%s) is gone; parameters now: %s", p.Name, p.Component, paramNames(li.Parameters))
			case !strings.EqualFold(lp.Component, p.Component):
				add(DriftParamType, "%q is a %s, recorded as a %s", p.Name, lp.Component, p.Component)
			}
		}
		for _, p := range li.Parameters {
			if !recordedNames[p.Name] && !renamed[p.Name] && !p.HasDefault {
				add(DriftParamAdded, "%q (%s) has no default", p.Name, p.Component)
			}
		}
		if len(ep.Returns) > 0 {
			want := make([]string, len(ep.Returns))
			for i, r := range ep.Returns {
				want[i] = strings.ToLower(r.Component)
			}
			got := make([]string, len(li.Returns))
			for i, r := range li.Returns {
				got[i] = strings.ToLower(r.Component)
			}
			if !slices.Equal(want, got) {
				add(DriftReturns, "outputs %s, recorded %s", strings.Join(got, ", "), strings.Join(want, ", "))
			}
		}
	}
	return drift
}

func endpointLabel(ep *recording.Endpoint) string {
	if ep.APIName != "" {
		return ep.APIName
	}
	return fmt.Sprintf("fn_index %d", ep.FnIndex)
}

func componentTypes(cs []recording.Component) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = strings.ToLower(c.Type)
	}
	return out
}

func typesOf(ids []int, comps map[int]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.ToLower(comps[id])
	}
	return out
}

func paramNames(ps []gradio.Parameter) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
