package recording

import (
	"encoding/json"
	"flag"
	"reflect"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// t0 is when the sample recording starts.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// raw is a json.RawMessage literal.
func raw(s string) json.RawMessage { return json.RawMessage(s) }

// fileData returns the FileData value of a fixture, as the recorder writes it.
func fileData(f File, url string) json.RawMessage {
	v := map[string]any{
		"path":      "/tmp/gradio/" + f.SHA256[:8] + "/" + f.OrigName,
		"url":       url,
		"orig_name": f.OrigName,
		"mime_type": f.MIMEType,
		"size":      f.Size,
		"is_stream": false,
		"meta":      map[string]string{"_type": "gradio.FileData"},
		"fixture":   f.Name,
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// sampleRecording returns a valid recording in which every field of every
// type is set: two sessions, a generator call with a file in and a file out,
// a failed /run call, a mask.
func sampleRecording() *Recording {
	one, three := 1, 3
	half := 0.5
	rec := &Recording{
		Created: t0,
		Tool:    "gradiorec v0.1.0",
		App: App{
			URL:       "http://127.0.0.1:7860/?view=app",
			Root:      "http://127.0.0.1:7860",
			APIPrefix: "/gradio_api",
			Version:   "6.31.0",
			Protocol:  "sse_v3",
			SpaceID:   "gradiorec/demo",
			Auth:      true,
			Heartbeat: true,
			Endpoints: []Endpoint{
				{
					FnIndex: 0, APIName: "/paint", Visibility: Public, BackendFn: true, Queue: true, Generator: true, EventData: true,
					Inputs: []Component{
						{ID: 1, Type: "textbox", Label: "Prompt"},
						{ID: 2, Type: "state", Skip: true},
						{ID: 3, Type: "image", Label: "Image"},
					},
					Outputs: []Component{{ID: 4, Type: "image", Label: "Result"}, {ID: 2, Type: "state", Skip: true}},
					Parameters: []Parameter{
						{Name: "prompt", Label: "Prompt", Component: "Textbox", PythonType: "str", Type: raw(`{"type":"string"}`), HasDefault: true, Default: raw(`"a cat"`)},
						{Name: "image", Label: "Image", Component: "Image", PythonType: "filepath", Type: raw(`{"$ref":"#/$defs/ImageData"}`)},
					},
					Returns: []Return{{Label: "Result", Component: "Image", PythonType: "filepath", Type: raw(`{"type":"string"}`)}},
				},
				{
					FnIndex: 3, APIName: "/count", Visibility: Undocumented, BackendFn: true,
					Inputs:  []Component{},
					Outputs: []Component{{ID: 5, Type: "number"}},
				},
				{FnIndex: 4, Visibility: Private, Inputs: []Component{}, Outputs: []Component{}},
				{FnIndex: 7, Visibility: Undocumented, BackendFn: true, Queue: true, Rendered: true, Inputs: []Component{}, Outputs: []Component{}},
			},
		},
		Sessions: []Session{{ID: "s1", Hash: "k3f9x2q8w1z"}, {ID: "s2", Hash: "p0o9i8u7y6t"}},
		Masks:    []Mask{{Endpoint: "/paint", Call: 1, Path: "/0/url", Reason: "learned"}},
	}
	in := rec.AddFile([]byte("\x89PNG fake cat"), "cat.png", "image/png", RoleInput)
	out := rec.AddFile([]byte("RIFF fake webp"), "image.webp", "image/webp", RoleOutput)
	rec.Calls = []Call{
		{
			ID: 1, Session: "s1", FnIndex: 0, APIName: "/paint", Via: ViaQueue, EventID: "e0c1",
			Inputs: []Arg{
				{Name: "prompt", Value: raw(`"a <b>bold</b> cat"`)},
				{Name: "image", Value: fileData(in, "")},
			},
			Data:       []json.RawMessage{raw(`"a <b>bold</b> cat"`), raw(`null`), fileData(in, "")},
			EventData:  raw(`{"index":[0,1],"value":"x"}`),
			TriggerID:  &three,
			Status:     Completed,
			Outputs:    []json.RawMessage{fileData(out, "http://127.0.0.1:7860/gradio_api/file=/tmp/gradio/x/image.webp")},
			Updates:    [][]json.RawMessage{{raw(`null`)}, {fileData(out, "http://127.0.0.1:7860/gradio_api/file=/tmp/gradio/x/image.webp")}},
			Log:        []Log{{Level: "info", Message: "painting", Title: "Note"}},
			Progress:   []Progress{{Bars: []Bar{{Index: &one, Length: &three, Unit: "steps", Progress: &half, Desc: "denoising"}}}},
			Started:    t0.Add(2 * time.Second),
			Duration:   1.25,
			ServerTime: 1.0,
		},
		{
			ID: 2, Session: "s2", FnIndex: 3, APIName: "/count", Via: ViaRun,
			Inputs:   []Arg{},
			Data:     []json.RawMessage{},
			Status:   Failed,
			Error:    &Error{Message: "the counter broke", Title: "Oops", HTTP: 500},
			Started:  t0.Add(5 * time.Second),
			Duration: 0.01,
		},
	}
	return rec
}

// TestSampleIsValid keeps the sample honest: the tests build on it.
func TestSampleIsValid(t *testing.T) {
	if err := sampleRecording().Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestJSONRoundTrip checks that every field survives encoding and decoding.
func TestJSONRoundTrip(t *testing.T) {
	rec := sampleRecording()
	rec.Format = Format
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var back Recording
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(data) {
		t.Errorf("round trip changed the recording:\nbefore %s\nafter  %s", data, again)
	}
}

// TestSampleSetsEveryField makes sure the sample exercises every field, so
// the golden file and the schema tests cover the whole format.
func TestSampleSetsEveryField(t *testing.T) {
	seen := map[reflect.Type]map[string]bool{}
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				visit(v.Elem())
			}
		case reflect.Slice:
			if v.Type() == rawType {
				return
			}
			for i := range v.Len() {
				visit(v.Index(i))
			}
		case reflect.Struct:
			if v.Type() == timeType {
				return
			}
			if seen[v.Type()] == nil {
				seen[v.Type()] = map[string]bool{}
			}
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if f.IsExported() && !v.Field(i).IsZero() {
					seen[v.Type()][f.Name] = true
				}
				if f.IsExported() {
					visit(v.Field(i))
				}
			}
		}
	}
	visit(reflect.ValueOf(sampleRecording()))
	for typ, fields := range seen {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.IsExported() && !fields[f.Name] && !(typ == reflect.TypeFor[Recording]() && f.Name == "Format") {
				t.Errorf("the sample never sets %s.%s", typ.Name(), f.Name)
			}
		}
	}
	if len(seen) < 14 {
		t.Errorf("the sample reaches %d types, want all 14 struct types", len(seen))
	}
}
