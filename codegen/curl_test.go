package codegen_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// oneCall returns a recording of one call of a public endpoint with one
// string parameter and one string output, on Gradio 6.
func oneCall(root, apiName, input, output string) *recording.Recording {
	q := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b }
	return &recording.Recording{
		Format: recording.Format,
		App: recording.App{URL: root + "/", Root: root, APIPrefix: "/gradio_api", Version: "6.31.0", Protocol: "sse_v3",
			Endpoints: []recording.Endpoint{{FnIndex: 0, APIName: apiName, Visibility: recording.Public, BackendFn: true, Queue: true,
				Inputs:     []recording.Component{{ID: 1, Type: "textbox", Label: "text"}},
				Outputs:    []recording.Component{{ID: 2, Type: "textbox", Label: "out"}},
				Parameters: []recording.Parameter{{Name: "text", Label: "text", Component: "Textbox", PythonType: "str"}},
				Returns:    []recording.Return{{Label: "out", Component: "Textbox", PythonType: "str"}}}}},
		Sessions: []recording.Session{{ID: "s1", Hash: "h1"}},
		Calls: []recording.Call{{ID: 1, Session: "s1", FnIndex: 0, APIName: apiName, Via: recording.ViaQueue,
			Inputs: []recording.Arg{{Name: "text", Value: q(input)}}, Data: []json.RawMessage{q(input)},
			Status: recording.Completed, Outputs: []json.RawMessage{q(output)}}},
	}
}

// runCurl generates the cURL code of rec in a flavour into a temporary
// folder and runs it with bash against url.
func runCurl(t *testing.T, rec *recording.Recording, fl codegen.Flavour, url string) (string, error) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	gradiotest.Need(t, "bash", err)
	for _, tool := range []string{"curl", "jq"} {
		_, err := exec.LookPath(tool)
		gradiotest.Need(t, tool, err)
	}
	files, err := codegen.Generate(rec, codegen.Options{Lang: codegen.Curl, Flavour: fl})
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), files[0].Path)
	if err := os.WriteFile(script, files[0].Content, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, script)
	cmd.Env = append(os.Environ(), "GRADIO_URL="+url)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// closedURL returns the URL of a port nothing listens on: an app that was
// stopped.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	return url
}

// TestCurlStoppedApp runs generated cURL scripts against an app that is
// not running: they must stop at the first call, non-zero, saying that the
// app cannot be reached and how to point them at it.
func TestCurlStoppedApp(t *testing.T) {
	rec := load(t, filepath.Join("testdata", "recordings", "calculator.json"))
	url := closedURL(t)
	for _, fl := range flavours {
		t.Run(string(fl), func(t *testing.T) {
			out, err := runCurl(t, rec, fl, url)
			if err == nil {
				t.Fatalf("the script exited 0 against a stopped app:\n%s", out)
			}
			for _, want := range []string{"is the app running at " + url, "set GRADIO_URL"} {
				if !strings.Contains(out, want) {
					t.Errorf("the output does not say %q:\n%s", want, out)
				}
			}
			if n := strings.Count(out, "is the app running"); n != 1 {
				t.Errorf("the script went on after the first failure (%d messages):\n%s", n, out)
			}
		})
	}
}

// fakeCall is a fake /call API that answers every call with an event id
// and then the given event stream, and notes the paths it was asked for.
type fakeCall struct {
	eventID string
	stream  string
	mu      sync.Mutex
	paths   []string // escaped paths, in order
}

func (f *fakeCall) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.paths = append(f.paths, r.Method+" "+r.URL.EscapedPath())
	f.mu.Unlock()
	io.Copy(io.Discard, r.Body)
	if r.Method == http.MethodPost {
		b, _ := json.Marshal(map[string]string{"event_id": f.eventID})
		w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	io.WriteString(w, f.stream)
}

func (f *fakeCall) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

// TestCurlEncodesPaths checks that generated cURL code puts an api_name
// holding a space, #, ?, % and a line break into the URL as one
// percent-encoded path segment, and takes an event id from the server only
// when it is letters, digits, _ and -: one holding / and a space stops the
// script before it asks for anything else (a real Gradio app refuses a line
// break in an api_name, so this is a fake).
func TestCurlEncodesPaths(t *testing.T) {
	for _, tc := range []struct {
		eventID string
		want    []string
	}{
		{"3f2a_b-9", []string{"POST /gradio_api/call/a%20b%23c%3Fd%0Ae%25", "GET /gradio_api/call/a%20b%23c%3Fd%0Ae%25/3f2a_b-9"}},
		{"../x y#", []string{"POST /gradio_api/call/a%20b%23c%3Fd%0Ae%25"}},
	} {
		fake := &fakeCall{eventID: tc.eventID, stream: "event: complete\ndata: [\"ok\"]\n\n"}
		srv := httptest.NewServer(fake)
		rec := oneCall(srv.URL, "/a b#c?d\ne%", "hi", "ok")
		for _, fl := range flavours {
			t.Run(string(fl)+" "+tc.eventID, func(t *testing.T) {
				before := len(fake.requests())
				out, err := runCurl(t, rec, fl, srv.URL)
				if ok := len(tc.want) == 2; ok != (err == nil) {
					t.Fatalf("exit %v, want success %t\n%s", err, ok, out)
				}
				if len(tc.want) == 1 && !strings.Contains(out, "answered no usable event_id") {
					t.Errorf("the script does not say why it stopped:\n%s", out)
				}
				if got := fake.requests()[before:]; strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("requests\n%s\nwant\n%s\noutput:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"), out)
				}
			})
		}
		srv.Close()
	}
}

// TestCurlFailures checks what a generated cURL script does when a call
// fails with an error event: the script flavour stops, non-zero, when the
// call did not fail in the recording, and goes on when it did; the test
// flavour counts it.
func TestCurlFailures(t *testing.T) {
	fake := &fakeCall{eventID: "e1", stream: "event: error\ndata: {\"error\": \"boom\"}\n\n"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ok := oneCall(srv.URL, "/echo", "hi", "hi")
	out, err := runCurl(t, ok, codegen.Script, srv.URL)
	if err == nil || !strings.Contains(out, "call echo failed") {
		t.Errorf("a call that failed only now: %v\n%s", err, out)
	}
	out, err = runCurl(t, ok, codegen.Test, srv.URL)
	if err == nil || !strings.Contains(out, `FAIL 1 /echo: last event "error" (data {"error": "boom"}), want "complete"`) {
		t.Errorf("test flavour, a call that failed only now: %v\n%s", err, out)
	}
	failed := oneCall(srv.URL, "/echo", "hi", "")
	failed.Calls[0].Status, failed.Calls[0].Outputs = recording.Failed, nil
	failed.Calls[0].Error = &recording.Error{Message: "boom"}
	for _, fl := range flavours {
		out, err := runCurl(t, failed, fl, srv.URL)
		if err != nil {
			t.Errorf("%s: a call that failed in the recording too: %v\n%s", fl, err, out)
		}
	}
}

// TestCurlOddAPIName runs generated cURL code against the names app, whose
// endpoint is named "odd name #1?&=%": the call must reach it and give the
// recorded output.
func TestCurlOddAPIName(t *testing.T) {
	app := gradiotest.Start(t, "names")
	rec := oneCall(app.URL, "/odd name #1?&=%", "hi", "odd: hi")
	for _, fl := range flavours {
		t.Run(string(fl), func(t *testing.T) {
			out, err := runCurl(t, rec, fl, app.URL)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			want := `data: ["odd: hi"]`
			if fl == codegen.Test {
				want = "1 passed, 0 failed"
			}
			if !strings.Contains(out, want) {
				t.Errorf("the output does not show %s:\n%s", want, out)
			}
		})
	}
}

// TestCurlSecretsNotInArguments runs a generated cURL script for an app
// behind a login, with a recorded secret, and for a Space, with HF_TOKEN
// (sent with GRADIO_TOKEN_ANY_HOST=1, as the fake is no Hugging Face host),
// through wrappers of curl and jq that log their arguments: neither the
// password, the secret nor the token may be among them, since other users
// of the machine can see a command line. Every request must carry the token.
func TestCurlSecretsNotInArguments(t *testing.T) {
	const password, secret = "pw-Zq81-secret", "sk-arg-0123456789"
	var logins, requests, withToken atomic.Int32
	fake := &fakeCall{eventID: "e1", stream: "event: complete\ndata: [\"ok\"]\n\n"}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("password") == password {
			logins.Add(1)
		} else {
			w.WriteHeader(http.StatusBadRequest)
		}
	})
	mux.Handle("/", fake)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("Authorization") == "Bearer "+hfToken {
			withToken.Add(1)
		}
		mux.ServeHTTP(w, r)
	}))
	defer srv.Close()
	rec := oneCall(srv.URL, "/echo", "<redacted:API_KEY>", "ok")
	rec.App.Auth = true
	rec.App.SpaceID = "owner/echo"

	bin, log := t.TempDir(), filepath.Join(t.TempDir(), "argv")
	for _, tool := range []string{"curl", "jq"} {
		real, err := exec.LookPath(tool)
		gradiotest.Need(t, tool, err)
		wrapper := "#!/bin/sh\nprintf '%s\\n' \"$*\" >>" + shellQuote(log) + "\nexec " + shellQuote(real) + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("GRADIO_USERNAME", "admin")
	t.Setenv("GRADIO_PASSWORD", password)
	t.Setenv("GRADIO_SECRET_API_KEY", secret)
	t.Setenv("HF_TOKEN", hfToken)
	t.Setenv("GRADIO_TOKEN_ANY_HOST", "1")
	for _, fl := range flavours {
		out, err := runCurl(t, rec, fl, srv.URL)
		if err != nil {
			t.Fatalf("%s: %v\n%s", fl, err, out)
		}
	}
	if n := int(logins.Load()); n != len(flavours) {
		t.Errorf("%d logins with the password, want %d", n, len(flavours))
	}
	if n, m := requests.Load(), withToken.Load(); n == 0 || m != n {
		t.Errorf("%d of %d requests carried HF_TOKEN, want all", m, n)
	}
	argv, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{password, secret, hfToken} {
		if strings.Contains(string(argv), s) {
			t.Errorf("a command line holds %q:\n%s", s, argv)
		}
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestCurlFileOfGradio4 checks the cURL test's download of a file output
// whose URL Gradio 4.x's /call writes wrong (its root cut short: port 7874
// became 787, for an Audio output of a real 4.44 app): the file is fetched
// from the app by its server path, and its bytes compared; a file with
// neither an app URL nor a server path is still not downloaded. A fake,
// because the test-bed apps' outputs get right URLs on 4.44.
func TestCurlFileOfGradio4(t *testing.T) {
	audio := []byte("RIFF....WAVEfmt ")
	const path = "/tmp/gradio/0a1b/tone 1.wav"
	var mu sync.Mutex
	var got []string
	answer := map[string]any{"path": path, "url": "http://127.0.0.1:787/file=" + path, "meta": map[string]string{"_type": "gradio.FileData"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.EscapedPath())
		mu.Unlock()
		io.Copy(io.Discard, r.Body)
		switch {
		case r.Method == http.MethodPost:
			io.WriteString(w, `{"event_id": "e1"}`)
		case r.URL.Path == "/call/tone/e1":
			w.Header().Set("Content-Type", "text/event-stream")
			mu.Lock()
			out, _ := json.Marshal([]map[string]any{answer})
			mu.Unlock()
			io.WriteString(w, "event: complete\ndata: "+string(out)+"\n\n")
		case r.URL.Path == "/file="+path:
			w.Write(audio)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	rec := oneCall(srv.URL, "/tone", "220", "")
	rec.App.APIPrefix, rec.App.Version, rec.App.Protocol = "", "4.44.1", "sse_v3"
	rec.App.Endpoints[0].Outputs[0].Type = "audio"
	sum := sha256.Sum256(audio)
	f := rec.AddFileHash(hex.EncodeToString(sum[:]), int64(len(audio)), "tone 1.wav", "audio/wav", recording.RoleOutput)
	out, _ := json.Marshal(map[string]any{"path": path, "url": "http://127.0.0.1:7874/file=" + path, "orig_name": "tone 1.wav",
		"meta": map[string]string{"_type": "gradio.FileData"}, "fixture": f.Name})
	rec.Calls[0].Outputs[0] = out
	text, err := runCurl(t, rec, codegen.Test, srv.URL)
	if err != nil || !strings.Contains(text, "1 passed, 0 failed") {
		t.Fatalf("exit %v: want the file fetched by its path and passed\n%s", err, text)
	}
	if want := "GET /file=/tmp/gradio/0a1b/tone%201.wav"; !slices.Contains(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}

	// On another host, with no server path: not downloaded.
	mu.Lock()
	answer = map[string]any{"path": "http://127.0.0.1:9/x.wav", "url": "http://127.0.0.1:9/x.wav", "meta": map[string]string{"_type": "gradio.FileData"}}
	mu.Unlock()
	text, err = runCurl(t, rec, codegen.Test, srv.URL)
	if err == nil || !strings.Contains(text, "not in the app at "+srv.URL+": not downloaded") {
		t.Errorf("exit %v: want the file of another host not downloaded\n%s", err, text)
	}
}
