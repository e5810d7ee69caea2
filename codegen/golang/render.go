package golang

import (
	"bytes"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
)

// render renders the main file and joins it with the parts, each formatted
// on its own: the main file with the imports of all, then the declarations
// of each part. gofmt's memory and time grow with what
// it formats at once, and a recording of 100,000 calls makes tens of
// megabytes of Go; formatted a session at a time, they stay those of the
// largest session.
func render(main *jen.File, parts []renderedPart) ([]byte, error) {
	head, specs, rest, err := renderFile(main)
	if err != nil {
		return nil, err
	}
	imports := map[string]bool{}
	for _, spec := range specs {
		imports[spec] = true
	}
	for _, part := range parts {
		for _, spec := range part.imports {
			imports[spec] = true
		}
	}
	all := slices.Collect(maps.Keys(imports))
	slices.SortFunc(all, func(a, b string) int { return strings.Compare(importPath(a), importPath(b)) })
	var out bytes.Buffer
	out.Write(head)
	out.WriteString("import (\n")
	for _, spec := range all {
		out.WriteString("\t" + spec + "\n")
	}
	out.WriteString(")\n")
	out.Write(rest)
	for _, part := range parts {
		if decls := bytes.TrimLeft(part.decls, "\n"); len(decls) > 0 { // a part may declare nothing (no helpers)
			out.WriteString("\n")
			out.Write(decls)
		}
	}
	return out.Bytes(), nil
}

// renderFile renders f, formatted, and cuts it around its imports: what
// comes before them (comments and the package clause, and a blank line),
// their specs ("fmt", `gradio "github.com/..."`) and what follows them.
func renderFile(f *jen.File) (head []byte, specs []string, rest []byte, err error) {
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, nil, nil, err
	}
	src := buf.Bytes()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
	if err != nil {
		return nil, nil, nil, err
	}
	start := fset.Position(file.Name.End()).Offset + 1 // after the package clause's line
	end := start
	for _, d := range file.Decls {
		end = fset.Position(d.End()).Offset + 1
	}
	for _, spec := range file.Imports {
		line := spec.Path.Value
		if spec.Name != nil {
			line = spec.Name.Name + " " + line
		}
		specs = append(specs, line)
	}
	return append(src[:start:start], '\n'), specs, src[end:], nil
}

// importPath returns the quoted path of an import spec.
func importPath(spec string) string { return spec[strings.Index(spec, `"`):] }

// groupImports puts the standard library's imports of src first and the
// others after a blank line, as goimports does (jennifer writes one group).
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	start += len("\nimport (\n")
	n := bytes.Index(src[start:], []byte("\n)\n"))
	if n < 0 {
		return src
	}
	var std, other []string
	for _, line := range strings.Split(string(src[start:start+n]), "\n") {
		path := line[strings.Index(line, `"`)+1:]
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	if len(std) == 0 || len(other) == 0 {
		return src
	}
	block := strings.Join(std, "\n") + "\n\n" + strings.Join(other, "\n")
	return slices.Concat(src[:start], []byte(block), src[start+n:])
}

// renderedPart is a part of the file, formatted: its imports and its
// declarations.
type renderedPart struct {
	imports []string
	decls   []byte
}

// part returns a new file for a session's function (or the helpers), which
// goes after the main file. The part before it is rendered now, so that its
// code, much larger than its text, does not wait for the others.
func (g *gen) part() *jen.File {
	g.flush()
	g.open = g.newFile()
	return g.open
}

// textPart adds a part written as text.
func (g *gen) textPart(w *code) {
	g.flush()
	g.parts = append(g.parts, renderedPart{w.specs(), w.buf})
}

// flush renders the open part.
func (g *gen) flush() {
	if g.open == nil || g.err != nil {
		return
	}
	_, imports, decls, err := renderFile(g.open)
	g.open, g.err = nil, err
	g.parts = append(g.parts, renderedPart{imports, decls})
}
