package codegen_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// hfToken is the HF_TOKEN the code runs with in these tests.
const hfToken = "hf_tokenTestZq81xyz0123"

// tokenProxy is a reverse proxy in front of an app that counts the requests
// it forwards and those whose headers, path or query hold hfToken.
type tokenProxy struct {
	requests, withToken atomic.Int32
}

// start serves the proxy to the app at target and returns its URL. The Host
// header stays the proxy's, so that the app's links point at the proxy.
func (p *tokenProxy) start(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		r.Out.Host = r.In.Host
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		seen := strings.Contains(r.URL.String(), hfToken)
		for _, vs := range r.Header {
			for _, v := range vs {
				seen = seen || strings.Contains(v, hfToken)
			}
		}
		if seen {
			p.withToken.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestGeneratedCodeToken runs the code generated from a recording of the
// calculator app, in every language and flavour, against the real app
// behind a proxy on the loopback address, which is no Hugging Face host,
// with HF_TOKEN set. For a recording of a Space, the code must not send the
// token, unless GRADIO_TOKEN_ANY_HOST=1; for a recording of an app that is
// not on a Space, never (gradio_client would send HF_TOKEN on its own).
func TestGeneratedCodeToken(t *testing.T) {
	tl := findTools(t)
	version := gradiotest.DefaultVersion
	if tl.pythons[version] == "" {
		tl.pythons[version] = gradiotest.Python(t, version)
	}
	plain, err := recording.Load(filepath.Join(*recordingsDir, version, "calculator.json"))
	if err != nil {
		t.Fatal(err)
	}
	space, err := recording.Load(filepath.Join(*recordingsDir, version, "calculator.json"))
	if err != nil {
		t.Fatal(err)
	}
	space.App.SpaceID = "owner/calculator"
	app := gradiotest.Start(t, "calculator", gradiotest.Version(version))
	for _, lang := range codegen.Langs {
		for _, fl := range flavours {
			t.Run(string(lang)+"/"+string(fl), func(t *testing.T) {
				t.Parallel()
				for _, c := range []struct {
					what string
					rec  *recording.Recording
					env  []string
					sent bool
				}{
					{"a Space's recording", space, []string{"HF_TOKEN=" + hfToken, "GRADIO_TOKEN_ANY_HOST="}, false},
					{"a Space's recording with GRADIO_TOKEN_ANY_HOST=1", space, []string{"HF_TOKEN=" + hfToken, "GRADIO_TOKEN_ANY_HOST=1"}, true},
					{"an app's recording with GRADIO_TOKEN_ANY_HOST=1", plain, []string{"HF_TOKEN=" + hfToken, "GRADIO_TOKEN_ANY_HOST=1"}, false},
				} {
					var proxy tokenProxy
					target := proxy.start(t, app.URL)
					r := tl.prepare(t, c.rec, version, target, codegen.Options{Lang: lang, Flavour: fl}).with(c.env...).run()
					if r.err != nil {
						t.Fatalf("%s: %v\n%s", c.what, r.err, r.out)
					}
					n, sent := proxy.requests.Load(), proxy.withToken.Load()
					switch {
					case n == 0:
						t.Errorf("%s: no request went through the proxy:\n%s", c.what, r.out)
					case c.sent && sent == 0:
						t.Errorf("%s: none of %d requests carried HF_TOKEN", c.what, n)
					case !c.sent && sent > 0:
						t.Errorf("%s: %d of %d requests to %s carried HF_TOKEN", c.what, sent, n, target)
					}
				}
			})
		}
	}
}

// tokenHosts are app URLs, and whether generated code sends HF_TOKEN to
// them: the rule of gradio.WithAmbientToken (https and huggingface.co,
// *.huggingface.co or *.hf.space, on the default port), and a Space id,
// which the official clients resolve on huggingface.co.
var tokenHosts = []struct {
	url   string
	hf    bool
	space bool // a Space id: on Hugging Face for Python and JavaScript, not for cURL
}{
	{url: "https://owner-app.hf.space", hf: true},
	{url: "https://owner-app.hf.space/", hf: true},
	{url: "https://Owner-App.HF.Space/x?y=1#z", hf: true},
	{url: "https://huggingface.co", hf: true},
	{url: "https://huggingface.co:443/spaces/owner/app", hf: true},
	{url: "https://api.huggingface.co/", hf: true},
	{url: "owner/app", space: true},
	{url: "http://owner-app.hf.space"},
	{url: "https://owner-app.hf.space:8443"},
	{url: "https://user@owner-app.hf.space"},
	{url: "https://owner-app.hf.space@example.com"},
	{url: "https://hf.space"},
	{url: "https://evilhuggingface.co"},
	{url: "https://owner-app.hf.space.example.com"},
	{url: "https://example.com/owner-app.hf.space"},
	{url: "https://example.com?.hf.space"},
	{url: "https://example.com#.huggingface.co"},
	{url: `https://example.com\.hf.space`},
	{url: "https://example.com\n.hf.space"},
	{url: "https://owner-app.hf.space\nx"},
	{url: "http://127.0.0.1:7860"},
}

// TestGeneratedTokenHosts runs the Python, JavaScript and cURL code
// generated for a Space against fakes of gradio_client, @gradio/client and
// curl that show the token they are given, for each of tokenHosts as
// GRADIO_URL: HF_TOKEN goes only to Hugging Face, or anywhere with
// GRADIO_TOKEN_ANY_HOST=1. (The Go code hands HF_TOKEN to
// gradio.WithAmbientToken, whose rule package gradio tests.)
func TestGeneratedTokenHosts(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "calculator.json"))
	rec.App.SpaceID = "owner/calculator"
	python := pythonCommand(t)
	node, err := exec.LookPath("node")
	gradiotest.Need(t, "node", err)
	bash, err := exec.LookPath("bash")
	gradiotest.Need(t, "bash", err)
	fakes := t.TempDir()
	write := func(path, content string) {
		t.Helper()
		path = filepath.Join(fakes, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Each fake prints the token it is given, or "none", and stops.
	write("python/gradio_client/__init__.py", `import sys


class Client:
    def __init__(self, src, token=None, hf_token=None, **kwargs):
        print(token or hf_token or "none")
        sys.exit(0)


def handle_file(path):
    return path
`)
	write("python/gradio_client/exceptions.py", "class AppError(Exception):\n    pass\n")
	write("node/node_modules/@gradio/client/package.json", `{"name": "@gradio/client", "type": "module", "exports": "./index.js"}`)
	write("node/node_modules/@gradio/client/index.js", `export class Client {
  static async connect(src, options) {
    console.log(options.token || "none");
    process.exit(0);
  }
}
export function handle_file(path) {
  return path;
}
`)
	// curl prints the headers of its -H @file options.
	write("bin/curl", `#!/bin/bash
token=none
while (($# > 0)); do
  if [[ $1 == -H && $2 == @* ]]; then token=$(cat "${2#@}"); fi
  shift
done
echo "${token#Authorization: Bearer }" >&2
exit 7
`)
	type runner struct {
		lang codegen.Lang
		dir  string
		argv func(script string) []string
		env  []string
	}
	runners := []runner{
		{codegen.Python, "python", func(s string) []string { return []string{python, s} }, []string{"PYTHONPATH=" + filepath.Join(fakes, "python")}},
		{codegen.JavaScript, "node", func(s string) []string { return []string{node, s} }, nil},
		{codegen.Curl, "bin", func(s string) []string { return []string{bash, s} },
			[]string{"PATH=" + filepath.Join(fakes, "bin") + string(os.PathListSeparator) + os.Getenv("PATH")}},
	}
	for _, rn := range runners {
		files, err := codegen.Generate(rec, codegen.Options{Lang: rn.lang, Flavour: codegen.Script})
		if err != nil {
			t.Fatal(err)
		}
		script := filepath.Join(fakes, rn.dir, files[0].Path)
		if err := os.WriteFile(script, files[0].Content, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, h := range tokenHosts {
			for _, anyHost := range []bool{false, true} {
				want := h.hf || h.space && rn.lang != codegen.Curl || anyHost
				argv := rn.argv(script)
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Env = append(os.Environ(), append(rn.env, "GRADIO_URL="+h.url, "HF_TOKEN="+hfToken,
					"GRADIO_TOKEN_ANY_HOST=", "GRADIO_USERNAME=admin", "GRADIO_PASSWORD=pw")...)
				if anyHost {
					cmd.Env = append(cmd.Env, "GRADIO_TOKEN_ANY_HOST=1")
				}
				out, _ := cmd.CombinedOutput()
				got := strings.Contains(string(out), hfToken)
				if !got && !strings.Contains(string(out), "none") {
					t.Errorf("%s with GRADIO_URL=%q: the fake client was not reached:\n%s", rn.lang, h.url, out)
					continue
				}
				if got != want {
					t.Errorf("%s with GRADIO_URL=%q (GRADIO_TOKEN_ANY_HOST=%v): sent HF_TOKEN %v, want %v\n%s", rn.lang, h.url, anyHost, got, want, out)
				}
			}
		}
	}
}
