package gradio

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDecodeConfigVisibility(t *testing.T) {
	cfg, err := decodeConfig([]byte(`{"version":"5.49.1","components":[],"dependencies":[
		{"id":0,"api_name":"pub","show_api":true,"inputs":[],"outputs":[],"backend_fn":true,"queue":true},
		{"id":1,"api_name":"und","show_api":false,"inputs":[],"outputs":[],"backend_fn":true},
		{"id":2,"api_name":false,"show_api":false,"inputs":[],"outputs":[],"backend_fn":true,"queue":false},
		{"id":3,"api_name":"six","api_visibility":"private","inputs":[],"outputs":[],"backend_fn":true},
		{"api_name":null,"inputs":[],"outputs":[],"backend_fn":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id     int
		name   string
		vis    Visibility
		queued bool
	}{
		{0, "pub", VisibilityPublic, true},
		{1, "und", VisibilityUndocumented, true},
		{2, "", VisibilityPrivate, false},
		{3, "six", VisibilityPrivate, true},
		{4, "", VisibilityPrivate, true}, // no name: no client calls it by name
	}
	for i, w := range want {
		d := cfg.Dependencies[i]
		if d.ID != w.id || d.APIName != w.name || d.Visibility != w.vis || d.queued() != w.queued {
			t.Errorf("dependency %d = {id %d, name %q, %s, queued %v}, want %+v", i, d.ID, d.APIName, d.Visibility, d.queued(), w)
		}
	}
}

func TestConfigRoundTrip(t *testing.T) {
	cfg, err := decodeConfig([]byte(`{"version":"5.0.0","components":[],"dependencies":[
		{"id":2,"api_name":false,"inputs":[1],"outputs":[],"backend_fn":true,"targets":[[4,"click"]]},
		{"id":3,"api_name":"x","show_api":false,"inputs":[],"outputs":[],"backend_fn":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeConfig(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, back) {
		t.Errorf("round trip changed the config:\n%+v\n%+v", cfg.Dependencies, back.Dependencies)
	}
}

func TestDecodeConfigRejectsOtherJSON(t *testing.T) {
	for _, s := range []string{`{"hello":"world"}`, `[1,2]`, `not json`} {
		if _, err := decodeConfig([]byte(s)); err == nil {
			t.Errorf("decodeConfig(%s) succeeded", s)
		}
	}
	// The config a login page inlines before login is a config.
	if cfg, err := ParseConfig([]byte(`{"auth_required": true}`)); err != nil || !cfg.AuthRequired {
		t.Errorf("login stub: %+v, %v", cfg, err)
	}
}

// A 4.x/5.x listener that no client can call by name is private: no name,
// no backend function, or a cancel helper. Chains and event data decode.
func TestDecodeDependencyPrivateAndChains(t *testing.T) {
	cfg, err := ParseConfig([]byte(`{"components": [], "dependencies": [
	  {"id": 0, "api_name": "greet", "show_api": true, "collects_event_data": true, "cancels": [2]},
	  {"id": 1, "api_name": null, "trigger_after": 0, "trigger_only_on_success": true},
	  {"id": 2, "api_name": "js_only", "backend_fn": false, "trigger_after": 0, "trigger_only_on_failure": true},
	  {"id": 3, "api_name": "/cancel", "types": {"cancel": true}},
	  {"id": 4, "api_name": "lambda", "backend_fn": false, "api_visibility": "public"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Dependencies
	for i, want := range []Visibility{VisibilityPublic, VisibilityPrivate, VisibilityPrivate, VisibilityPrivate, VisibilityPublic} {
		if d[i].Visibility != want {
			t.Errorf("dependency %d: visibility %q, want %q", i, d[i].Visibility, want)
		}
	}
	if !d[0].BackendFn || !d[0].CollectsEventData || !slices.Equal(d[0].Cancels, []int{2}) || d[0].TriggerAfter != nil {
		t.Errorf("dependency 0: %+v", d[0])
	}
	if d[1].TriggerAfter == nil || *d[1].TriggerAfter != 0 || !d[1].TriggerOnlyOnSuccess || d[2].TriggerOnlyOnSuccess || !d[2].TriggerOnlyOnFailure {
		t.Errorf("chains: %+v %+v", d[1], d[2])
	}
	if d[3].APIName != "cancel" {
		t.Errorf("api name %q, want it without its slash", d[3].APIName)
	}
}

func TestComponentSkipped(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		c    Component
		want bool
	}{
		{Component{Type: "state"}, true},
		{Component{Type: "row"}, true},
		{Component{Type: "textbox"}, false},
		{Component{Type: "button", SkipAPI: &yes}, true},
		{Component{Type: "state", SkipAPI: &no}, false},
	} {
		if got := tc.c.Skipped(); got != tc.want {
			t.Errorf("%+v.Skipped() = %v", tc.c, got)
		}
	}
}

func TestConfigFromPage(t *testing.T) {
	cfg := stdConfig()
	b, _ := json.Marshal(cfg)
	page := "<!doctype html><html><head><script>window.gradio_config = " + string(b) +
		";</script><script>window.gradio_api_info = {};</script></head></html>"
	got, ok := configFromPage([]byte(page))
	if !ok {
		t.Fatal("no config found in the page")
	}
	if got.Version != "6.31.0" || len(got.Dependencies) != 8 {
		t.Errorf("config = %+v", got)
	}
	if _, ok := configFromPage([]byte("<html>hello</html>")); ok {
		t.Error("found a config in a plain page")
	}
}

func TestConnectFallsBackToPageConfig(t *testing.T) {
	a := newFakeApp(t)
	a.handle("/config", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<html>not here</html>")
	})
	a.handle("/{$}", func(w http.ResponseWriter, r *http.Request) {
		b, _ := json.Marshal(a.config)
		io.WriteString(w, "<html><script>window.gradio_config = "+string(b)+";</script></html>")
	})
	c := a.connect()
	if c.Config().Version != "6.31.0" {
		t.Errorf("version %q", c.Config().Version)
	}
	if _, err := c.Predict(testCtx(t), "/add", 1, 2); err != nil {
		t.Error(err)
	}
}

func TestConnectNotGradio(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"plain html page": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<html><body>Welcome to nginx!</body></html>")
		},
		"404 everywhere": http.NotFound,
		"other json": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"status":"ok"}`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, h)
			_, err := Connect(testCtx(t), srv)
			if !errors.Is(err, ErrNotGradio) {
				t.Fatalf("err = %v, want ErrNotGradio", err)
			}
			if !strings.Contains(err.Error(), srv) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestConnectLoginStubPage(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/config" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `<script>window.gradio_config = {"auth_required":true,"auth_message":null,"components":[],"dependencies":[]};</script>`)
	}))
	_, err := Connect(testCtx(t), srv)
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "credentials missing") {
		t.Errorf("err = %v, want ErrUnauthorized saying credentials are missing", err)
	}
}
