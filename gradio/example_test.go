package gradio_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
)

// exampleApp serves a tiny Gradio 6 app so that the examples run without
// Python: /calculate(num1, operation, num2), a generator /count(n), and
// /shout(file) that returns an uppercased copy of a text file.
func exampleApp() *httptest.Server {
	var mu sync.Mutex
	queues := map[string]chan string{}
	files := map[string]string{}
	queue := func(hash string) chan string {
		mu.Lock()
		defer mu.Unlock()
		if queues[hash] == nil {
			queues[hash] = make(chan string, 100)
		}
		return queues[hash]
	}
	num := func(label, name string, def any) map[string]any {
		return map[string]any{"label": label, "parameter_name": name, "parameter_has_default": def != nil, "parameter_default": def,
			"python_type": map[string]any{"type": "float", "description": ""}, "component": "Number"}
	}
	ret := func(label, comp, typ string) map[string]any {
		return map[string]any{"label": label, "python_type": map[string]any{"type": typ, "description": ""}, "component": comp}
	}
	config := map[string]any{"version": "6.31.0", "api_prefix": "/gradio_api", "protocol": "sse_v3", "connect_heartbeat": false,
		"components": []any{
			map[string]any{"id": 1, "type": "number", "props": map[string]any{"label": "num1"}},
			map[string]any{"id": 2, "type": "radio", "props": map[string]any{"label": "operation"}},
			map[string]any{"id": 3, "type": "number", "props": map[string]any{"label": "num2"}},
			map[string]any{"id": 4, "type": "number", "props": map[string]any{"label": "result"}},
			map[string]any{"id": 5, "type": "textbox", "props": map[string]any{"label": "count"}},
			map[string]any{"id": 6, "type": "file", "props": map[string]any{"label": "file"}},
		},
		"dependencies": []any{
			map[string]any{"id": 0, "api_name": "calculate", "inputs": []int{1, 2, 3}, "outputs": []int{4}, "backend_fn": true, "queue": true, "api_visibility": "public"},
			map[string]any{"id": 1, "api_name": "count", "inputs": []int{1}, "outputs": []int{5}, "backend_fn": true, "queue": true, "api_visibility": "public", "types": map[string]any{"generator": true}},
			map[string]any{"id": 2, "api_name": "shout", "inputs": []int{6}, "outputs": []int{6}, "backend_fn": true, "queue": true, "api_visibility": "public"},
		}}
	info := map[string]any{"named_endpoints": map[string]any{
		"/calculate": map[string]any{"api_visibility": "public", "parameters": []any{num("num1", "num1", 3), map[string]any{
			"label": "operation", "parameter_name": "operation", "parameter_has_default": true, "parameter_default": "add",
			"python_type": map[string]any{"type": "Literal['add', 'subtract']", "description": ""}, "component": "Radio"}, num("num2", "num2", 4)},
			"returns": []any{ret("result", "Number", "float")}},
		"/count": map[string]any{"api_visibility": "public", "parameters": []any{num("n", "n", nil)}, "returns": []any{ret("count", "Textbox", "str")}},
		"/shout": map[string]any{"api_visibility": "public", "parameters": []any{map[string]any{"label": "file", "parameter_name": "file",
			"python_type": map[string]any{"type": "filepath", "description": ""}, "component": "File"}},
			"returns": []any{ret("file", "File", "filepath")}},
	}}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		send := func(v any) { json.NewEncoder(w).Encode(v) }
		switch p := r.URL.Path; {
		case p == "/config":
			send(config)
		case p == "/gradio_api/info":
			send(info)
		case p == "/gradio_api/upload":
			r.ParseMultipartForm(1 << 20)
			fh := r.MultipartForm.File["files"][0]
			f, _ := fh.Open()
			b, _ := io.ReadAll(f)
			path := "/tmp/gradio/up/" + fh.Filename
			mu.Lock()
			files[path] = string(b)
			mu.Unlock()
			send([]string{path})
		case strings.HasPrefix(p, "/gradio_api/file="):
			mu.Lock()
			io.WriteString(w, files[strings.TrimPrefix(p, "/gradio_api/file=")])
			mu.Unlock()
		case p == "/gradio_api/queue/join":
			var body struct {
				Data        []any  `json:"data"`
				FnIndex     int    `json:"fn_index"`
				SessionHash string `json:"session_hash"`
			}
			json.NewDecoder(r.Body).Decode(&body)
			q := queue(body.SessionHash)
			emit := func(format string, args ...any) { q <- fmt.Sprintf(format, args...) }
			emit(`{"msg":"estimation","event_id":"e1","rank":0,"queue_size":1}`)
			emit(`{"msg":"process_starts","event_id":"e1"}`)
			switch body.FnIndex {
			case 0:
				a, b := body.Data[0].(float64), body.Data[2].(float64)
				if body.Data[1] == "subtract" {
					b = -b
				}
				emit(`{"msg":"process_completed","event_id":"e1","success":true,"output":{"data":[%v],"duration":0.01}}`, a+b)
			case 1:
				n := int(body.Data[0].(float64))
				for i := 1; i <= n; i++ {
					if i == 1 {
						emit(`{"msg":"process_generating","event_id":"e1","success":true,"output":{"data":["1"]}}`)
					} else {
						emit(`{"msg":"process_generating","event_id":"e1","success":true,"output":{"data":[[["append",[]," %d"]]]}}`, i)
					}
				}
				emit(`{"msg":"progress","event_id":"e1","progress_data":[{"index":%d,"length":%d,"unit":"steps","desc":"counting"}]}`, n, n)
				out, _ := json.Marshal(countTo(n))
				emit(`{"msg":"process_completed","event_id":"e1","success":true,"output":{"data":[%s]}}`, out)
			case 2:
				in := body.Data[0].(map[string]any)["path"].(string)
				mu.Lock()
				files["/tmp/gradio/out/LOUD.txt"] = strings.ToUpper(files[in])
				mu.Unlock()
				emit(`{"msg":"process_completed","event_id":"e1","success":true,"output":{"data":[{"path":"/tmp/gradio/out/LOUD.txt","url":"%s/gradio_api/file=/tmp/gradio/out/LOUD.txt","orig_name":"LOUD.txt","size":5,"meta":{"_type":"gradio.FileData"}}]}}`, srv.URL)
			}
			emit(`{"msg":"close_stream","event_id":null}`)
			send(map[string]string{"event_id": "e1"})
		case p == "/gradio_api/queue/data":
			w.Header().Set("Content-Type", "text/event-stream")
			q := queue(r.URL.Query().Get("session_hash"))
			for m := range q {
				fmt.Fprintf(w, "data: %s\n\n", m)
				w.(http.Flusher).Flush()
				if strings.Contains(m, "close_stream") {
					return
				}
			}
		default:
			http.NotFound(w, r)
		}
	}))
	return srv
}

func countTo(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprint(i + 1)
	}
	return strings.Join(parts, " ")
}

// Connect to an app and call an endpoint with positional arguments.
func Example() {
	app := exampleApp()
	defer app.Close()
	ctx := context.Background()

	c, err := gradio.Connect(ctx, app.URL) // or a Space id: "owner/name"
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	res, err := c.Predict(ctx, "/calculate", 3, "add", 4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Value())
	// Output: 7
}

// Keyword arguments: parameters left out take their defaults.
func ExampleNamed() {
	app := exampleApp()
	defer app.Close()
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	res, err := c.Predict(ctx, "/calculate", gradio.Named{"num1": 10, "operation": "subtract"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Value()) // num2 defaults to 4

	_, err = c.Predict(ctx, "/calculate", gradio.Named{"x": 1})
	fmt.Println(err)
	// Output:
	// 6
	// predict /calculate: unknown parameter "x"; valid names: num1, operation, num2
}

// Follow a generator: every update, then the final result.
func ExampleJob_Updates() {
	app := exampleApp()
	defer app.Close()
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	job, err := c.Submit(ctx, "/count", 3)
	if err != nil {
		log.Fatal(err)
	}
	for u := range job.Updates() {
		switch u.Kind {
		case gradio.UpdateQueued:
			fmt.Printf("queued at %d of %d\n", u.Rank, u.QueueSize)
		case gradio.UpdateOutput:
			fmt.Printf("output %q\n", u.Output[0])
		case gradio.UpdateProgress:
			fmt.Printf("progress %d/%d %s\n", *u.Progress[0].Index, *u.Progress[0].Length, u.Progress[0].Desc)
		case gradio.UpdateCompleted:
			fmt.Printf("done %q, err %v\n", u.Output[0], u.Err)
		}
	}
	fmt.Println(len(job.Outputs()), "intermediate outputs")
	// Output:
	// queued at 0 of 1
	// output "1"
	// output "1 2"
	// output "1 2 3"
	// progress 3/3 counting
	// done "1 2 3", err <nil>
	// 3 intermediate outputs
}

// Upload a file as an input and download the file the app returns.
func ExampleFile() {
	app := exampleApp()
	defer app.Close()
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "quiet.txt")
	os.WriteFile(in, []byte("hello"), 0o644)

	res, err := c.Predict(ctx, "/shout", gradio.File(in)) // or gradio.FileBytes, gradio.FileURL
	if err != nil {
		log.Fatal(err)
	}
	out := res.Value().(*gradio.FileData)
	path, err := out.Download(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	fmt.Println(out.OrigName, filepath.Base(path), string(b))
	// Output: LOUD.txt LOUD.txt HELLO
}

// Print the endpoints the way gradio_client's view_api() does.
func ExampleClient_ViewAPI() {
	app := exampleApp()
	defer app.Close()
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	api := c.ViewAPI()
	// The text matches gradio_client's byte for byte, trailing spaces
	// included; they are trimmed here for the example's output check.
	for _, line := range strings.Split(strings.TrimSuffix(api.String(), "\n"), "\n") {
		fmt.Println(strings.TrimRight(line, " "))
	}
	fmt.Println(api.Endpoints[0].Parameters[1].Name, api.Endpoints[0].Parameters[1].Default)
	// Output:
	// Client.predict() Usage Info
	// ---------------------------
	// Named API endpoints: 3
	//
	//  - predict(num1, operation, num2, api_name="/calculate") -> result
	//     Parameters:
	//      - [Number] num1: float (not required, defaults to:   3)
	//      - [Radio] operation: Literal['add', 'subtract'] (not required, defaults to:   add)
	//      - [Number] num2: float (not required, defaults to:   4)
	//     Returns:
	//      - [Number] result: float
	//
	//  - predict(n, api_name="/count") -> count
	//     Parameters:
	//      - [Number] n: float (required)
	//     Returns:
	//      - [Textbox] count: str
	//
	//  - predict(file, api_name="/shout") -> file
	//     Parameters:
	//      - [File] file: filepath (required)
	//     Returns:
	//      - [File] file: filepath
	// operation add
}

// Address an endpoint by fn_index (its dependency id), and tell errors apart.
func ExampleClient_EndpointByIndex() {
	app := exampleApp()
	defer app.Close()
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	e, err := c.EndpointByIndex(0)
	if err != nil {
		log.Fatal(err)
	}
	res, err := e.Predict(ctx, 1, "add", 1)
	fmt.Println(e.Info().APIName, res.Value(), err)

	_, err = c.EndpointByIndex(42)
	fmt.Println(errors.Is(err, gradio.ErrUnknownEndpoint))
	// Output:
	// /calculate 2 <nil>
	// true
}

// Limit how long the client waits for a silent app: here a server that
// accepts connections and never answers.
func ExampleWithConnectTimeout() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // held open, never answered
		}
	}()

	_, err = gradio.Connect(context.Background(), "http://"+ln.Addr().String(),
		gradio.WithConnectTimeout(100*time.Millisecond), gradio.WithReadTimeout(time.Minute))
	var te *gradio.TimeoutError
	if errors.As(err, &te) {
		fmt.Printf("%s after %s (%s)\n", te.What, te.Limit, te.Option)
	}
	// Output: no response headers after 100ms (WithConnectTimeout)
}
