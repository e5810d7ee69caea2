package recorder

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// loadModel builds the app model from a config and /info saved from a real
// app (testdata/<name>.config.json and .info.json).
func loadModel(t *testing.T, name string) *appModel {
	t.Helper()
	cfgRaw, err := os.ReadFile(filepath.Join("testdata", name+".config.json"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.ReadFile(filepath.Join("testdata", name+".info.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := gradio.ParseConfig(cfgRaw)
	if err != nil {
		t.Fatal(err)
	}
	m, err := newAppModel("http://127.0.0.1:7860/?view=x", cfg, info)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// endpointSummary is the part of an endpoint the tests compare.
type endpointSummary struct {
	APIName    string
	Visibility string
	Backend    bool
	Queue      bool
	Params     []string
}

func summarize(m *appModel) map[int]endpointSummary {
	out := map[int]endpointSummary{}
	for _, ep := range m.app.Endpoints {
		s := endpointSummary{APIName: ep.APIName, Visibility: ep.Visibility, Backend: ep.BackendFn, Queue: ep.Queue}
		for _, p := range ep.Parameters {
			s.Params = append(s.Params, p.Name)
		}
		out[ep.FnIndex] = s
	}
	return out
}

func TestAppModelMulti(t *testing.T) {
	for _, tc := range []struct {
		version     string
		whisperName string
	}{
		{"6.31.0", "/whisper"}, // 6.x names private endpoints
		{"5.49.1", ""},         // 5.x: api_name=False
	} {
		t.Run(tc.version, func(t *testing.T) {
			m := loadModel(t, "multi-"+tc.version)
			if m.app.Root != "http://127.0.0.1:7860" || m.app.APIPrefix != "/gradio_api" || m.app.Version != tc.version || m.app.Protocol != "sse_v3" {
				t.Errorf("app %+v", m.app)
			}
			want := map[int]endpointSummary{
				0: {"/greet", recording.Public, true, true, []string{"name"}},
				1: {"/shout", recording.Undocumented, true, true, []string{"name"}},
				2: {tc.whisperName, recording.Private, true, true, nil},
				3: {"/js_fn", recording.Private, false, false, nil},
				4: {"/add_ints", recording.Public, true, true, []string{"a", "b"}},
				5: {"/step_one", recording.Public, true, true, []string{"text"}},
				6: {"/step_two", recording.Public, true, true, []string{"text"}},
				7: {"/length", recording.Public, true, false, []string{"name"}},
			}
			if got := summarize(m); !reflect.DeepEqual(got, want) {
				t.Errorf("endpoints\n%+v\nwant\n%+v", got, want)
			}
			greet := m.deps[0].endpoint
			if len(greet.Inputs) != 1 || greet.Inputs[0].Label != "name" || greet.Inputs[0].Type != "textbox" ||
				len(greet.Returns) != 1 || greet.Returns[0].Component != "Textbox" || greet.Parameters[0].PythonType != "str" {
				t.Errorf("greet %s", js(greet))
			}
			if p := greet.Parameters[0]; !p.HasDefault || string(p.Default) != `"World"` {
				t.Errorf("greet default %s", js(p))
			}
		})
	}
}

func TestAppModelState(t *testing.T) {
	m := loadModel(t, "state-6.31.0")
	count := m.deps[0]
	if !reflect.DeepEqual(count.paramName, []string{"word", ""}) {
		t.Errorf("count_words inputs named %q", count.paramName)
	}
	ep := count.endpoint
	if !ep.Inputs[1].Skip || ep.Inputs[1].Type != "state" || !ep.Outputs[2].Skip {
		t.Errorf("State slots not marked: %s", js(ep))
	}
	if got := namedInputs(count, raws(`"hello"`, `null`)); js(got) != `[{"name":"word","value":"hello"}]` {
		t.Errorf("named inputs %s", js(got))
	}
	if got := apiOutputs(count, raws(`1`, `"hello"`, `null`)); js(got) != `[1,"hello"]` {
		t.Errorf("outputs %s", js(got))
	}
	list := m.deps[1]
	if len(list.endpoint.Parameters) != 0 || !reflect.DeepEqual(list.paramName, []string{""}) {
		t.Errorf("list_words %s %q", js(list.endpoint), list.paramName)
	}
}

// TestAppModelTranslatedLabel: Gradio 6 gives the labels of built-in
// components (ChatInterface's chatbot) in /info as i18n objects; they read
// as their key, and the rest of /info is not lost.
func TestAppModelTranslatedLabel(t *testing.T) {
	cfg, err := gradio.ParseConfig([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	info := `{"named_endpoints": {"/echo": {
	 "parameters": [{"label": {"key": "chat_interface.chatbot", "_type": "translation_metadata"}, "parameter_name": "history", "component": "Chatbot"}],
	 "returns": [{"label": {"key": "chat_interface.chatbot", "_type": "translation_metadata"}, "component": "Chatbot"}]}}}`
	m, err := newAppModel("http://app.test/", cfg, []byte(info))
	if err != nil {
		t.Fatal(err)
	}
	ep := m.deps[0].endpoint
	if len(ep.Parameters) != 1 || ep.Parameters[0].Name != "history" || ep.Parameters[0].Label != "chat_interface.chatbot" ||
		len(ep.Returns) != 1 || ep.Returns[0].Label != "chat_interface.chatbot" {
		t.Errorf("echo %s", js(ep))
	}
}

func TestAppRoot(t *testing.T) {
	for _, tc := range []struct{ page, cfg, want string }{
		{"http://h:1/", "http://h:1", "http://h:1"},
		{"http://h:1/sub/app/?x=1#y", "", "http://h:1/sub/app"},
		{"http://h:1/sub/app/", "http://h:1/sub/app/", "http://h:1/sub/app"},
		{"http://localhost:1/", "/relative", "http://localhost:1"},
	} {
		if got := appRoot(tc.page, tc.cfg); got != tc.want {
			t.Errorf("appRoot(%q, %q) = %q, want %q", tc.page, tc.cfg, got, tc.want)
		}
	}
}

// What is typed into a password box is a secret, named after its parameter,
// or its label when /info gives no name; other inputs are not.
func TestAppModelPasswordBoxes(t *testing.T) {
	cfg, err := gradio.ParseConfig([]byte(`{"version": "6.31.0", "api_prefix": "/gradio_api", "protocol": "sse_v3",
	 "components": [
	  {"id": 1, "type": "textbox", "props": {"label": "Magic word", "type": "password"}},
	  {"id": 2, "type": "textbox", "props": {"label": "name", "type": "text"}},
	  {"id": 3, "type": "textbox", "props": {"label": "out"}}],
	 "dependencies": [
	  {"id": 0, "api_name": "unlock", "inputs": [1, 2], "outputs": [3], "backend_fn": true, "queue": true},
	  {"id": 1, "api_name": "unnamed", "inputs": [1], "outputs": [3], "backend_fn": true, "queue": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	info := `{"named_endpoints": {"/unlock": {"parameters": [
	  {"label": "Magic word", "parameter_name": "word", "component": "Textbox"},
	  {"label": "name", "parameter_name": "name", "component": "Textbox"}], "returns": []}}}`
	m, err := newAppModel("http://app.test/", cfg, []byte(info))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		call recording.Call
		want []recording.Secret
	}{
		{recording.Call{FnIndex: 0, Data: raws(`"open sesame"`, `"Ada"`)}, []recording.Secret{{Name: "word", Value: "open sesame"}}},
		{recording.Call{FnIndex: 1, Data: raws(`"abracadabra"`)}, []recording.Secret{{Name: "Magic word", Value: "abracadabra"}}},
		{recording.Call{FnIndex: 0, Data: raws(`""`, `"Ada"`)}, nil},
		{recording.Call{FnIndex: 0, Data: raws(`7`)}, nil},
		{recording.Call{FnIndex: 9, Data: raws(`"x"`)}, nil},
	} {
		if got := m.secrets(&tc.call); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("secrets of %s = %+v, want %+v", js(tc.call.Data), got, tc.want)
		}
	}
}

// TestAppModelEventData: an endpoint whose function reads gr.EventData
// (eventdata.py's /which, one gr.on listener behind two buttons) keeps the
// config's collects_event_data; one that does not is recorded without it.
func TestAppModelEventData(t *testing.T) {
	m := loadModel(t, "eventdata-6.31.0")
	var which *recording.Endpoint
	for i, ep := range m.app.Endpoints {
		if ep.APIName == "/which" {
			which = &m.app.Endpoints[i]
		}
	}
	if which == nil || !which.EventData {
		t.Fatalf("/which not recorded as collecting event data: %s", js(m.app.Endpoints))
	}
	state := loadModel(t, "state-6.31.0")
	for _, ep := range state.app.Endpoints {
		if ep.EventData {
			t.Errorf("%s recorded as collecting event data: %s", ep.APIName, js(ep))
		}
	}
}
