package recordingtest

import (
	"strings"
	"testing"
)

func TestParseSchemaRefusesWhatItCannotCheck(t *testing.T) {
	for schema, want := range map[string]string{
		`{"type": "object", "oneOf": []}`:                      `#: unsupported keyword "oneOf"`,
		`{"properties": {"a": {"maxLength": 3}}}`:              `#/properties/a: unsupported keyword "maxLength"`,
		`{"pattern": "("}`:                                     `#: pattern: error parsing regexp`,
		`{"$ref": "#/$defs/Nope"}`:                             `$ref "#/$defs/Nope" does not resolve`,
		`{"$ref": "other.json#/x"}`:                            `unsupported $ref "other.json#/x"`,
		`{"format": "email"}`:                                  `unsupported format email`,
		`{"items": 3}`:                                         `#/items: a schema must be an object or a boolean`,
		`{"$defs": []}`:                                        `#/$defs: not an object`,
		`{"type": "object"} trailing`:                          `not JSON`,
		`{"additionalProperties": {"type": "string", "x": 1}}`: `#/additionalProperties: unsupported keyword "x"`,
	} {
		_, err := ParseSchema([]byte(schema))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSchema(%s) = %v, want %q", schema, err, want)
		}
	}
}

func TestValidate(t *testing.T) {
	schema := `{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"title": "t", "description": "d", "$comment": "c",
		"$ref": "#/$defs/Thing",
		"$defs": {
			"Thing": {
				"type": "object",
				"required": ["n", "kind"],
				"additionalProperties": false,
				"properties": {
					"n": {"type": "integer", "minimum": 2},
					"kind": {"enum": ["a", 1, null]},
					"v": {"const": {"x": [1, 2]}},
					"s": {"type": "string", "minLength": 2, "pattern": "^x"},
					"t": {"type": "string", "format": "date-time"},
					"list": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
					"opt": {"type": ["string", "null"]},
					"free": true,
					"never": false,
					"map": {"type": "object", "additionalProperties": {"type": "boolean"}},
					"a/b": {"type": "number"}
				}
			},
			"Item": {"type": "boolean"}
		}
	}`
	s, err := ParseSchema([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	ok := []string{
		`{"n": 2, "kind": "a"}`,
		`{"n": 2.0, "kind": 1.0, "v": {"x": [1.0, 2]}, "s": "xy", "t": "2026-01-02T03:04:05.5+01:00", "list": [true, false], "opt": null, "free": {"any": [1]}, "map": {"a": true}, "a/b": 1e3}`,
		`{"n": 1e2, "kind": null, "opt": "x"}`,
	}
	for _, doc := range ok {
		if err := s.Validate([]byte(doc)); err != nil {
			t.Errorf("Validate(%s) = %v", doc, err)
		}
	}
	for doc, want := range map[string]string{
		`[]`:                                     `(document): want object, found array`,
		`{"kind": "a"}`:                          `(document): required member "n" is missing`,
		`{"n": 2.5, "kind": "a"}`:                `/n: want integer, found number`,
		`{"n": 1, "kind": "a"}`:                  `/n: 1 is less than the minimum 2`,
		`{"n": 2, "kind": "b"}`:                  `/kind: "b" is not one of "a", 1, null`,
		`{"n": 2, "kind": 1, "v": {"x": [1]}}`:   `/v: want {"x":[1,2]}, found {"x":[1]}`,
		`{"n": 2, "kind": 1, "s": "x"}`:          `/s: "x" is shorter than 2 characters`,
		`{"n": 2, "kind": 1, "s": "yy"}`:         `/s: "yy" does not match the pattern ^x`,
		`{"n": 2, "kind": 1, "t": "2026-01-02"}`: `/t: "2026-01-02" is not an RFC 3339 date-time`,
		`{"n": 2, "kind": 1, "list": [true, 3]}`: `/list/1: want boolean, found integer`,
		`{"n": 2, "kind": 1, "opt": 3}`:          `/opt: want string or null, found integer`,
		`{"n": 2, "kind": 1, "never": 0}`:        `/never: no value is allowed here`,
		`{"n": 2, "kind": 1, "map": {"k": 1}}`:   `/map/k: want boolean, found integer`,
		`{"n": 2, "kind": 1, "a/b": "x"}`:        `/a~1b: want number, found string`,
		`{"n": 2, "kind": 1, "zzz": 1}`:          `(document): unknown member "zzz"`,
		`{"n": 2, "kind": 1} {}`:                 `not JSON: data after the value`,
		`{"n": 2,`:                               `not JSON`,
	} {
		err := s.Validate([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate(%s) = %v, want %q", doc, err, want)
		}
	}
	// Every problem is reported, not only the first.
	err = s.Validate([]byte(`{"n": 0, "kind": "z", "zzz": 1}`))
	if err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("Validate reported %v, want three problems", err)
	}
}

func TestValidateRefLoop(t *testing.T) {
	s, err := ParseSchema([]byte(`{"$ref": "#/$defs/A", "$defs": {"A": {"$ref": "#/$defs/A"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate([]byte(`1`)); err == nil || !strings.Contains(err.Error(), "a $ref loop") {
		t.Errorf("Validate = %v", err)
	}
}
