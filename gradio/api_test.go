package gradio

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuildAPI(t *testing.T) {
	api := loadAPI(t, filepath.Join("testdata", "api", "synthetic"))
	if api.Version != "6.31.0" {
		t.Errorf("Version %q", api.Version)
	}
	var names []string
	for _, e := range api.Endpoints {
		names = append(names, e.APIName+":"+string(e.Visibility))
	}
	if got := strings.Join(names, " "); got != "/predict:public /no_params:public /acts:public /secret:undocumented" {
		t.Errorf("endpoints %s (private ones must be left out)", got)
	}
	p := api.EndpointInfo("predict")
	if p == nil || p.FnIndex != 0 || !p.Queued || p.Generator || p.Description != "Does things." {
		t.Fatalf("/predict = %+v", p)
	}
	if len(p.Parameters) != 11 || len(p.Returns) != 2 {
		t.Fatalf("%d parameters, %d returns", len(p.Parameters), len(p.Returns))
	}
	if c := p.Parameters[1]; c.Name != "count" || c.Label != "Count" || c.Component != "Number" || c.PythonType != "float" || !c.HasDefault || c.Default != json.Number("1.0") {
		t.Errorf("count = %+v", c)
	}
	if c := p.Parameters[10]; c.Name != "" || c.HasDefault || c.Label != "Required!" {
		t.Errorf("last = %+v", c)
	}
	if p.Returns[1].Description != "a score" {
		t.Errorf("returns %+v", p.Returns)
	}
	if api.EndpointInfo("/acts").OAuthToken != "required" {
		t.Error("oauth_token lost")
	}
	if api.EndpointInfo("/priv") != nil {
		t.Error("private endpoint in the API")
	}
	b, err := json.Marshal(api)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"api_name":"/predict"`, `"fn_index":0`, `"visibility":"public"`, `"python_type":"float"`, `"has_default":true`, `"default":1.0`, `"generator":false`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
}

func TestBuildAPIPrivateFromConfig(t *testing.T) {
	cfg, err := decodeConfig([]byte(`{"version":"6.0.0","components":[
		{"id":1,"type":"textbox","props":{"label":"Prompt"},"skip_api":false},
		{"id":2,"type":"state","props":{},"skip_api":true},
		{"id":3,"type":"image","props":{},"skip_api":false}],
		"dependencies":[{"id":7,"api_name":"p","api_visibility":"private","inputs":[1,2],"outputs":[3,2],"backend_fn":true,"types":{"generator":true}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	api, all, err := buildAPI(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Endpoints) != 0 {
		t.Errorf("API lists %d endpoints", len(api.Endpoints))
	}
	e := all[7]
	if e == nil || e.APIName != "/p" || !e.Generator || len(e.Parameters) != 1 || e.Parameters[0].Label != "Prompt" || e.Parameters[0].Component != "Textbox" {
		t.Fatalf("private endpoint %+v", e)
	}
	if len(e.Returns) != 1 || e.Returns[0].Label != "value_3" || e.Returns[0].Component != "Image" {
		t.Errorf("returns %+v", e.Returns)
	}
}

func TestBuildAPIGradio4(t *testing.T) {
	api := loadAPI(t, filepath.Join("testdata", "api", "demo_v4"))
	if e := api.EndpointInfo("/hidden"); e == nil || e.Visibility != VisibilityUndocumented || e.Parameters[0].Name != "x" {
		t.Errorf("/hidden = %+v", e)
	}
	for _, e := range api.Endpoints {
		if e.APIName == "" {
			t.Errorf("unnamed endpoint %+v", e)
		}
	}
}

func TestCapitalize(t *testing.T) {
	for in, want := range map[string]string{"imageslider": "Imageslider", "model3d": "Model3d", "": "", "Textbox": "Textbox", "dataFrame": "Dataframe"} {
		if got := capitalize(in); got != want {
			t.Errorf("capitalize(%q) = %q", in, got)
		}
	}
}

func TestNewAPIFromCapturedJSON(t *testing.T) {
	cb, _ := os.ReadFile(filepath.Join("testdata", "api", "demo_v6.config.json"))
	ib, _ := os.ReadFile(filepath.Join("testdata", "api", "demo_v6.info.json"))
	cfg, err := ParseConfig(cb)
	if err != nil {
		t.Fatal(err)
	}
	api, err := NewAPI(cfg, ib)
	if err != nil {
		t.Fatal(err)
	}
	if e := api.EndpointInfo("/grow"); e == nil || !e.Generator || e.Parameters[0].Name != "text" {
		t.Errorf("/grow = %+v", e)
	}
	if _, err := ParseConfig([]byte(`{"hello":1}`)); err == nil || !strings.HasPrefix(err.Error(), "parse gradio config: ") {
		t.Errorf("err = %v", err)
	}
	if _, err := NewAPI(cfg, []byte("{bad")); err == nil {
		t.Error("bad info accepted")
	}
}

func TestLabelTranslationMetadata(t *testing.T) {
	for in, want := range map[string]string{
		`"Input text"`: "Input text",
		`{"__type__": "translation_metadata", "key": "chat_interface.chatbot"}`: "chat_interface.chatbot",
		`null`:     "",
		`{"a": 1}`: `{"a":1}`,
	} {
		var l label
		if err := json.Unmarshal([]byte(in), &l); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if string(l) != want {
			t.Errorf("label %s = %q, want %q", in, l, want)
		}
	}
}
