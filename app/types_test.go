package app

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// typesTS is the TypeScript half of the types the window receives.
var typesTS = filepath.Join("..", "frontend", "src", "lib", "types.ts")

// mirrors pairs each interface of types.ts with the Go type whose JSON it
// declares. Every interface of types.ts is in it (but Events, below).
var mirrors = map[string]reflect.Type{
	"State":            reflect.TypeFor[State](),
	"Fault":            reflect.TypeFor[Fault](),
	"MouseInput":       reflect.TypeFor[MouseInput](),
	"KeyInput":         reflect.TypeFor[KeyInput](),
	"ViewRect":         reflect.TypeFor[ViewRect](),
	"Code":             reflect.TypeFor[CodeFile](),
	"Export":           reflect.TypeFor[Exported](),
	"Change":           reflect.TypeFor[codegen.Change](),
	"Unsaved":          reflect.TypeFor[Unsaved](),
	"ExtensionStatus":  reflect.TypeFor[ExtensionStatus](),
	"PairedBrowser":    reflect.TypeFor[PairedBrowser](),
	"PairingCode":      reflect.TypeFor[PairingCode](),
	"BrowserRecording": reflect.TypeFor[BrowserRecording](),
	"BrowserCall":      reflect.TypeFor[BrowserCall](),
	"CallEvent":        reflect.TypeFor[CallEvent](),
	"Frame":            reflect.TypeFor[Frame](),
	"Call":             reflect.TypeFor[recording.Call](),
	"Arg":              reflect.TypeFor[recording.Arg](),
	"Log":              reflect.TypeFor[recording.Log](),
	"Progress":         reflect.TypeFor[recording.Progress](),
	"Bar":              reflect.TypeFor[recording.Bar](),
	"CallError":        reflect.TypeFor[recording.Error](),
	"Recording":        reflect.TypeFor[recording.Recording](),
	"RecordedApp":      reflect.TypeFor[recording.App](),
	"Session":          reflect.TypeFor[recording.Session](),
	"Diff":             reflect.TypeFor[replay.Diff](),
	"Drift":            reflect.TypeFor[replay.Drift](),
	"CallResult":       reflect.TypeFor[replay.CallResult](),
	"Report":           reflect.TypeFor[replay.Report](),
	"Timing":           reflect.TypeFor[replay.Timing](),
	"Latency":          reflect.TypeFor[replay.Latency](),
}

// unions pairs each string union of types.ts that lists a Go type's
// constants with that type. Its values are the constants of the type
// declared in its package, or values when given.
var unions = []struct {
	ts     string
	goType reflect.Type
	values []string
}{
	{ts: "Mode", goType: reflect.TypeFor[Mode]()},
	{ts: "FaultKind", goType: reflect.TypeFor[FaultKind]()},
	{ts: "CallEventKind", goType: reflect.TypeFor[recorder.EventKind]()},
	{ts: "ResultStatus", goType: reflect.TypeFor[replay.Status]()},
	{ts: "Outcome", goType: reflect.TypeFor[replay.Outcome]()},
	// The languages the window offers; codegen has more (locust).
	{ts: "Lang", goType: reflect.TypeFor[codegen.Lang](), values: langs()},
}

// events pairs each event the app emits with the Go type it carries.
var events = map[string]reflect.Type{
	EventState:            reflect.TypeFor[State](),
	EventCall:             reflect.TypeFor[CallEvent](),
	EventFrame:            reflect.TypeFor[Frame](),
	EventReplay:           reflect.TypeFor[replay.CallResult](),
	EventExtension:        reflect.TypeFor[ExtensionStatus](),
	EventBrowserCall:      reflect.TypeFor[BrowserCall](),
	EventBrowserRecording: reflect.TypeFor[BrowserRecording](),
}

func langs() []string {
	var s []string
	for _, l := range codegen.Langs {
		s = append(s, string(l))
	}
	return s
}

// TestTypesTS holds types.ts to the Go types it mirrors: every JSON field
// of a Go type is a member of its interface, by the same name, optional
// exactly when the Go field is omitted when empty, and of the TypeScript
// type its JSON is (Json takes anything); each union lists the constants
// of its Go type; Events lists every event the app emits.
func TestTypesTS(t *testing.T) {
	ts, err := parseTS(typesTS)
	if err != nil {
		t.Fatal(err)
	}
	c := &typeChecker{ts: ts, names: map[reflect.Type]string{}, unions: map[reflect.Type]string{}}
	for name, typ := range mirrors {
		c.names[typ] = name
	}
	for _, u := range unions {
		c.unions[u.goType] = u.ts
	}
	t.Run("interfaces", c.testInterfaces)
	t.Run("unions", c.testUnions)
	t.Run("events", c.testEvents)
}

func (c *typeChecker) testInterfaces(t *testing.T) {
	for _, name := range sortedKeys(c.ts.interfaces) {
		if _, ok := mirrors[name]; !ok && name != "Events" {
			t.Errorf("types.ts: interface %s mirrors no Go type: add the Go type it mirrors to mirrors in app/types_test.go", name)
		}
	}
	for _, name := range sortedKeys(mirrors) {
		members, ok := c.ts.interfaces[name]
		if !ok {
			t.Errorf("types.ts: no interface %s, which mirrors Go %s", name, mirrors[name])
			continue
		}
		for _, msg := range c.compare(name, mirrors[name], members) {
			t.Error(msg)
		}
	}
}

func (c *typeChecker) testUnions(t *testing.T) {
	for _, u := range unions {
		values := u.values
		if values == nil {
			var err error
			if values, err = constants(u.goType); err != nil {
				t.Fatal(err)
			}
		}
		declared, ok := c.ts.unions[u.ts]
		if !ok {
			t.Errorf("types.ts: no union %s, which lists the values of Go %s", u.ts, u.goType)
			continue
		}
		for _, v := range values {
			if !slices.Contains(declared, v) {
				t.Errorf("types.ts: %s lacks %q, a Go %s", u.ts, v, u.goType)
			}
		}
		for _, v := range declared {
			if !slices.Contains(values, v) {
				t.Errorf("types.ts: %s has %q, which is no Go %s", u.ts, v, u.goType)
			}
		}
	}
}

func (c *typeChecker) testEvents(t *testing.T) {
	emitted, err := eventNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range emitted {
		if _, ok := events[name]; !ok {
			t.Errorf("app emits event %q: add it and the Go type it carries to events in app/types_test.go", name)
		}
	}
	declared := map[string]member{}
	for _, m := range c.ts.interfaces["Events"] {
		declared[m.name] = m
	}
	for _, name := range sortedKeys(events) {
		m, ok := declared[name]
		switch {
		case !ok:
			t.Errorf("types.ts: Events lacks %q, which carries Go %s", name, events[name])
		case !c.matches(events[name], m.typ):
			t.Errorf("types.ts: Events[%q] is %s; the event carries Go %s", name, m.typ, events[name])
		}
		delete(declared, name)
	}
	for _, name := range sortedKeys(declared) {
		t.Errorf("types.ts: Events has %q, which the app does not emit", name)
	}
}

// ---- The Go side -------------------------------------------------------------

// jsonField is a field of a Go struct as encoding/json writes it.
type jsonField struct {
	goName   string
	name     string
	optional bool // omitempty or omitzero: left out when empty
	typ      reflect.Type
}

// jsonFields lists the fields encoding/json writes of struct type t.
func jsonFields(t reflect.Type) []jsonField {
	var fields []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			fields = append(fields, jsonFields(f.Type)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := slices.ContainsFunc(strings.Split(opts, ","), func(o string) bool {
			return o == "omitempty" || o == "omitzero"
		})
		fields = append(fields, jsonField{goName: f.Name, name: name, optional: optional, typ: f.Type})
	}
	return fields
}

// constants returns the values of the string constants of the named type t
// declared in its package, read from the package's source.
func constants(t reflect.Type) ([]string, error) {
	var values []string
	err := constDecls(t.PkgPath(), func(spec *ast.ValueSpec, name *ast.Ident, value ast.Expr) {
		if id, ok := spec.Type.(*ast.Ident); ok && id.Name == t.Name() {
			if s, ok := stringLit(value); ok {
				values = append(values, s)
			}
		}
	})
	if err == nil && len(values) == 0 {
		err = fmt.Errorf("no constants of %s found in its package's source", t)
	}
	return values, err
}

// eventNames returns the names of the events the app emits: the values of
// its Event constants.
func eventNames() ([]string, error) {
	var names []string
	err := constDecls(reflect.TypeFor[App]().PkgPath(), func(_ *ast.ValueSpec, name *ast.Ident, value ast.Expr) {
		if s, ok := stringLit(value); ok && strings.HasPrefix(name.Name, "Event") {
			names = append(names, s)
		}
	})
	return names, err
}

// constDecls calls f with each constant declared in the non-test files of
// the package pkgPath of this module.
func constDecls(pkgPath string, f func(spec *ast.ValueSpec, name *ast.Ident, value ast.Expr)) error {
	rel, ok := strings.CutPrefix(pkgPath, "github.com/gradiorec/gradiorec/")
	if !ok {
		return fmt.Errorf("package %s is not in this module", pkgPath)
	}
	dir := filepath.Join("..", filepath.FromSlash(rel))
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				spec := spec.(*ast.ValueSpec)
				for i, name := range spec.Names {
					if i < len(spec.Values) {
						f(spec, name, spec.Values[i])
					}
				}
			}
		}
	}
	return nil
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// ---- The comparison ----------------------------------------------------------

type typeChecker struct {
	ts     *tsFile
	names  map[reflect.Type]string // Go struct type → the interface mirroring it
	unions map[reflect.Type]string // Go string type → the union listing its constants
}

// compare returns what differs between the Go struct type t and its
// interface name, one message per member.
func (c *typeChecker) compare(name string, t reflect.Type, members []member) []string {
	var msgs []string
	byName := map[string]member{}
	for _, m := range members {
		byName[m.name] = m
	}
	for _, f := range jsonFields(t) {
		where := fmt.Sprintf("Go %s.%s (json %q)", t, f.goName, f.name)
		m, ok := byName[f.name]
		delete(byName, f.name)
		switch {
		case !ok:
			msgs = append(msgs, fmt.Sprintf("types.ts: %s lacks %s, which mirrors %s", name, c.suggest(f), where))
		case m.optional && !f.optional:
			msgs = append(msgs, fmt.Sprintf("types.ts: %s.%s is optional, but %s is always sent: write %s", name, m.name, where, c.suggest(f)))
		case !m.optional && f.optional:
			msgs = append(msgs, fmt.Sprintf("types.ts: %s.%s is required, but %s is left out when empty: write %s", name, m.name, where, c.suggest(f)))
		}
		if ok && !c.matches(f.typ, m.typ) {
			msgs = append(msgs, fmt.Sprintf("types.ts: %s.%s is %s, which does not fit %s of type %s: write %s", name, m.name, m.typ, where, f.typ, c.suggest(f)))
		}
	}
	for _, extra := range sortedKeys(byName) {
		msgs = append(msgs, fmt.Sprintf("types.ts: %s.%s is no JSON field of Go %s", name, extra, t))
	}
	return msgs
}

// suggest writes the member that would mirror f.
func (c *typeChecker) suggest(f jsonField) string {
	opt := ""
	if f.optional {
		opt = "?"
	}
	return fmt.Sprintf("%s%s: %s", f.name, opt, c.tsType(f.typ))
}

var (
	rawMessage = reflect.TypeFor[json.RawMessage]()
	timeTime   = reflect.TypeFor[time.Time]()
	duration   = reflect.TypeFor[time.Duration]()
)

// tsType writes the TypeScript type of the JSON of Go type t.
func (c *typeChecker) tsType(t reflect.Type) string {
	switch {
	case t == rawMessage:
		return "Json"
	case t == timeTime:
		return "string"
	case c.unions[t] != "":
		return c.unions[t]
	}
	switch t.Kind() {
	case reflect.Pointer:
		return c.tsType(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string" // base64
		}
		return c.tsType(t.Elem()) + "[]"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Struct:
		if name, ok := c.names[t]; ok {
			return name
		}
	}
	return "Json"
}

// matches reports whether ts declares the JSON of Go type t: its tsType,
// or Json anywhere (the window does not look inside), or a union of
// string literals for a Go string no union mirrors, and null besides for
// a Go slice, map or pointer.
func (c *typeChecker) matches(t reflect.Type, ts string) bool {
	ts = strings.TrimSpace(ts)
	if ts == "Json" {
		return true
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer:
		ts = strings.TrimSpace(strings.TrimSuffix(ts, "| null"))
	}
	if t.Kind() == reflect.Pointer {
		return c.matches(t.Elem(), ts)
	}
	if t.Kind() == reflect.Slice && t != rawMessage && t.Elem().Kind() != reflect.Uint8 {
		elem, ok := strings.CutSuffix(ts, "[]")
		return ok && c.matches(t.Elem(), elem)
	}
	if t.Kind() == reflect.String && c.unions[t] == "" && c.ts.isStringUnion(ts) {
		return true
	}
	return ts == c.tsType(t)
}

// ---- The TypeScript side -----------------------------------------------------

// tsFile is what types.ts declares: interfaces and unions of string literals.
type tsFile struct {
	interfaces map[string][]member
	unions     map[string][]string
}

// member is a member of an interface.
type member struct {
	name     string
	optional bool
	typ      string
}

var (
	blockComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	lineComment  = regexp.MustCompile(`(?m)(^|\s)//.*$`)
	interfaceRE  = regexp.MustCompile(`(?s)export interface (\w+) \{(.*?)\n\}`)
	aliasRE      = regexp.MustCompile(`(?s)export type (\w+) =(.*?);`)
	memberRE     = regexp.MustCompile(`^'?([\w-]+)'?(\??):\s*(.+)$`)
	literalRE    = regexp.MustCompile(`^'[^']*'$`)
)

// parseTS reads the interfaces and type aliases of path. It knows the
// plain TypeScript types.ts is written in: one member a line, named types
// rather than inline object types.
func parseTS(path string) (*tsFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	src := lineComment.ReplaceAllString(blockComment.ReplaceAllString(string(data), ""), "$1")
	ts := &tsFile{interfaces: map[string][]member{}, unions: map[string][]string{}}
	for _, m := range interfaceRE.FindAllStringSubmatch(src, -1) {
		name, body := m[1], m[2]
		if strings.ContainsAny(body, "{}") {
			return nil, fmt.Errorf("%s: interface %s has an inline object type: name it, as an interface", path, name)
		}
		for line := range strings.SplitSeq(body, "\n") {
			line = strings.TrimSuffix(strings.TrimSpace(line), ";")
			if line == "" {
				continue
			}
			mm := memberRE.FindStringSubmatch(line)
			if mm == nil {
				return nil, fmt.Errorf("%s: interface %s: cannot read member %q", path, name, line)
			}
			ts.interfaces[name] = append(ts.interfaces[name], member{name: mm[1], optional: mm[2] == "?", typ: mm[3]})
		}
	}
	for _, m := range aliasRE.FindAllStringSubmatch(src, -1) {
		name, typ := m[1], strings.Join(strings.Fields(m[2]), " ")
		if values, ok := literals(typ); ok {
			ts.unions[name] = values
		}
	}
	return ts, nil
}

// literals returns the values of a union of string literals.
func literals(typ string) ([]string, bool) {
	var values []string
	for part := range strings.SplitSeq(strings.TrimPrefix(typ, "|"), "|") {
		part = strings.TrimSpace(part)
		if !literalRE.MatchString(part) {
			return nil, false
		}
		values = append(values, strings.Trim(part, "'"))
	}
	return values, true
}

// isStringUnion reports whether typ is a union of string literals, or the
// name of one.
func (ts *tsFile) isStringUnion(typ string) bool {
	if _, ok := ts.unions[typ]; ok {
		return true
	}
	_, ok := literals(typ)
	return ok
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
