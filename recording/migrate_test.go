package recording

import (
	"encoding/json"
	"errors"
	"maps"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatVersion(t *testing.T) {
	for in, want := range map[string]int{
		Format:                    1,
		"gradiorec.recording/v0":  0,
		"gradiorec.recording/v12": 12,
		"gradiorec.journal/v1":    1,
	} {
		if got, ok := formatVersion(in); !ok || got != want {
			t.Errorf("formatVersion(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "gradiorec.recording/", "gradiorec.recording/vx", "gradiorec.recording/v01", "gradiorec.recording/v-1", "gradiorec.recording/v+1"} {
		if got, ok := formatVersion(in); ok {
			t.Errorf("formatVersion(%q) = %d, want not ok", in, got)
		}
	}
	if !strings.HasPrefix(Format, formatPrefix) {
		t.Errorf("Format %q does not start with %q", Format, formatPrefix)
	}
}

// withMigrations replaces the migration table for one test.
func withMigrations(t *testing.T, m map[string]migration) {
	saved := migrations
	migrations = m
	t.Cleanup(func() { migrations = saved })
}

// v0 is a synthetic older format: durations in milliseconds
// ("duration_ms"), and no "tool". testdata/v0.json is a document in it.
var v0 = migration{
	to: Format,
	migrate: func(doc map[string]json.RawMessage) error {
		var calls []map[string]json.RawMessage
		if err := json.Unmarshal(doc["calls"], &calls); err != nil {
			return err
		}
		for _, c := range calls {
			var ms float64
			if err := json.Unmarshal(c["duration_ms"], &ms); err != nil {
				return err
			}
			delete(c, "duration_ms")
			c["duration"], _ = json.Marshal(ms / 1000)
		}
		var err error
		doc["calls"], err = json.Marshal(calls)
		doc["tool"] = json.RawMessage(`"gradiorec (before v1)"`)
		return err
	},
}

func TestLoadMigratesAnOlderFormat(t *testing.T) {
	withMigrations(t, map[string]migration{"gradiorec.recording/v0": v0})
	rec, err := Load("testdata/v0.json")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Format != Format || rec.Tool != "gradiorec (before v1)" || rec.Calls[0].Duration != 1.5 {
		t.Errorf("migrated recording: format %q, tool %q, duration %v", rec.Format, rec.Tool, rec.Calls[0].Duration)
	}
	// Saving writes the current format.
	path := filepath.Join(t.TempDir(), "r.json")
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	withMigrations(t, nil)
	if _, err := Load(path); err != nil {
		t.Errorf("the migrated, saved recording does not load without migrations: %v", err)
	}
}

func TestLoadOfAnOlderFormatWithoutMigration(t *testing.T) {
	withMigrations(t, nil)
	_, err := Load("testdata/v0.json")
	var uv *UnknownVersionError
	if !errors.As(err, &uv) || uv.Found != "gradiorec.recording/v0" || uv.Supported != Format {
		t.Fatalf("Load = %v, want an *UnknownVersionError for v0", err)
	}
	if !strings.Contains(err.Error(), "older than any this gradiorec can migrate") {
		t.Errorf("error %q", err)
	}
}

func TestMigrationChainsAndFailures(t *testing.T) {
	doc := func() map[string]json.RawMessage { return map[string]json.RawMessage{"format": json.RawMessage(`"x"`)} }
	steps := []string{}
	step := func(name, to string) migration {
		return migration{to: to, migrate: func(map[string]json.RawMessage) error { steps = append(steps, name); return nil }}
	}
	withMigrations(t, map[string]migration{
		"gradiorec.recording/v-a": step("a", "gradiorec.recording/v-b"),
		"gradiorec.recording/v-b": step("b", Format),
	})
	d := doc()
	if err := migrate(d, "gradiorec.recording/v-a"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(steps, ",") != "a,b" || string(d["format"]) != `"`+Format+`"` {
		t.Errorf("steps %v, format %s", steps, d["format"])
	}

	loop := maps.Clone(migrations)
	loop["gradiorec.recording/v-b"] = step("b", "gradiorec.recording/v-a")
	withMigrations(t, loop)
	if err := migrate(doc(), "gradiorec.recording/v-a"); !errors.Is(err, ErrUnknownVersion) {
		t.Errorf("a migration loop = %v, want ErrUnknownVersion", err)
	}

	withMigrations(t, map[string]migration{"gradiorec.recording/v0": {to: Format, migrate: func(map[string]json.RawMessage) error {
		return errors.New("calls are missing")
	}}})
	err := migrate(doc(), "gradiorec.recording/v0")
	if err == nil || err.Error() != "migrate gradiorec.recording/v0 to "+Format+": calls are missing" {
		t.Errorf("a failing migration = %v", err)
	}
}
