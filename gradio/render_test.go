package gradio

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files (view_api texts are produced by the real gradio_client)")

// pythonViewAPI prints what gradio_client's Client.view_api() prints for an
// /info body, keeping the endpoints the Python client would fetch (public
// ones; it does not ask for all_endpoints).
const pythonViewAPI = `
import json, sys
from gradio_client.client import Client
info = json.load(open(sys.argv[1]))
named = {}
for name, ep in info["named_endpoints"].items():
    if ep.get("api_visibility", "public" if ep.get("show_api", True) else "undocumented") != "public":
        continue
    ep.pop("code_snippets", None)
    ep.pop("api_visibility", None)
    ep.pop("show_api", None)
    named[name] = ep
c = Client.__new__(Client)
c._info = {"named_endpoints": named, "unnamed_endpoints": {}}
sys.stdout.write(c.view_api(print_info=False, return_format="str"))
`

func TestAPIStringMatchesGradioClient(t *testing.T) {
	for _, name := range []string{"synthetic", "demo_v6", "demo_v5", "demo_v4"} {
		t.Run(name, func(t *testing.T) {
			base := filepath.Join("testdata", "api", name)
			api := loadAPI(t, base)
			golden := base + ".view_api.golden"
			if *update {
				py := filepath.Join("..", ".venv", "gradio-6.31.0", "bin", "python")
				out, err := exec.Command(py, "-c", pythonViewAPI, base+".info.json").Output()
				if err != nil {
					t.Fatalf("run gradio_client (%s): %v", py, err)
				}
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := api.String(); got != string(want) {
				t.Errorf("String() differs from gradio_client's view_api():\n%s", lineDiff(string(want), got))
			}
		})
	}
}

func loadAPI(t *testing.T, base string) *API {
	t.Helper()
	cb, err := os.ReadFile(base + ".config.json")
	if err != nil {
		t.Fatal(err)
	}
	ib, err := os.ReadFile(base + ".info.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := decodeConfig(cb)
	if err != nil {
		t.Fatal(err)
	}
	api, _, err := buildAPI(cfg, ib)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			if b.Len() > 2000 {
				break
			}
		}
	}
	return b.String()
}

func TestSanitizeName(t *testing.T) {
	for in, want := range map[string]string{"Input Text": "input_text", "Score (0-1)": "score_01", "ÄÖ ü": "äö_ü", "a_b": "a_b"} {
		if got := sanitizeName(in); got != want {
			t.Errorf("sanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
