package codegen_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// The tests of this file put hostile strings into every string of a
// recording, found by reflection over recording.Recording (so that a new
// field is covered without a change here) and inside its JSON values (keys
// too), and check that the generated code of every language and flavour
// still parses, with no recorded text outside a literal or a comment, and
// that running it creates no file.

// marker is recorded text that is a syntax error wherever it is code: "@" in
// Python, JavaScript and Go, ";;" in bash. Each hostile value puts it right
// after an attempt to leave a literal or a comment, so that code which lets
// the attempt through does not parse.
const marker = "@@@;;PWNED"

// breakers are what could end a literal, a comment, a docstring, a line or
// a file name in one of the languages, or start an expansion.
var breakers = []string{
	`"`, `'`, `"""`, `'''`, "`", "${", "$(", "\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\x00",
	"*/", "/*", "</script>", "\x1b[31m", "#", "//", "-->", "<!--", `\`, "\u202e", "\ufeff",
	"<redacted:API_KEY>", "<redacted>", "../", "-rf ", "%0A", "\t",
}

// hostileValues returns the strings the per-field test tries: every breaker
// at once, and the ones that could undo another's effect on their own.
func hostileValues() []string {
	var all strings.Builder
	for _, b := range breakers {
		all.WriteString(b + marker + " ")
	}
	return []string{
		all.String(),
		`"""` + marker,
		`'''` + marker,
		`"` + marker,
		`'` + marker,
		"`" + marker + "`",
		"\n" + marker,
		"\u2028" + marker,
		"*/" + marker,
		marker + `\`,
		"${" + marker + "}",
		"$(" + marker + ")",
	}
}

// hostileBase is a valid recording that reaches every path of the
// generators: public, undocumented, private and UI-only endpoints, a
// generator, an input and an output file, event data, failures with and
// without an HTTP status, cancelled and unfinished calls, a call known only
// by its raw data, masks, log and progress messages, and named and anonymous
// secrets.
func hostileBase() *recording.Recording {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	text := func(label string) recording.Component {
		return recording.Component{ID: len(label), Type: "textbox", Label: label}
	}
	str := recording.Parameter{Name: "text", Label: "text", Component: "Textbox", PythonType: "str", Type: raw(`{"type":"string"}`), HasDefault: true, Default: raw(`"ping"`)}
	ret := recording.Return{Label: "out", Component: "Json", PythonType: "Dict[str, Any]", Type: raw(`{"type":"object"}`)}
	state := recording.Component{ID: 99, Type: "state", Skip: true}
	inSHA, outSHA := strings.Repeat("a", 64), strings.Repeat("b", 64)
	fileIn := `{"path":"cat.png","orig_name":"cat.png","meta":{"_type":"gradio.FileData"},"fixture":"` + inSHA + `/cat.png"}`
	fileOut := `{"path":"/tmp/out.png","url":"http://127.0.0.1:7860/gradio_api/file=/tmp/out.png","orig_name":"out.png","meta":{"_type":"gradio.FileData"},"fixture":"` + outSHA + `/out.png"}`
	trigger := 7
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	return &recording.Recording{
		Format: recording.Format, Created: at, Tool: "gradiorec v0.0.0-test",
		App: recording.App{
			URL: "http://127.0.0.1:7860/app/?x=1", Root: "http://127.0.0.1:7860/app", APIPrefix: "/gradio_api",
			Version: "6.31.0", Protocol: "sse_v3", SpaceID: "owner/space",
			Endpoints: []recording.Endpoint{
				{FnIndex: 0, APIName: "/echo", Visibility: recording.Public, BackendFn: true, Queue: true,
					Inputs:     []recording.Component{text("text"), {ID: 2, Type: "textbox", Label: "API key"}, state},
					Outputs:    []recording.Component{{ID: 3, Type: "json", Label: "out"}, state},
					Parameters: []recording.Parameter{str, {Name: "api_key", Label: "API key", Component: "Textbox", PythonType: "str"}},
					Returns:    []recording.Return{ret}},
				{FnIndex: 1, APIName: "/shout", Visibility: recording.Undocumented, BackendFn: true, Queue: true,
					Inputs: []recording.Component{text("name")}, Outputs: []recording.Component{text("greeting")},
					Parameters: []recording.Parameter{{Name: "name", Label: "name", Component: "Textbox"}},
					Returns:    []recording.Return{{Label: "greeting", Component: "Textbox"}}},
				{FnIndex: 2, APIName: "/whisper", Visibility: recording.Private, BackendFn: true, Queue: true,
					Inputs: []recording.Component{text("name")}, Outputs: []recording.Component{text("greeting")}},
				{FnIndex: 3, APIName: "/js_fn", Visibility: recording.Private, BackendFn: false,
					Inputs: []recording.Component{text("name")}, Outputs: []recording.Component{text("greeting")}},
				{FnIndex: 4, APIName: "/count", Visibility: recording.Public, BackendFn: true, Queue: true, Generator: true,
					Inputs: []recording.Component{{ID: 40, Type: "number", Label: "n"}}, Outputs: []recording.Component{{ID: 41, Type: "number", Label: "counter"}},
					Parameters: []recording.Parameter{{Name: "n", Label: "n", Component: "Number", PythonType: "float"}},
					Returns:    []recording.Return{{Label: "counter", Component: "Number"}}},
				{FnIndex: 5, APIName: "/mirror", Visibility: recording.Public, BackendFn: true, Queue: false,
					Inputs: []recording.Component{{ID: 50, Type: "image", Label: "image"}}, Outputs: []recording.Component{{ID: 51, Type: "image", Label: "mirrored"}},
					Parameters: []recording.Parameter{{Name: "image", Label: "image", Component: "Image", PythonType: "filepath"}},
					Returns:    []recording.Return{{Label: "mirrored", Component: "Image", PythonType: "filepath"}}},
			},
		},
		Sessions: []recording.Session{{ID: "s1", Hash: "hash1"}, {ID: "s2", Hash: "hash2"}, {ID: "s3", Hash: "hash3"}, {ID: "s4", Hash: "hash4"}},
		Calls: []recording.Call{
			{ID: 1, Session: "s1", FnIndex: 0, APIName: "/echo", Via: recording.ViaQueue, EventID: "event1",
				Inputs:    []recording.Arg{{Name: "text", Value: raw(`"hello"`)}, {Name: "api_key", Value: raw(`"<redacted:API_KEY>"`)}},
				Data:      []json.RawMessage{raw(`"hello"`), raw(`"<redacted:API_KEY>"`), raw(`null`)},
				EventData: raw(`{"index":[0,1],"value":"cell"}`), TriggerID: &trigger, Status: recording.Completed,
				Outputs:  []json.RawMessage{raw(`{"said":"hello","auth":"Bearer <redacted:API_KEY>","stamp":"t1","nonce":"n1"}`)},
				Log:      []recording.Log{{Level: "info", Message: "Starting", Title: "Note"}},
				Progress: []recording.Progress{{Bars: []recording.Bar{{Unit: "steps", Desc: "Working"}}}},
				Started:  at, Duration: 0.1},
			{ID: 2, Session: "s1", FnIndex: 0, APIName: "/echo", Via: recording.ViaQueue, EventID: "event2",
				Inputs: []recording.Arg{{Name: "text", Value: raw(`"<redacted>"`)}, {Name: "api_key", Value: raw(`"key <redacted:API_KEY>"`)}},
				Status: recording.Failed, Error: &recording.Error{Message: "boom", Title: "Oops"}, Started: at},
			{ID: 3, Session: "s1", FnIndex: 1, APIName: "/shout", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "name", Value: raw(`"Ann"`)}}, Status: recording.Completed,
				Outputs: []json.RawMessage{raw(`"ANN!"`)}, Started: at},
			{ID: 4, Session: "s1", FnIndex: 2, APIName: "/whisper", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "name", Value: raw(`"x"`)}}, Status: recording.Completed,
				Outputs: []json.RawMessage{raw(`"x"`)}, Started: at},
			{ID: 5, Session: "s2", FnIndex: 3, APIName: "/js_fn", Via: recording.ViaQueue,
				Data: []json.RawMessage{raw(`"a"`)}, Status: recording.Completed, Started: at},
			{ID: 6, Session: "s2", FnIndex: 4, APIName: "/count", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "n", Value: raw(`3`)}}, Status: recording.Completed,
				Updates: [][]json.RawMessage{{raw(`1`)}, {raw(`2`)}}, Outputs: []json.RawMessage{raw(`3`)}, Started: at},
			{ID: 7, Session: "s2", FnIndex: 5, APIName: "/mirror", Via: recording.ViaRun,
				Inputs: []recording.Arg{{Name: "image", Value: raw(fileIn)}}, Status: recording.Completed,
				Outputs: []json.RawMessage{raw(fileOut)}, Started: at},
			{ID: 8, Session: "s2", FnIndex: 0, APIName: "/echo", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "text", Value: raw(`"stop"`)}}, Status: recording.Cancelled, Started: at},
			{ID: 9, Session: "s2", FnIndex: 0, APIName: "/echo", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "text", Value: raw(`"bad"`)}}, Status: recording.Failed,
				Error: &recording.Error{Message: "unprocessable", HTTP: 422}, Started: at},
			{ID: 10, Session: "s2", FnIndex: 0, APIName: "/echo", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "text", Value: raw(`"late"`)}}, Status: recording.Incomplete,
				Error: &recording.Error{Message: "the recording ended"}, Started: at},
			{ID: 11, Session: "s2", FnIndex: 1, APIName: "/shout", Via: recording.ViaQueue,
				Data: []json.RawMessage{raw(`"raw <redacted:API_KEY> data"`)}, Status: recording.Completed,
				Outputs: []json.RawMessage{raw(`"RAW"`)}, Started: at},
			// Sessions that Python (s3) or no language (s4) can replay.
			{ID: 12, Session: "s3", FnIndex: 2, APIName: "/whisper", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "name", Value: raw(`"y"`)}}, Status: recording.Completed,
				Outputs: []json.RawMessage{raw(`"y"`)}, Started: at},
			{ID: 13, Session: "s4", FnIndex: 0, APIName: "/echo", Via: recording.ViaQueue,
				Inputs: []recording.Arg{{Name: "text", Value: raw(`"never"`)}}, Status: recording.Cancelled, Started: at},
		},
		Files: []recording.File{
			{Name: inSHA + "/cat.png", OrigName: "cat.png", MIMEType: "image/png", Size: 3, SHA256: inSHA, Role: recording.RoleInput, Stored: true},
			{Name: outSHA + "/out.png", OrigName: "out.png", MIMEType: "image/png", Size: 3, SHA256: outSHA, Role: recording.RoleOutput, Stored: true},
		},
		Masks: []recording.Mask{
			{Endpoint: "/echo", Call: 1, Path: "/0/stamp", Reason: "learned"},
			{Path: "/0/nonce", Reason: "a person's note"},
		},
	}
}

// A leaf is one string of a recording: a string field, or a string or an
// object key inside one of its JSON values.
type leaf struct {
	where string // e.g. "Calls[0].Inputs[1].Value/said (key)"
	orig  string
	path  []int // field and element indexes from the Recording down
	json  bool  // the leaf is inside a JSON value, at jpath
	jpath []any // keys (string) and indexes (int)
	key   bool  // the last key of jpath itself, not its value
}

var (
	rawType  = reflect.TypeFor[json.RawMessage]()
	timeType = reflect.TypeFor[time.Time]()
)

// leaves returns every string of rec.
func leaves(rec *recording.Recording) []leaf {
	var out []leaf
	var walk func(v reflect.Value, path []int, where string)
	walk = func(v reflect.Value, path []int, where string) {
		switch {
		case v.Type() == rawType:
			if v.Len() > 0 {
				out = append(out, jsonLeaves(v.Bytes(), path, where)...)
			}
		case v.Kind() == reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path, where)
			}
		case v.Kind() == reflect.String:
			out = append(out, leaf{where: where, orig: v.String(), path: slices.Clone(path)})
		case v.Kind() == reflect.Struct && v.Type() != timeType:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					walk(v.Field(i), append(slices.Clone(path), i), where+"."+f.Name)
				}
			}
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), append(slices.Clone(path), i), fmt.Sprintf("%s[%d]", where, i))
			}
		}
	}
	walk(reflect.ValueOf(rec).Elem(), nil, "Recording")
	return out
}

// jsonLeaves returns the strings and keys of a JSON value.
func jsonLeaves(raw []byte, path []int, where string) []leaf {
	var out []leaf
	var walk func(v any, jpath []any)
	walk = func(v any, jpath []any) {
		w := where
		for _, k := range jpath {
			w += fmt.Sprint("/", k)
		}
		switch v := v.(type) {
		case string:
			out = append(out, leaf{where: w, orig: v, path: path, json: true, jpath: slices.Clone(jpath)})
		case []any:
			for i, it := range v {
				walk(it, append(slices.Clone(jpath), i))
			}
		case map[string]any:
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range v {
					if !yield(k) {
						return
					}
				}
			})
			for _, k := range keys {
				p := append(slices.Clone(jpath), k)
				out = append(out, leaf{where: w + "/" + k + " (key)", orig: k, path: path, json: true, jpath: p, key: true})
				walk(v[k], p)
			}
		}
	}
	walk(decodeAny(raw), nil)
	return out
}

func decodeAny(raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic(fmt.Sprintf("hostile base: %v", err))
	}
	return v
}

// set writes s into the leaf of rec.
func (l leaf) set(rec *recording.Recording, s string) {
	v := reflect.ValueOf(rec).Elem()
	for _, i := range l.path {
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct {
			v = v.Field(i)
		} else {
			v = v.Index(i)
		}
	}
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if !l.json {
		v.SetString(s)
		return
	}
	doc := setJSON(decodeAny(v.Bytes()), l.jpath, l.key, s)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(err)
	}
	v.SetBytes(bytes.TrimSpace(b.Bytes()))
}

// setJSON returns doc with s at jpath: as the value there, or with key as
// the name of the last key.
func setJSON(doc any, jpath []any, key bool, s string) any {
	if len(jpath) == 0 {
		return s
	}
	switch k := jpath[0].(type) {
	case int:
		a := doc.([]any)
		a[k] = setJSON(a[k], jpath[1:], key, s)
		return a
	case string:
		m := doc.(map[string]any)
		if key && len(jpath) == 1 {
			v := m[k]
			delete(m, k)
			m[s] = v
			return m
		}
		m[k] = setJSON(m[k], jpath[1:], key, s)
		return m
	}
	panic("bad JSON path")
}

// variants returns the ways to put h where orig was: as it is, and after
// orig's prefix up to its last "/" (an api_name "/x", a JSON Pointer, a
// fixture name "<sha256>/x"), which Validate may require.
func variants(orig, h string) []string {
	out := []string{h}
	if i := strings.LastIndexByte(orig, '/'); i >= 0 {
		out = append(out, orig[:i+1]+h)
	}
	return out
}

// A hostileCase is a recording with hostile strings in some leaves.
type hostileCase struct {
	what string
	rec  *recording.Recording
}

// hostileCases returns, for every leaf alone and for every group of leaves
// that hold the same string (an api_name, a session id, a fixture name, in
// each place that refers to it), the base recording with each hostile value
// in it.
func hostileCases(base *recording.Recording) []hostileCase {
	doc, err := json.Marshal(base)
	if err != nil {
		panic(err)
	}
	fresh := func() *recording.Recording {
		var r recording.Recording
		if err := json.Unmarshal(doc, &r); err != nil {
			panic(err)
		}
		return &r
	}
	all := leaves(base)
	groups := map[string][]leaf{}
	for _, l := range all {
		groups[l.orig] = append(groups[l.orig], l)
	}
	var targets [][]leaf
	for _, l := range all {
		targets = append(targets, []leaf{l})
	}
	origs := slices.Sorted(func(yield func(string) bool) {
		for o := range groups {
			if !yield(o) {
				return
			}
		}
	})
	for _, o := range origs {
		if len(groups[o]) > 1 {
			targets = append(targets, groups[o])
		}
	}
	var out []hostileCase
	for _, ls := range targets {
		for _, h := range hostileValues() {
			for _, v := range variants(ls[0].orig, h) {
				rec := fresh()
				var where []string
				for _, l := range ls {
					l.set(rec, v)
					where = append(where, l.where)
				}
				out = append(out, hostileCase{what: fmt.Sprintf("%s = %q", strings.Join(where, ", "), v), rec: rec})
			}
		}
	}
	return out
}

// TestHostileRecordingFields puts each hostile value into each string of a
// recording (and each group of strings that must agree), and checks that
// Generate refuses what recording.Validate refuses, without panicking, and
// that for the rest the code of every language and flavour parses (Python
// compiles with warnings as errors, node parses the ES modules, go/parser
// reads the Go, bash -n reads the scripts) with no recorded text outside a
// literal or a comment, and that the project files (README.md,
// package.json, go.mod) stay what they are.
func TestHostileRecordingFields(t *testing.T) {
	base := hostileBase()
	if err := base.Validate(); err != nil {
		t.Fatalf("the base recording: %v", err)
	}
	// The client languages, and the locustfile (Python) beside them.
	langs := append(slices.Clone(codegen.Langs), codegen.Locust)
	baseProjects := map[string]map[string]string{}
	for _, lang := range langs {
		for _, fl := range flavours {
			baseProjects[string(lang)+"/"+string(fl)] = exportFiles(t, base, lang, fl)
		}
	}

	files := map[string]string{} // unique generated code, by content hash: what made it
	var code []generated
	cases := hostileCases(base)
	refused := 0
	for _, c := range cases {
		if err := c.rec.Validate(); err != nil {
			refused++
			for _, lang := range langs {
				if _, gerr := generate(c.rec, lang); gerr == nil {
					t.Errorf("%s: Validate refuses it (%v), but Generate %s does not", c.what, err, lang)
				}
			}
			continue
		}
		for _, lang := range langs {
			for _, fl := range flavours {
				p, err := exportSafely(c.rec, codegen.Options{Lang: lang, Flavour: fl})
				if err != nil {
					t.Errorf("%s: %s %s: %v", c.what, lang, fl, err)
					continue
				}
				checkProject(t, c.what, baseProjects[string(lang)+"/"+string(fl)], p)
				f := p.Files[0]
				sum := sha256.Sum256(f.Content)
				key := hex.EncodeToString(sum[:8]) + filepath.Ext(f.Path)
				if _, ok := files[key]; !ok {
					files[key] = c.what
					code = append(code, generated{key: key, lang: lang, content: f.Content})
				}
			}
		}
	}
	t.Logf("%d cases (%d refused by Validate), %d distinct files", len(cases), refused, len(code))
	if refused == len(cases) {
		t.Fatal("Validate refused every case")
	}
	parseAll(t, code, files)
}

// generated is one distinct generated code file.
type generated struct {
	key     string // content hash and extension: its file name
	lang    codegen.Lang
	content []byte
}

// generate runs Generate, turning a panic into an error.
func generate(rec *recording.Recording, lang codegen.Lang) (files []codegen.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return codegen.Generate(rec, codegen.Options{Lang: lang})
}

// exportSafely runs Export, turning a panic into an error.
func exportSafely(rec *recording.Recording, opts codegen.Options) (p *codegen.Project, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return codegen.Export(rec, opts)
}

func exportFiles(t *testing.T, rec *recording.Recording, lang codegen.Lang, fl codegen.Flavour) map[string]string {
	t.Helper()
	p, err := codegen.Export(rec, codegen.Options{Lang: lang, Flavour: fl})
	if err != nil {
		t.Fatalf("%s %s: %v", lang, fl, err)
	}
	out := map[string]string{}
	for _, f := range p.Files {
		out[f.Path] = string(f.Content)
	}
	return out
}

// checkProject checks the files of an exported project: every file is
// UTF-8 without NUL; the file names, package.json and go.mod are those of
// the base recording; the README has as many lines as the base's and no
// markup outside code spans (every <, [, ` and * escaped).
func checkProject(t *testing.T, what string, base map[string]string, p *codegen.Project) {
	t.Helper()
	var names []string
	for _, f := range p.Files {
		names = append(names, f.Path)
		if !utf8.Valid(f.Content) || bytes.IndexByte(f.Content, 0) >= 0 {
			t.Errorf("%s: %s is not UTF-8 text without NUL", what, f.Path)
		}
		switch f.Path {
		case "package.json", "go.mod", "requirements.txt":
			// A load test pins the gradio_client of the recorded Gradio
			// version, from a table: no recorded text.
			if clientPin.ReplaceAllString(string(f.Content), "gradio_client") != clientPin.ReplaceAllString(base[f.Path], "gradio_client") {
				t.Errorf("%s: %s changed:\n%s", what, f.Path, f.Content)
			}
		case "README.md":
			readme := string(f.Content)
			if bad := readmeLine(readme, base["README.md"]); bad != "" {
				t.Errorf("%s: README.md has a line that is not the template's: %q\n%s", what, bad, readme)
			}
			if bad := markupOutsideCode(readme); bad != "" {
				t.Errorf("%s: README.md has markup from the recording outside code (%s):\n%s", what, bad, readme)
			}
		}
	}
	for _, fx := range p.Fixtures {
		names = append(names, fx.Path)
		if !filepath.IsLocal(filepath.FromSlash(fx.Path)) || strings.ContainsAny(fx.Path, "\\\x00\n\r") {
			t.Errorf("%s: fixture path %q", what, fx.Path)
		}
	}
	for _, n := range names[:len(p.Files)] {
		if _, ok := base[n]; !ok {
			t.Errorf("%s: a project file is named %q, not as for the base recording", what, n)
		}
	}
}

// clientPin is the gradio_client line of a load test's requirements.txt.
var clientPin = regexp.MustCompile(`(?m)^gradio_client==[0-9.]+$`)

// readmeLines are how the lines of a README that hold recorded text start.
var readmeLines = []string{
	"# Recorded Gradio session: ",
	"Generated by gradiorec from a recording of ",
	"- `GRADIO_URL`: the app to call (default: the recorded ",
	"- `GRADIO_URL`: the app to load when locust's `--host` names none (default: the recorded ",
	"- Call ", // the calls gradio_client cannot make or reproduce
	"- `fixtures/", "- `` fixtures/", "- ``fixtures/", "- `testdata/fixtures/", "- `` testdata/fixtures/", "- ``testdata/fixtures/",
}

// readmeLine returns the first line of readme that holds recorded text
// (the marker) but is not a line of the template that takes some, or that
// holds none but is not a line of base (besides list items), or "".
func readmeLine(readme, base string) string {
	baseLines := map[string]bool{}
	for _, l := range strings.Split(base, "\n") {
		baseLines[l] = true
	}
	for _, l := range strings.Split(readme, "\n") {
		switch {
		case strings.Contains(l, "PWNED"):
			if !slices.ContainsFunc(readmeLines, func(p string) bool { return strings.HasPrefix(l, p) }) {
				return l
			}
		case !baseLines[l] && !strings.HasPrefix(l, "- "):
			return l
		}
	}
	return ""
}

// markupOutsideCode returns the first line of a README that has, outside
// code spans and fenced blocks, a character that starts HTML or a link, or
// a line break from the recording, or "".
func markupOutsideCode(readme string) string {
	fenced := false
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		outside := stripCodeSpans(line)
		for i := 0; i < len(outside); i++ {
			switch outside[i] {
			case '\\':
				i++ // an escaped character
			case '<', '[', '`':
				return line
			}
		}
		if strings.ContainsAny(outside, "\u2028\u2029\r") {
			return line
		}
	}
	return ""
}

// stripCodeSpans removes the Markdown code spans of a line.
func stripCodeSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] == '\\' && i+1 < len(line) {
			b.WriteString(line[i : i+2])
			i += 2
			continue
		}
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		fence := line[i : i+n]
		end := -1
		for j := i + n; j < len(line); {
			k := strings.Index(line[j:], fence)
			if k < 0 {
				break
			}
			k += j
			if (k+n == len(line) || line[k+n] != '`') && (k == 0 || line[k-1] != '`') {
				end = k
				break
			}
			j = k + 1
		}
		if end < 0 {
			b.WriteString(fence) // an unclosed fence is text
			i += n
			continue
		}
		i = end + n
	}
	return b.String()
}

// parseAll parses every generated file with its language's own parser, and
// checks that no recorded text is code.
func parseAll(t *testing.T, code []generated, what map[string]string) {
	dir := t.TempDir()
	var py, js, sh []string
	for _, g := range code {
		if !utf8.Valid(g.content) || bytes.IndexByte(g.content, 0) >= 0 {
			t.Errorf("%s code for %s is not UTF-8 text without NUL", g.lang, what[g.key])
			continue
		}
		switch g.lang {
		case codegen.Go:
			if _, err := parser.ParseFile(token.NewFileSet(), g.key, g.content, parser.AllErrors); err != nil {
				t.Errorf("Go code for %s does not parse: %v", what[g.key], err)
			} else if formatted, err := format.Source(g.content); err != nil || !bytes.Equal(formatted, g.content) {
				t.Errorf("Go code for %s is not as gofmt writes it", what[g.key])
			}
			continue
		case codegen.Curl:
			// Recorded text in a bare word is percent-encoded (an
			// api_name), which turns ";;" into "%3B%3B".
			if out := bashOutsideQuotes(string(g.content)); strings.Contains(out, marker) {
				t.Errorf("bash code for %s has recorded text outside single quotes and comments", what[g.key])
			}
		}
		path := filepath.Join(dir, g.key)
		if err := os.WriteFile(path, g.content, 0o644); err != nil {
			t.Fatal(err)
		}
		switch g.lang {
		case codegen.Python, codegen.Locust:
			py = append(py, path)
		case codegen.JavaScript:
			js = append(js, path)
		case codegen.Curl:
			sh = append(sh, path)
		}
	}
	report := func(lang, out string) {
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			key := filepath.Base(strings.SplitN(line, ":", 2)[0])
			t.Errorf("%s code for %s: %s", lang, what[key], line)
		}
	}
	t.Run("python", func(t *testing.T) {
		python := pythonCommand(t)
		cmd := exec.Command(python, append([]string{"-c", compileAll}, py...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			report("Python", string(out))
		}
	})
	t.Run("javascript", func(t *testing.T) {
		node, err := exec.LookPath("node")
		gradiotest.Need(t, "node", err)
		args := append([]string{"--experimental-vm-modules", "--no-warnings", "--input-type=module", "-e", parseModules, "--"}, js...)
		if out, err := exec.Command(node, args...).CombinedOutput(); err != nil {
			report("JavaScript", string(out))
		}
	})
	t.Run("bash", func(t *testing.T) {
		bash, err := exec.LookPath("bash")
		gradiotest.Need(t, "bash", err)
		args := append([]string{"-c", `for f; do bash -n "$f" 2>&1 | sed "s|^|$f: |"; done`, "bash"}, sh...)
		if out, _ := exec.Command(bash, args...).CombinedOutput(); len(bytes.TrimSpace(out)) > 0 {
			report("bash", string(out))
		}
	})
}

// compileAll compiles each Python file named by its arguments, with
// warnings (an invalid escape sequence) as errors, and prints the failures.
const compileAll = `
import sys, warnings
warnings.simplefilter("error")
bad = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            compile(f.read(), path, "exec")
    except Exception as e:
        bad += 1
        print(f"{path}: {e!r}")
sys.exit(1 if bad else 0)
`

// bashOutsideQuotes returns the text of a bash script outside single quotes
// and comments: where recorded text would be code or be expanded.
func bashOutsideQuotes(src string) string {
	var b strings.Builder
	wordStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			b.WriteByte(c)
			b.WriteByte(src[i+1])
			i++
			wordStart = false
		case c == '\'':
			end := strings.IndexByte(src[i+1:], '\'')
			if end < 0 {
				b.WriteString(src[i:])
				return b.String()
			}
			i += end + 1
			wordStart = false
		case c == '#' && wordStart:
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				return b.String()
			}
			i += end - 1
		default:
			b.WriteByte(c)
			wordStart = strings.IndexByte(" \t\n;&|()", c) >= 0
		}
	}
	return b.String()
}

// execPayload is recorded text that would create the file canary wherever
// it became code: in Python, JavaScript, Go and bash, out of each kind of
// literal, comment and docstring, and as a secret's value.
func execPayload(canary string) string {
	py := `__import__("os").system("touch ` + canary + `")`
	js := `process.getBuiltinModule("fs").writeFileSync("` + canary + `", "")`
	sh := "touch " + canary
	return strings.Join([]string{
		`"""+` + py + `+"""`, `'''+` + py + `+'''`, `"+` + py + `+"`, `'+` + py + `+'`, "\n" + py + "\n",
		`"+` + js + `+"`, `'+` + js + `+'`, "`+" + js + "+`", "${" + js + "}", "*/" + js + "/*",
		"\n" + js + "\n", "\u2028" + js + "\u2029", "-->" + js,
		"$(" + sh + ")", "`" + sh + "`", "'; " + sh + "; '", `"; ` + sh + `; "`, "\n" + sh + "\n",
		`"+func() string { os.WriteFile("` + canary + `", nil, 0o644); return "" }()+"`,
		`\`, "\x00", "<redacted:API_KEY>",
	}, " ")
}

// hostileRecording returns base with as many strings as recording.Validate
// allows replaced by hostile ones, each distinct: groups of equal strings
// together (so that references still agree), then the others one by one,
// object keys last and the deepest first (so that the paths of the others
// still hold).
func hostileRecording(t *testing.T, base *recording.Recording, payload string) (*recording.Recording, int) {
	t.Helper()
	clone := func(r *recording.Recording) *recording.Recording {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var out recording.Recording
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return &out
	}
	rec := clone(base)
	var values, keys []leaf
	groups := map[string][]leaf{}
	for _, l := range leaves(base) {
		if l.key {
			keys = append(keys, l)
		} else {
			values = append(values, l)
			groups[l.orig] = append(groups[l.orig], l)
		}
	}
	slices.SortStableFunc(keys, func(a, b leaf) int { return len(b.jpath) - len(a.jpath) })
	n, replaced := 0, 0
	try := func(ls []leaf) bool {
		n++
		h := fmt.Sprintf("%s %d", payload, n)
		for _, v := range variants(ls[0].orig, h) {
			r := clone(rec)
			for _, l := range ls {
				l.set(r, v)
			}
			if r.Validate() == nil {
				rec = r
				replaced += len(ls)
				return true
			}
		}
		return false
	}
	done := map[string]bool{}
	for _, l := range values {
		if done[l.orig] {
			continue
		}
		done[l.orig] = true
		if g := groups[l.orig]; len(g) > 1 && try(g) {
			continue
		}
		for _, one := range groups[l.orig] {
			try([]leaf{one})
		}
	}
	for _, l := range keys {
		try([]leaf{l})
	}
	return rec, replaced
}

// snapshot lists the files of a folder with their sizes and times.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[p] = fmt.Sprint(info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHostileRecordingRuns generates the code of every language and flavour
// for a recording whose strings are all hostile at once (as far as
// recording.Validate allows), each trying to create a canary file from
// wherever it is written, and runs it against a real app with a hostile
// secret: the code must get past parsing and compiling, and neither the
// canary nor any other file may appear. The calls fail (their api_names are
// hostile too); that is not what this test looks at.
func TestHostileRecordingRuns(t *testing.T) {
	tl := findTools(t)
	version := gradiotest.DefaultVersion
	if tl.pythons[version] == "" {
		tl.pythons[version] = gradiotest.Python(t, version)
	}
	canary := filepath.Join(t.TempDir(), "PWNED")
	payload := execPayload(canary)
	rec, replaced := hostileRecording(t, hostileBase(), payload)
	t.Logf("%d of %d strings made hostile", replaced, len(leaves(rec)))
	if replaced < len(leaves(rec))/2 {
		t.Fatalf("only %d strings could be made hostile", replaced)
	}
	app := gradiotest.Start(t, "echo", gradiotest.Version(version))
	for _, lang := range codegen.Langs {
		for _, fl := range flavours {
			t.Run(string(lang)+"/"+string(fl), func(t *testing.T) {
				t.Parallel()
				// An environment variable cannot hold a NUL.
				secret := strings.ReplaceAll(payload, "\x00", "")
				pr := tl.prepare(t, rec, version, app.URL, codegen.Options{Lang: lang, Flavour: fl},
					"GRADIO_SECRET_API_KEY="+secret, "PYTHONDONTWRITEBYTECODE=1")
				before := snapshot(t, pr.dir)
				r := pr.run()
				if _, exited := r.err.(*exec.ExitError); r.err != nil && !exited {
					t.Fatalf("the code did not run: %v", r.err)
				}
				for _, bad := range []string{"SyntaxError", "syntax error", "[build failed]", "[setup failed]", "undefined:", "cannot use"} {
					if strings.Contains(r.out, bad) {
						t.Errorf("the code does not get past parsing or compiling (%s):\n%s", bad, r.out)
					}
				}
				if _, err := os.Stat(canary); err == nil {
					t.Fatalf("running the code created %s:\n%s", canary, r.out)
				}
				after := snapshot(t, pr.dir)
				for p, s := range after {
					if before[p] != s {
						t.Errorf("running the code created or changed %s:\n%s", p, r.out)
					}
				}
				if t.Failed() || testing.Verbose() {
					t.Logf("exit: %v\n%s", r.err, r.out)
				}
			})
		}
	}
}
