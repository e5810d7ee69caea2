package recording

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/recording/recordingtest"
)

// schemaDefs reads the $defs of docs/recording.schema.json.
func schemaDefs(t *testing.T) map[string]map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", recordingtest.SchemaPath))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Ref  string                    `json:"$ref"`
		Defs map[string]map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	if schema.Ref != "#/$defs/Recording" {
		t.Errorf("the schema's root is %q, want #/$defs/Recording", schema.Ref)
	}
	return schema.Defs
}

// TestSchemaMatchesTheGoTypes holds docs/recording.schema.json to the Go
// types: one $def per struct, named alike, with the same members, the same
// required set (members without omitzero) and compatible JSON types, no
// unknown members allowed.
func TestSchemaMatchesTheGoTypes(t *testing.T) {
	defs := schemaDefs(t)
	types := []reflect.Type{}
	var collect func(reflect.Type)
	collect = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || (typ.Kind() == reflect.Slice && typ != rawType) {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ == timeType || slices.Contains(types, typ) {
			return
		}
		types = append(types, typ)
		for i := range typ.NumField() {
			if typ.Field(i).IsExported() {
				collect(typ.Field(i).Type)
			}
		}
	}
	collect(reflect.TypeFor[Recording]())

	for _, typ := range types {
		def, ok := defs[typ.Name()]
		if !ok {
			t.Errorf("the schema has no $defs/%s", typ.Name())
			continue
		}
		if def["type"] != "object" || def["additionalProperties"] != false {
			t.Errorf("$defs/%s must be an object with additionalProperties false", typ.Name())
		}
		props, _ := def["properties"].(map[string]any)
		var required []string
		list, _ := def["required"].([]any)
		for _, r := range list {
			required = append(required, r.(string))
		}
		var names, wantRequired []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			names = append(names, name)
			if !strings.Contains(opts, "omitzero") {
				wantRequired = append(wantRequired, name)
			}
			prop, ok := props[name]
			if !ok {
				t.Errorf("$defs/%s lacks %q (field %s)", typ.Name(), name, f.Name)
				continue
			}
			if want, got := jsonKind(f.Type), schemaKind(prop); want != got {
				t.Errorf("$defs/%s/%s is %s, but %s.%s encodes as %s", typ.Name(), name, got, typ.Name(), f.Name, want)
			}
		}
		for name := range props {
			if !slices.Contains(names, name) {
				t.Errorf("$defs/%s has %q, which %s does not", typ.Name(), name, typ.Name())
			}
		}
		slices.Sort(required)
		slices.Sort(wantRequired)
		if !slices.Equal(required, wantRequired) {
			t.Errorf("$defs/%s requires %v, want %v (the members without omitzero)", typ.Name(), required, wantRequired)
		}
	}
	for name := range defs {
		if !slices.ContainsFunc(types, func(t reflect.Type) bool { return t.Name() == name }) {
			t.Errorf("$defs/%s matches no Go type", name)
		}
	}
}

// jsonKind names what a Go type encodes as: a JSON Schema type, "any" for a
// raw value, or "#/$defs/<Name>" for a struct.
func jsonKind(typ reflect.Type) string {
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch {
	case typ == rawType:
		return "any"
	case typ == reflect.TypeFor[time.Time]():
		return "string"
	}
	switch typ.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array of " + jsonKind(typ.Elem())
	case reflect.Struct:
		return "#/$defs/" + typ.Name()
	}
	return typ.String()
}

// schemaKind names what a property schema allows, in jsonKind's terms.
func schemaKind(prop any) string {
	if prop == true {
		return "any"
	}
	m := prop.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		return ref
	}
	if c, ok := m["const"].(string); ok && c != "" {
		return "string"
	}
	if e, ok := m["enum"].([]any); ok && len(e) > 0 {
		return "string"
	}
	typ, _ := m["type"].(string)
	if typ == "array" {
		items, ok := m["items"]
		if !ok {
			return "array of any"
		}
		return "array of " + schemaKind(items)
	}
	return typ
}

func TestSchemaAcceptsWhatSaveWrites(t *testing.T) {
	for _, p := range []string{"testdata/full.json", "testdata/minimal.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		recordingtest.ValidateSchema(t, data)
	}
	path := filepath.Join(t.TempDir(), "r.json")
	rec := plantSecrets()
	rec.Calls[1].Status = Incomplete
	if err := Save(path, rec, Redact(pass)); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	recordingtest.ValidateSchema(t, data)
}

func TestSchemaRejects(t *testing.T) {
	valid, err := os.ReadFile("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, want string }{
		{"unknown top-level member", `"tool":`, `"extra": 1, "tool":`, `(document): unknown member "extra"`},
		{"unknown nested member", `"skip": true`, `"skip": true, "hidden": 1`, `/app/endpoints/0/inputs/1: unknown member "hidden"`},
		{"wrong type", `"duration": 1.25`, `"duration": "1.25"`, `/calls/0/duration: want number, found string`},
		{"integer", `"fn_index": 3,`, `"fn_index": 3.5,`, `/app/endpoints/1/fn_index: want integer, found number`},
		{"minimum", `"id": 2,` + "\n      \"session\"", `"id": 0,` + "\n      \"session\"", `/calls/1/id: 0 is less than the minimum 1`},
		{"enum", `"status": "error"`, `"status": "failed"`, `/calls/1/status: "failed" is not one of`},
		{"const", `"format": "gradiorec.recording/v1"`, `"format": "gradiorec.recording/v2"`, `/format: want "gradiorec.recording/v1"`},
		{"required", `"tool": "gradiorec v0.1.0",`, ``, `(document): required member "tool" is missing`},
		{"pattern", `"sha256": "36b4`, `"sha256": "X6b4`, `/files/0/sha256: "X6b4`},
		{"date-time", `"created": "2026-03-01T12:00:00Z"`, `"created": "yesterday"`, `/created: "yesterday" is not an RFC 3339 date-time`},
		{"min length", `"type": "textbox"`, `"type": ""`, `/app/endpoints/0/inputs/0/type: "" is shorter than 1 characters`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(string(valid), tc.old, tc.new, 1)
			if doc == string(valid) {
				t.Fatalf("%q is not in the document", tc.old)
			}
			err := recordingtest.CheckSchema([]byte(doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckSchema = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestFormatDocExample loads the example in docs/recording-format.md, so
// the page cannot drift from the format.
func TestFormatDocExample(t *testing.T) {
	page, err := os.ReadFile("../docs/recording-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(page), "## Example\n\n```json\n")
	example, _, ok2 := strings.Cut(after, "\n```\n")
	if !ok || !ok2 {
		t.Fatal("docs/recording-format.md has no ```json block under ## Example")
	}
	recordingtest.ValidateSchema(t, []byte(example))
	rec, err := decode([]byte(example))
	if err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	// It is what Save writes, byte for byte.
	doc, err := redacted(newRedactor(nil), rec)
	if err != nil {
		t.Fatal(err)
	}
	again, err := encode(doc, true)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != example+"\n" {
		t.Errorf("the example is not in the form Save writes:\n%s", again)
	}
}
