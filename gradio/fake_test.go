package gradio

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeApp is an httptest Gradio server: config, info, queue (join + data
// stream), run/predict, upload, cancel, heartbeat, file and login routes.
// Tests script the functions (fns) and can replace any route.
type fakeApp struct {
	t      testing.TB
	srv    *httptest.Server
	mux    *http.ServeMux
	prefix string // "/gradio_api", or "" for Gradio 4.x

	config map[string]any
	info   map[string]any

	mu         sync.Mutex
	fns        map[int]func(ev *fakeEvent)
	sessions   map[string]*fakeSession
	joins      []fakeJoin
	runs       []fakeJoin
	cancels    []map[string]any
	uploads    [][]fakeUpload
	headers    []http.Header // of every request
	heartbeats int           // heartbeat connections opened
	streams    int           // queue/data connections opened
	nextID     int
	joinHook   func(j fakeJoin) (status int, body string) // non-zero status: answer that instead
	password   string                                     // non-empty: login required
}

type fakeJoin struct {
	Data        []any  `json:"data"`
	FnIndex     int    `json:"fn_index"`
	SessionHash string `json:"session_hash"`
	EventData   any    `json:"event_data"`
	TriggerID   *int   `json:"trigger_id"`
	Header      http.Header
}

type fakeUpload struct {
	Field, Name, ContentType string
	Data                     []byte
}

type fakeSession struct {
	msgs    chan map[string]any
	pending map[string]bool
}

// fakeEvent is one queued call as a fake function sees it.
type fakeEvent struct {
	app  *fakeApp
	id   string
	sess *fakeSession
	join fakeJoin
}

// emit sends a message of this event on the session's stream.
func (ev *fakeEvent) emit(msg map[string]any) {
	if _, ok := msg["event_id"]; !ok {
		msg["event_id"] = ev.id
	}
	ev.sess.msgs <- msg
}

// complete sends a successful process_completed with data.
func (ev *fakeEvent) complete(data ...any) {
	ev.emit(map[string]any{"msg": "process_completed", "success": true,
		"output": map[string]any{"data": data, "is_generating": false, "duration": 0.25}})
}

// stdConfig is a 6.x-style config with these dependencies:
//
//	0 /add     (a, b) -> sum          queued
//	1 /noq     (a, b) -> sum          queue=False
//	2 /gen     (text) -> text         generator
//	3 /state   (a, State) -> (sum, State)
//	4 /file    (file) -> file
//	5 /hidden  (a) -> sum             undocumented
//	6 /priv    (a) -> sum             private
//	7 js_fn    no backend function
func stdConfig() map[string]any {
	comp := func(id int, typ, label string, skip bool) map[string]any {
		c := map[string]any{"id": id, "type": typ, "props": map[string]any{"label": label, "name": typ}, "skip_api": skip}
		if !skip {
			c["api_info"] = map[string]any{"type": "number"}
		}
		return c
	}
	dep := func(id int, name string, in, out []int, queue, gen bool, vis string) map[string]any {
		return map[string]any{"id": id, "api_name": name, "inputs": in, "outputs": out, "backend_fn": true,
			"queue": queue, "types": map[string]any{"generator": gen, "cancel": false}, "api_visibility": vis,
			"targets": []any{[]any{9, "click"}}, "connection": "sse"}
	}
	deps := []any{
		dep(0, "add", []int{1, 2}, []int{3}, true, false, "public"),
		dep(1, "noq", []int{1, 2}, []int{3}, false, false, "public"),
		dep(2, "gen", []int{4}, []int{5}, true, true, "public"),
		dep(3, "state", []int{1, 10}, []int{3, 10}, true, false, "public"),
		dep(4, "file", []int{6}, []int{7}, true, false, "public"),
		dep(5, "hidden", []int{1}, []int{3}, true, false, "undocumented"),
		dep(6, "priv", []int{1}, []int{3}, true, false, "private"),
	}
	js := dep(7, "js_fn", []int{1}, []int{3}, false, false, "private")
	js["backend_fn"] = false
	deps = append(deps, js)
	return map[string]any{
		"version": "6.31.0", "api_prefix": "/gradio_api", "protocol": "sse_v3", "mode": "blocks",
		"connect_heartbeat": false, "max_file_size": nil, "app_id": 16186588992090982661.0,
		"components": []any{
			comp(1, "number", "A", false), comp(2, "number", "B", false), comp(3, "number", "Sum", false),
			comp(4, "textbox", "Text", false), comp(5, "textbox", "Out", false),
			comp(6, "file", "In file", false), comp(7, "file", "Out file", false),
			comp(9, "button", "Go", true), comp(10, "state", "", true),
		},
		"dependencies": deps,
	}
}

// stdInfo is the /info?all_endpoints=true body matching stdConfig.
func stdInfo() map[string]any {
	num := func(label, name string, def any) map[string]any {
		p := map[string]any{"label": label, "parameter_name": name, "parameter_has_default": def != nil,
			"parameter_default": def, "type": map[string]any{"type": "number"},
			"python_type": map[string]any{"type": "float", "description": ""}, "component": "Number", "example_input": 3}
		return p
	}
	ret := func(label, comp, typ string) map[string]any {
		return map[string]any{"label": label, "type": map[string]any{}, "python_type": map[string]any{"type": typ, "description": ""}, "component": comp}
	}
	ep := func(vis string, params []any, rets []any) map[string]any {
		return map[string]any{"description": "", "api_visibility": vis, "parameters": params, "returns": rets}
	}
	text := map[string]any{"label": "Text", "parameter_name": "text", "parameter_has_default": false, "parameter_default": nil,
		"type": map[string]any{"type": "string"}, "python_type": map[string]any{"type": "str", "description": ""}, "component": "Textbox", "example_input": "Hello!!"}
	file := map[string]any{"label": "In file", "parameter_name": "f", "parameter_has_default": false, "parameter_default": nil,
		"type": map[string]any{}, "python_type": map[string]any{"type": "filepath", "description": ""}, "component": "File"}
	return map[string]any{
		"named_endpoints": map[string]any{
			"/add":    ep("public", []any{num("A", "a", 1), num("B", "b", 2)}, []any{ret("Sum", "Number", "float")}),
			"/noq":    ep("public", []any{num("A", "a", 1), num("B", "b", 2)}, []any{ret("Sum", "Number", "float")}),
			"/gen":    ep("public", []any{text}, []any{ret("Out", "Textbox", "str")}),
			"/state":  ep("public", []any{num("A", "a", nil)}, []any{ret("Sum", "Number", "float")}),
			"/file":   ep("public", []any{file}, []any{ret("Out file", "File", "filepath")}),
			"/hidden": ep("undocumented", []any{num("A", "a", nil)}, []any{ret("Sum", "Number", "float")}),
		},
		"unnamed_endpoints": map[string]any{},
	}
}

// newFakeApp starts a fake Gradio 6 app with stdConfig and default
// functions: /add, /noq, /hidden and /priv add their inputs, /gen yields the
// text's prefixes as diffs, /state keeps a running sum, /file echoes.
func newFakeApp(t testing.TB) *fakeApp {
	t.Helper()
	a := &fakeApp{t: t, prefix: "/gradio_api", config: stdConfig(), info: stdInfo(),
		fns: map[int]func(*fakeEvent){}, sessions: map[string]*fakeSession{}}
	sum := func(ev *fakeEvent) {
		total := 0.0
		for _, v := range ev.join.Data {
			if f, ok := v.(float64); ok {
				total += f
			}
		}
		ev.emit(map[string]any{"msg": "estimation", "rank": 0, "queue_size": 1, "rank_eta": nil})
		ev.emit(map[string]any{"msg": "process_starts", "eta": 1.5})
		ev.complete(total)
	}
	a.fns[0], a.fns[5], a.fns[6] = sum, sum, sum
	a.fns[2] = func(ev *fakeEvent) {
		text, _ := ev.join.Data[0].(string)
		ev.emit(map[string]any{"msg": "process_starts", "eta": nil})
		for i := 1; i <= len(text); i++ {
			data := []any{text[:1]}
			if i > 1 {
				data = []any{[]any{[]any{"append", []any{}, text[i-1 : i]}}}
			}
			ev.emit(map[string]any{"msg": "process_generating", "success": true, "output": map[string]any{"data": data, "is_generating": true}})
		}
		ev.complete(text)
	}
	states := map[string]float64{}
	a.fns[3] = func(ev *fakeEvent) {
		a.mu.Lock()
		v, _ := ev.join.Data[0].(float64)
		states[ev.join.SessionHash] += v
		total := states[ev.join.SessionHash]
		a.mu.Unlock()
		ev.complete(total, nil)
	}
	a.fns[4] = func(ev *fakeEvent) {
		in, _ := ev.join.Data[0].(map[string]any)
		p, _ := in["path"].(string)
		ev.complete(map[string]any{"path": p, "url": a.srv.URL + a.prefix + "/file=" + p, "size": 5,
			"orig_name": in["orig_name"], "mime_type": "text/plain", "is_stream": false, "meta": map[string]any{"_type": "gradio.FileData"}})
	}
	a.mux = http.NewServeMux()
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// v4 turns the app into a Gradio 4.44 one: no api_prefix, show_api flags.
func (a *fakeApp) v4() *fakeApp {
	a.prefix = ""
	a.config["version"] = "4.44.1"
	delete(a.config, "api_prefix")
	for _, d := range a.config["dependencies"].([]any) {
		dm := d.(map[string]any)
		switch dm["api_visibility"] {
		case "undocumented":
			dm["show_api"] = false
		case "private":
			dm["api_name"] = false
			dm["show_api"] = false
		default:
			dm["show_api"] = true
		}
		delete(dm, "api_visibility")
	}
	for _, e := range a.info["named_endpoints"].(map[string]any) {
		em := e.(map[string]any)
		em["show_api"] = em["api_visibility"] != "undocumented"
		delete(em, "api_visibility")
		delete(em, "description")
	}
	return a
}

func (a *fakeApp) url() string { return a.srv.URL }

// handle replaces the handler of one path (without prefix handling).
func (a *fakeApp) handle(path string, h http.HandlerFunc) { a.mux.HandleFunc(path, h) }

func (a *fakeApp) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.headers = append(a.headers, r.Header.Clone())
	a.mu.Unlock()
	if h, pattern := a.mux.Handler(r); pattern != "" {
		h.ServeHTTP(w, r)
		return
	}
	path := r.URL.Path
	if path == "/login" && r.Method == http.MethodPost {
		a.login(w, r)
		return
	}
	if a.password != "" && !a.authorized(r) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"detail":{"error":"Not authenticated","auth_message":null}}`)
		return
	}
	if path == "/config" {
		writeJSON(w, a.config)
		return
	}
	rest, ok := strings.CutPrefix(path, a.prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case rest == "/info":
		writeJSON(w, a.info)
	case rest == "/queue/join":
		a.join(w, r)
	case rest == "/queue/data":
		a.data(w, r)
	case rest == "/run/predict":
		a.run(w, r)
	case rest == "/cancel":
		a.cancel(w, r)
	case rest == "/upload":
		a.upload(w, r)
	case strings.HasPrefix(rest, "/heartbeat/"):
		a.heartbeat(w, r)
	case strings.HasPrefix(rest, "/file="):
		io.WriteString(w, "file:"+strings.TrimPrefix(rest, "/file="))
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (a *fakeApp) login(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("username") != "user" || r.FormValue("password") != a.password {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"detail": "Incorrect credentials."}`)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "access-token-unsecure-x", Value: "tok", Path: "/", HttpOnly: true})
	writeJSON(w, map[string]any{"success": true})
}

func (a *fakeApp) authorized(r *http.Request) bool {
	c, err := r.Cookie("access-token-unsecure-x")
	return err == nil && c.Value == "tok"
}

func (a *fakeApp) session(hash string) *fakeSession {
	s := a.sessions[hash]
	if s == nil {
		s = &fakeSession{msgs: make(chan map[string]any, 1000), pending: map[string]bool{}}
		a.sessions[hash] = s
	}
	return s
}

func (a *fakeApp) join(w http.ResponseWriter, r *http.Request) {
	var j fakeJoin
	if err := json.NewDecoder(r.Body).Decode(&j); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	j.Header = r.Header.Clone()
	a.mu.Lock()
	a.joins = append(a.joins, j)
	hook := a.joinHook
	a.mu.Unlock()
	if hook != nil {
		if status, body := hook(j); status != 0 {
			w.WriteHeader(status)
			io.WriteString(w, body)
			return
		}
	}
	a.mu.Lock()
	a.nextID++
	id := fmt.Sprintf("ev%d", a.nextID)
	s := a.session(j.SessionHash)
	s.pending[id] = true
	fn := a.fns[j.FnIndex]
	a.mu.Unlock()
	ev := &fakeEvent{app: a, id: id, sess: s, join: j}
	if fn == nil {
		fn = func(ev *fakeEvent) { ev.complete() }
	}
	go fn(ev)
	writeJSON(w, map[string]any{"event_id": id})
}

// data streams a session's messages like Gradio's queue_data: close_stream
// once no event is pending.
func (a *fakeApp) data(w http.ResponseWriter, r *http.Request) {
	hash := r.URL.Query().Get("session_hash")
	a.mu.Lock()
	a.streams++
	s := a.sessions[hash]
	a.mu.Unlock()
	w.Header().Set("Content-Type", "text/event-stream")
	fl := w.(http.Flusher)
	send := func(m map[string]any) {
		b, _ := json.Marshal(m)
		fmt.Fprintf(w, "data: %s\n\n", b)
		fl.Flush()
	}
	if s == nil {
		send(map[string]any{"msg": "unexpected_error", "event_id": nil, "message": "404", "session_not_found": true, "success": false})
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case m := <-s.msgs:
			send(m)
			if m["msg"] == "process_completed" {
				a.mu.Lock()
				delete(s.pending, fmt.Sprint(m["event_id"]))
				empty := len(s.pending) == 0
				a.mu.Unlock()
				if empty {
					send(map[string]any{"msg": "close_stream", "event_id": nil})
					return
				}
			}
		}
	}
}

func (a *fakeApp) run(w http.ResponseWriter, r *http.Request) {
	var j fakeJoin
	json.NewDecoder(r.Body).Decode(&j)
	j.Header = r.Header.Clone()
	a.mu.Lock()
	a.runs = append(a.runs, j)
	a.mu.Unlock()
	total := 0.0
	for _, v := range j.Data {
		f, ok := v.(float64)
		if !ok {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":"not a number","duration":10,"visible":true,"title":"Bad"}`)
			return
		}
		total += f
	}
	writeJSON(w, map[string]any{"data": []any{total}, "is_generating": false, "duration": 0.5})
}

func (a *fakeApp) cancel(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	a.mu.Lock()
	a.cancels = append(a.cancels, body)
	s := a.sessions[fmt.Sprint(body["session_hash"])]
	a.mu.Unlock()
	if s != nil {
		s.msgs <- map[string]any{"msg": "process_completed", "event_id": body["event_id"], "output": map[string]any{}, "success": true}
	}
	writeJSON(w, map[string]any{"success": true})
}

func (a *fakeApp) upload(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var got []fakeUpload
	var paths []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b, _ := io.ReadAll(p)
		got = append(got, fakeUpload{Field: p.FormName(), Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: b})
		paths = append(paths, "/tmp/gradio/abc/"+p.FileName())
	}
	a.mu.Lock()
	a.uploads = append(a.uploads, got)
	a.mu.Unlock()
	writeJSON(w, paths)
}

func (a *fakeApp) heartbeat(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.heartbeats++
	a.mu.Unlock()
	w.Header().Set("Content-Type", "text/event-stream")
	io.WriteString(w, "data: ALIVE\n\n")
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// connect connects to the fake app, failing the test on error, and closes
// the client at the end of the test.
func (a *fakeApp) connect(opts ...Option) *Client {
	a.t.Helper()
	c, err := Connect(testCtx(a.t), a.url(), opts...)
	if err != nil {
		a.t.Fatalf("Connect: %v", err)
	}
	a.t.Cleanup(func() { c.Close() })
	return c
}

// testCtx returns a context that ends with the test or after 20 seconds.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond until it holds or a second passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sseServer serves a scripted event stream: frames are written one by one,
// flushed after each.
func writeFrames(w http.ResponseWriter, frames ...string) {
	w.Header().Set("Content-Type", "text/event-stream")
	fl := w.(http.Flusher)
	for _, f := range frames {
		io.WriteString(w, f)
		fl.Flush()
	}
}

// newServer starts an httptest server for the test and returns its URL.
func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
