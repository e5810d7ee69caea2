package plan

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// Fixture is an input file the generated code reads.
type Fixture struct {
	Path    string         // relative to the output folder, e.g. "fixtures/cat.png"
	File    recording.File // the recording's file (its Name locates the bytes)
	Missing bool           // the recording lists no such file
}

// withFiles returns v with each FileData object that refers to a fixture or
// a URL made a File value (see fileRef). It copies the arrays and objects it
// changes; v is not changed.
func (b *builder) withFiles(v value.Value) value.Value {
	switch v.Kind {
	case value.Object:
		if ref := b.fileRef(v); ref != nil {
			return value.Value{Kind: value.File, File: ref}
		}
		var out []value.Field
		for i, f := range v.Fields {
			nv := b.withFiles(f.Value)
			if nv.Kind == value.File || nv.HasFile() {
				if out == nil {
					out = append([]value.Field(nil), v.Fields...)
				}
				out[i].Value = nv
			}
		}
		if out != nil {
			v.Fields = out
		}
	case value.Array:
		var out []value.Value
		for i, it := range v.Items {
			nv := b.withFiles(it)
			if nv.Kind == value.File || nv.HasFile() {
				if out == nil {
					out = append([]value.Value(nil), v.Items...)
				}
				out[i] = nv
			}
		}
		if out != nil {
			v.Items = out
		}
	}
	return v
}

// IsFileData reports whether v is a Gradio FileData object (or a recorded
// reference to a fixture).
func IsFileData(v value.Value) bool {
	if v.Kind != value.Object {
		return false
	}
	if fx, ok := v.Get("fixture"); ok && fx.Kind == value.String {
		return true
	}
	meta, ok := v.Get("meta")
	if !ok {
		return false
	}
	t, _ := meta.Get("_type")
	return t.Str() == "gradio.FileData"
}

// fileRef returns the file that v refers to: a fixture of the recording, or
// an http(s) URL; nil when v is not FileData or refers to neither.
func (b *builder) fileRef(v value.Value) *value.FileRef {
	if !IsFileData(v) {
		return nil
	}
	orig, _ := v.Get("orig_name")
	if fx, ok := v.Get("fixture"); ok && fx.Kind == value.String {
		name := fx.Text
		return &value.FileRef{Path: b.fixture(name, orig.Str()), Fixture: name, OrigName: orig.Str()}
	}
	for _, k := range []string{"url", "path"} {
		u, _ := v.Get(k)
		if s := u.Str(); strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
			return &value.FileRef{URL: s, OrigName: orig.Str()}
		}
	}
	return nil
}

// fixture returns the path under which the code reads the recording's file
// name: fixtures/<its original name>, made safe as one path element, or
// fixtures/<first 12 hex digits of its hash>/<name> when another file took
// that name first (names compared as a case-insensitive file system does).
func (b *builder) fixture(name, origName string) string {
	if p, ok := b.fixtures[name]; ok {
		return p
	}
	f := b.files[name]
	sum, base := "", origName
	if f != nil {
		sum = f.SHA256
		if f.OrigName != "" {
			base = f.OrigName
		}
	}
	if sum == "" {
		sum, _, _ = strings.Cut(name, "/")
	}
	if base == "" {
		base = path.Base(name)
	}
	base = SafeName(base)
	dir := SafeName(sum)
	if r := []rune(dir); len(r) > 12 {
		dir = string(r[:12])
	}
	root := b.p.Opts.FixtureDir
	if root == "" {
		root = "fixtures"
	}
	p := root + "/" + base
	for i := 1; !b.free(p); i++ {
		switch i {
		case 1:
			p = root + "/" + dir + "/" + base
		case 2:
			p = root + "/" + SafeName(sum) + "/" + base
		default:
			p = fmt.Sprintf("%s/%s-%d/%s", root, SafeName(sum), i-1, base)
		}
	}
	b.take(p)
	b.fixtures[name] = p
	fx := Fixture{Path: p}
	if f != nil {
		fx.File = *f
	} else {
		fx.File = recording.File{Name: name, OrigName: origName}
		fx.Missing = true
	}
	b.p.Fixtures = append(b.p.Fixtures, fx)
	return p
}

// free reports whether no fixture path taken is p, or a folder of p, or
// inside p, letters compared without case.
func (b *builder) free(p string) bool {
	p = strings.ToLower(p)
	for q := range b.used {
		if q == p || strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
			return false
		}
	}
	return true
}

// take marks the fixture path p taken.
func (b *builder) take(p string) { b.used[strings.ToLower(p)] = true }

// SafeName makes s usable as one element of a relative path on every
// system: no separators, control characters or characters Windows refuses,
// not "." or "..", not starting with "-" (an option to curl and shells), at
// most 100 bytes. Names that need nothing keep every character.
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '/' || r == '\\' || r < 0x20 || r == 0x7f || r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			b.WriteByte('_')
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimRight(out, ".")
	for len(out) > 100 {
		_, n := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-n]
	}
	if out == "" || out == "." || out == ".." {
		return "file"
	}
	if out[0] == '-' {
		out = "_" + out[1:]
	}
	return out
}
