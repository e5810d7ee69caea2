package gradio

import (
	"errors"
	"strings"
	"testing"
)

func TestEndpointLookup(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	for _, name := range []string{"/add", "add"} {
		e, err := c.Endpoint(name)
		if err != nil || e.Info().FnIndex != 0 || e.Info().APIName != "/add" {
			t.Errorf("Endpoint(%q) = %v, %v", name, e, err)
		}
	}
	if e, err := c.Endpoint("/hidden"); err != nil || e.Info().Visibility != VisibilityUndocumented || e.Info().Parameters[0].Name != "a" {
		t.Errorf("undocumented endpoint: %v, %v", e, err)
	}
	_, err := c.Endpoint("/nope")
	if !errors.Is(err, ErrUnknownEndpoint) || !strings.Contains(err.Error(), "/add, /noq, /gen, /state, /file, /hidden (undocumented)") {
		t.Errorf("err = %v, want the list of endpoints", err)
	}
	if _, err := c.Endpoint("/priv"); !errors.Is(err, ErrUnknownEndpoint) || !strings.Contains(err.Error(), "EndpointByIndex(6)") {
		t.Errorf("private by name: %v", err)
	}
	if _, err := c.Endpoint(""); !errors.Is(err, ErrUnknownEndpoint) || !strings.Contains(err.Error(), "5 public endpoints") {
		t.Errorf("empty name: %v", err)
	}
	if _, err := c.Predict(testCtx(t), "/nope"); err == nil || !strings.HasPrefix(err.Error(), "predict /nope: unknown endpoint") {
		t.Errorf("Predict unknown: %v", err)
	}
}

func TestEndpointByIndex(t *testing.T) {
	a := newFakeApp(t)
	c := a.connect()
	e, err := c.EndpointByIndex(6)
	if err != nil {
		t.Fatal(err)
	}
	info := e.Info()
	if info.Visibility != VisibilityPrivate || len(info.Parameters) != 1 || info.Parameters[0].Name != "" || info.Parameters[0].Label != "A" || info.Parameters[0].Component != "Number" {
		t.Errorf("private endpoint info %+v", info)
	}
	res, err := e.Predict(testCtx(t), 4)
	if err != nil || res.Value() != 4.0 {
		t.Errorf("Predict = %v, %v", res, err)
	}
	if _, err := e.Predict(testCtx(t), Named{"a": 1}); err == nil || !strings.Contains(err.Error(), "positionally") {
		t.Errorf("Named on a private endpoint: %v", err)
	}
	if _, err := c.EndpointByIndex(7); !errors.Is(err, ErrUnknownEndpoint) || !strings.Contains(err.Error(), "no backend function") {
		t.Errorf("js-only: %v", err)
	}
	if _, err := c.EndpointByIndex(99); !errors.Is(err, ErrUnknownEndpoint) || !strings.Contains(err.Error(), "[0 1 2 3 4 5 6]") {
		t.Errorf("missing: %v", err)
	}
}

func TestEndpointSingleDefault(t *testing.T) {
	a := newFakeApp(t)
	deps := a.config["dependencies"].([]any)
	for _, d := range deps[1:] {
		d.(map[string]any)["api_visibility"] = "undocumented"
	}
	c := a.connect()
	e, err := c.Endpoint("")
	if err != nil || e.Info().APIName != "/add" {
		t.Errorf("Endpoint(\"\") = %v, %v", e, err)
	}
	if res, err := c.Predict(testCtx(t), "", 1, 1); err != nil || res.Value() != 2.0 {
		t.Errorf("Predict(\"\") = %v, %v", res, err)
	}
}
