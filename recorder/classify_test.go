package recorder

import (
	"encoding/json"
	"os"
	"testing"
)

// TestClassifyVectors checks classify against the vectors the browser
// extension's classify.js is tested with too (extension/test/classify.test.js),
// so that the extension relays exactly the requests the core uses.
func TestClassifyVectors(t *testing.T) {
	raw, err := os.ReadFile("testdata/classify.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Method string `json:"method"`
		URL    string `json:"url"`
		Kind   string `json:"kind"`
	}
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatalf("testdata/classify.json: %v", err)
	}
	kinds := map[string]requestKind{
		"other": kindOther, "join": kindJoin, "data": kindData,
		"run": kindRun, "upload": kindUpload, "cancel": kindCancel,
	}
	if len(vectors) < 30 {
		t.Fatalf("testdata/classify.json has %d vectors; want at least 30", len(vectors))
	}
	for _, v := range vectors {
		want, ok := kinds[v.Kind]
		if !ok {
			t.Fatalf("testdata/classify.json: unknown kind %q for %s %q", v.Kind, v.Method, v.URL)
		}
		if got := classify(v.Method, v.URL); got != want {
			t.Errorf("classify(%q, %q) = %d, want %s (%d)", v.Method, v.URL, got, v.Kind, want)
		}
		if got := wanted(v.Method, v.URL); got != (want != kindOther) {
			t.Errorf("wanted(%q, %q) = %v, want %v", v.Method, v.URL, got, want != kindOther)
		}
	}
}
