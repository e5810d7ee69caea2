package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/recording"
)

// TestExportValid exports every golden recording and checks the HAR
// against the HAR 1.2 schema (checkSchema), and the checker against HARs
// that Playwright wrote (testdata/har).
func TestExportValid(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "recordings", "*", "*.json"))
	if len(paths) == 0 {
		t.Fatal("no golden recordings in testdata/recordings")
	}
	for _, path := range paths {
		rec, err := recording.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		h, err := FromRecording(rec, Creator{Name: "gradiorec", Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var b bytes.Buffer
		if err := h.Encode(&b); err != nil {
			t.Fatal(err)
		}
		if err := checkSchema(b.Bytes()); err != nil {
			t.Errorf("%s: the HAR is not valid HAR 1.2: %v", path, err)
		}
	}
	real, _ := filepath.Glob(filepath.Join("..", "testdata", "har", "*.har"))
	if len(real) == 0 {
		t.Fatal("no HARs in testdata/har")
	}
	for _, path := range real {
		h, _, err := Open(path, 0)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		h.Encode(&b)
		if err := checkSchema(b.Bytes()); err != nil {
			t.Errorf("%s (written by %s, decoded and encoded again): %v", path, h.Log.Creator.Name, err)
		}
	}
}

// checkSchema checks a HAR document against the required members and types
// of the HAR 1.2 specification (log, creator, pages, entries, request,
// response, content, cache, timings).
func checkSchema(data []byte) error {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	log, err := object(doc, "log")
	if err != nil {
		return err
	}
	if err := need(log, "log", map[string]string{"version": "string", "creator": "object", "entries": "array"}); err != nil {
		return err
	}
	if err := need(log["creator"].(map[string]any), "log.creator", map[string]string{"name": "string", "version": "string"}); err != nil {
		return err
	}
	if pages, ok := log["pages"].([]any); ok {
		for i, p := range pages {
			if err := need(p, fmt.Sprintf("pages[%d]", i), map[string]string{"startedDateTime": "date", "id": "string", "title": "string", "pageTimings": "object"}); err != nil {
				return err
			}
		}
	}
	for i, e := range log["entries"].([]any) {
		where := fmt.Sprintf("entries[%d]", i)
		if err := need(e, where, map[string]string{"startedDateTime": "date", "time": "number", "request": "object", "response": "object", "cache": "object", "timings": "object"}); err != nil {
			return err
		}
		entry := e.(map[string]any)
		if err := need(entry["request"], where+".request", map[string]string{"method": "string", "url": "string", "httpVersion": "string", "cookies": "array", "headers": "array", "queryString": "array", "headersSize": "number", "bodySize": "number"}); err != nil {
			return err
		}
		if pd, ok := entry["request"].(map[string]any)["postData"]; ok {
			if err := need(pd, where+".request.postData", map[string]string{"mimeType": "string"}); err != nil {
				return err
			}
		}
		if err := need(entry["response"], where+".response", map[string]string{"status": "number", "statusText": "string", "httpVersion": "string", "cookies": "array", "headers": "array", "content": "object", "redirectURL": "string", "headersSize": "number", "bodySize": "number"}); err != nil {
			return err
		}
		if err := need(entry["response"].(map[string]any)["content"], where+".response.content", map[string]string{"size": "number", "mimeType": "string"}); err != nil {
			return err
		}
		if err := need(entry["timings"], where+".timings", map[string]string{"send": "number", "wait": "number", "receive": "number"}); err != nil {
			return err
		}
	}
	return nil
}

func object(m map[string]any, key string) (map[string]any, error) {
	o, ok := m[key].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is not an object", key)
	}
	return o, nil
}

func need(v any, where string, members map[string]string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s is not an object", where)
	}
	for name, kind := range members {
		x, ok := m[name]
		if !ok {
			return fmt.Errorf("%s has no %s", where, name)
		}
		good := false
		switch kind {
		case "string":
			_, good = x.(string)
		case "number":
			_, good = x.(float64)
		case "object":
			_, good = x.(map[string]any)
		case "array":
			_, good = x.([]any)
		case "date":
			s, _ := x.(string)
			_, err := time.Parse(time.RFC3339Nano, s)
			good = err == nil
		}
		if !good {
			return fmt.Errorf("%s.%s is not a %s: %v", where, name, kind, x)
		}
	}
	return nil
}

// TestReadErrors: what is not a HAR, or is cut, or too big, says so.
func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
		says string
	}{
		{``, ErrNotHAR, "empty"},
		{`{"log": {"version": "1.2", "entries": [`, ErrTruncate, "ends early"},
		{`<html>`, ErrNotHAR, "invalid JSON at byte"},
		{`{"log": {"entries": {}}}`, ErrNotHAR, "wrong type"},
		{`{"other": 1}`, ErrNotHAR, "no log with entries"},
	} {
		_, err := Read(strings.NewReader(tc.in), 0)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%q: %v, want %v saying %q", tc.in, err, tc.want, tc.says)
		}
	}
	if _, err := Read(strings.NewReader(`{"log": {"version": "1.2", "entries": []}}`), 10); !errors.Is(err, ErrTooBig) {
		t.Errorf("over the limit: %v", err)
	}
}
