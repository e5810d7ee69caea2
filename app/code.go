package app

import (
	"fmt"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/codegen/golang"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recording"
)

// Code is the code that reproduces the recording, as the window shows and
// exports it.
type Code struct{ a *App }

// CodeFile is generated code for the code panel.
type CodeFile struct {
	Lang     codegen.Lang    `json:"lang"`
	Flavour  codegen.Flavour `json:"flavour"`
	Filename string          `json:"filename"`
	Code     string          `json:"code"`
}

// Exported is a project Export wrote.
type Exported struct {
	Dir   string   `json:"dir"`            // "" when the person cancelled
	Files []string `json:"files"`          // relative to Dir, fixtures included
	Note  string   `json:"note,omitempty"` // what to know before running it
}

// Generate returns the code in lang ("python", "javascript", "go", "curl")
// and flavour ("script", "test") for the recording as it stands: the intent
// form, or with trace every call the page made, as it made it.
func (c *Code) Generate(lang, flavour string, trace bool) (CodeFile, error) {
	opts, err := codeOptions(lang, flavour, trace)
	if err != nil {
		return CodeFile{}, err
	}
	rec, err := c.recording()
	if err != nil {
		return CodeFile{}, err
	}
	files, err := codegen.Generate(rec, opts)
	if err != nil {
		return CodeFile{}, err
	}
	return CodeFile{Lang: opts.Lang, Flavour: opts.Flavour, Filename: files[0].Path, Code: string(files[0].Content)}, nil
}

// Export asks for a folder and writes a runnable project there: the code,
// its README and project file, and the fixtures it uploads.
func (c *Code) Export(lang, flavour string, trace bool) (Exported, error) {
	if _, err := codeOptions(lang, flavour, trace); err != nil {
		return Exported{}, err
	}
	if _, err := c.recording(); err != nil {
		return Exported{}, err
	}
	dir, err := c.a.opts.Dialogs.Folder("Export the " + lang + " " + flavour + " to a folder")
	if err != nil || dir == "" {
		return Exported{}, err
	}
	return c.ExportTo(dir, lang, flavour, trace)
}

// ExportTo writes the project into dir.
func (c *Code) ExportTo(dir, lang, flavour string, trace bool) (Exported, error) {
	opts, err := codeOptions(lang, flavour, trace)
	if err != nil {
		return Exported{}, err
	}
	rec, err := c.recording()
	if err != nil {
		return Exported{}, err
	}
	p, err := codegen.Export(rec, opts)
	if err == nil {
		err = p.Write(dir, rec)
	}
	if err != nil {
		f := fileFault(FaultExport, dir, err)
		c.a.setState(func(st *State) { st.Fault = f })
		return Exported{}, f
	}
	out := Exported{Dir: dir}
	for _, f := range p.Files {
		out.Files = append(out.Files, f.Path)
	}
	for _, f := range p.Fixtures {
		out.Files = append(out.Files, f.Path)
	}
	if opts.Lang == codegen.Go && opts.GradiorecVersion == "" {
		out.Note = "go.mod requires " + golang.ModulePath + " v0.0.0: add a replace directive " +
			"with the gradio folder of a checkout of gradiorec (go mod edit -replace) to build it"
	}
	return out, nil
}

// Changes says, for each call of the recording as it stands that the intent
// form does not make as recorded, what it makes of it: which intent call
// makes it, or that it is left out, and why. The window dims those calls in
// its timeline while it shows the intent form.
func (c *Code) Changes() ([]codegen.Change, error) {
	rec, err := c.recording()
	if err != nil {
		return nil, err
	}
	return codegen.Changes(rec)
}

// recording is the recording the code is generated from.
func (c *Code) recording() (*recording.Recording, error) {
	c.a.mu.Lock()
	defer c.a.mu.Unlock()
	return c.a.current()
}

// codeOptions are the options of the code the window generates and exports:
// the intent form unless trace.
func codeOptions(lang, flavour string, trace bool) (codegen.Options, error) {
	l, err := codegen.ParseLang(lang)
	if err != nil {
		return codegen.Options{}, err
	}
	opts := codegen.Options{Lang: l, Flavour: codegen.Flavour(flavour), Trace: trace}
	switch opts.Flavour {
	case codegen.Script, codegen.Test:
	default:
		return opts, fmt.Errorf("flavour %q: want %q or %q", flavour, codegen.Script, codegen.Test)
	}
	opts.GradiorecVersion = version.Release()
	return opts, nil
}
