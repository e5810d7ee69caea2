// Package recordingtest helps tests check recordings: ValidateSchema holds a
// document to the published JSON Schema of the recording format,
// docs/recording.schema.json, with a small stdlib-only validator. The
// recorder's golden tests call it on every recording they write.
package recordingtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// module is the module whose docs/recording.schema.json is the schema.
const module = "github.com/gradiorec/gradiorec"

// SchemaPath is where the schema lives, relative to the module root.
const SchemaPath = "docs/recording.schema.json"

// loadSchema finds and parses the schema once per test binary.
var loadSchema = sync.OnceValues(func() (*Schema, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, SchemaPath))
	if err != nil {
		return nil, fmt.Errorf("read recording schema: %w", err)
	}
	return ParseSchema(data)
})

// moduleRoot walks up from the working directory (a test's is its package
// folder) to the folder whose go.mod declares module.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && declares(data, module) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find recording schema: no go.mod of module " + module + " above the working directory")
		}
		dir = parent
	}
}

// declares reports whether a go.mod declares the module path.
func declares(gomod []byte, path string) bool {
	for line := range bytes.Lines(gomod) {
		if f := strings.Fields(string(line)); len(f) == 2 && f[0] == "module" && strings.Trim(f[1], `"`) == path {
			return true
		}
	}
	return false
}

// CheckSchema validates a recording document against
// docs/recording.schema.json and returns an error listing every violation
// (one per line, each starting with its JSON Pointer), or nil.
func CheckSchema(data []byte) error {
	s, err := loadSchema()
	if err != nil {
		return err
	}
	return s.Validate(data)
}

// ValidateSchema fails the test unless data is a recording document that
// docs/recording.schema.json accepts.
func ValidateSchema(t testing.TB, data []byte) {
	t.Helper()
	if err := CheckSchema(data); err != nil {
		t.Errorf("recording does not match %s:\n%v", SchemaPath, err)
	}
}
