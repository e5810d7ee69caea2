package codegen

import (
	"fmt"
	"slices"
	"time"

	"github.com/gradiorec/gradiorec/codegen/curl"
	"github.com/gradiorec/gradiorec/codegen/golang"
	"github.com/gradiorec/gradiorec/codegen/internal/intent"
	"github.com/gradiorec/gradiorec/codegen/internal/plan"
	"github.com/gradiorec/gradiorec/codegen/javascript"
	"github.com/gradiorec/gradiorec/codegen/python"
	"github.com/gradiorec/gradiorec/recording"
)

// Lang is a target language.
type Lang string

// The languages Generate writes.
const (
	Python     Lang = "python"     // gradio_client
	JavaScript Lang = "javascript" // @gradio/client 2.x, ESM for Node 20.11+
	Go         Lang = "go"         // package github.com/gradiorec/gradiorec/gradio
	Curl       Lang = "curl"       // bash and curl over the /call REST API
	// Locust is a load test: a locustfile in which each simulated user
	// replays a recorded session with gradio_client. It is not in Langs,
	// which lists the client languages a UI shows side by side.
	Locust Lang = "locust"
)

// Langs lists every client language, in the order a UI shows them.
var Langs = []Lang{Python, JavaScript, Go, Curl}

// Flavour is the kind of code to write.
type Flavour string

// The flavours.
const (
	// Script replays the calls and prints their results.
	Script Flavour = plan.Script
	// Test replays the calls and checks each output against the recorded
	// one: pytest, node:test, go test, or a bash script that counts
	// passes and failures; a Locust load test whose requests fail when an
	// output differs.
	Test Flavour = plan.Test
)

// File is one generated file: a path relative to the output folder, its
// content and its mode (0o755 for scripts meant to be run directly).
type File = plan.File

// Options configure Generate. The zero value (plus Lang) writes a script
// that calls the recorded app.
type Options struct {
	// Lang is the language to write. Required.
	Lang Lang
	// Flavour is Script (the default) or Test.
	Flavour Flavour
	// URL is the app the code calls instead of the recorded root URL
	// (generated code also reads GRADIO_URL at run time).
	URL string
	// Name is the base name of the generated files: replay.py,
	// test_replay.py, replay.mjs, replay.test.mjs, replay.go,
	// replay_test.go, replay.sh, replay_test.sh; NAME.py for Locust, whose
	// default is locustfile.py. Default "replay".
	Name string
	// GoModule is the module path for an exported Go project; when set,
	// Generate also writes a go.mod requiring github.com/gradiorec/gradiorec.
	GoModule string
	// GoPackage is the package of Go code: default "main" for scripts,
	// "replay" for tests.
	GoPackage string
	// GradiorecVersion is the version of the Go client's module,
	// github.com/gradiorec/gradiorec/gradio, that the go.mod requires.
	// Default "v0.0.0", meant to go with GradiorecReplace.
	GradiorecVersion string
	// GradiorecReplace, when set, is the path of a checkout of gradiorec:
	// the go.mod gets "replace github.com/gradiorec/gradiorec/gradio =>
	// <path>/gradio".
	GradiorecReplace string
	// Trace writes every call the page made, as it made it. By default the
	// code is the intent form: the calls a person would make through the
	// app's public API (a ChatInterface turn is one call of its chat
	// endpoint; calls that only changed how the page looks are left out).
	// See Changes.
	Trace bool
	// Think is how a simulated Locust user paces its calls (Locust only):
	// the zero value waits as the recorded person did. See ParseThink.
	Think Think
}

// Think is how long a simulated Locust user waits before each call after
// the first of its session. The zero value waits as the recorded person
// did, from the end of the previous call to the start of this one; Fixed
// waits Pause instead (0: not at all).
type Think = plan.Think

// ParseThink reads the think time of a Locust load test: "recorded" (the
// zero Think), "none", or a duration such as "2s" or "500ms".
func ParseThink(s string) (Think, error) {
	switch s {
	case "recorded":
		return Think{}, nil
	case "none":
		return Think{Fixed: true}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return Think{}, fmt.Errorf("think time %q: want recorded, none or a duration such as 2s", s)
	}
	return Think{Fixed: true, Pause: d}, nil
}

// Generate turns a recording into code. It is a pure function of its
// arguments: it writes no files and reads no clock or network. The first
// file is the code itself; Go with GoModule set adds a go.mod.
//
// Every language replays each recorded session with one client, in order,
// so that gr.State carries over. Calls that cannot be replayed (UI-only
// events, calls cancelled or unfinished in the recording, and for Python and
// cURL private endpoints) are written as comments saying why.
//
// Generate refuses a recording that recording.Validate refuses, and options
// that would not make a plain file, package or module name. Every string of
// the recording reaches the code escaped for where it stands (a literal, a
// comment, a docstring) or made an identifier; input strings holding named
// secrets' placeholders are read from the environment (see the package
// documentation).
func Generate(rec *recording.Recording, opts Options) ([]File, error) {
	files, _, err := generate(rec, opts)
	return files, err
}

// generate is Generate, which also returns the plan it wrote the files
// from.
func generate(rec *recording.Recording, opts Options) ([]File, *plan.Plan, error) {
	if rec == nil {
		return nil, nil, fmt.Errorf("generate %s: no recording", opts.Lang)
	}
	if err := rec.Validate(); err != nil {
		return nil, nil, fmt.Errorf("generate %s: %w (fix the recording, or record the session again)", opts.Lang, err)
	}
	p, err := plan.New(rec, opts.plan())
	if err != nil {
		return nil, nil, fmt.Errorf("generate %s: %w", opts.Lang, err)
	}
	var files []File
	switch opts.Lang {
	case Python:
		files, err = python.Generate(p)
	case JavaScript:
		files, err = javascript.Generate(p)
	case Go:
		files, err = golang.Generate(p)
	case Curl:
		files, err = curl.Generate(p)
	case Locust:
		files, err = python.Locust(p)
	default:
		return nil, nil, fmt.Errorf("generate: unknown language %q (want one of %v or %s)", opts.Lang, Langs, Locust)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("generate %s: %w", opts.Lang, err)
	}
	return files, p, nil
}

// plan returns o as the options every generator reads: each field but Lang
// (Flavour as plain text), and the folder of the fixtures, which depends on
// the language.
func (o Options) plan() plan.Options {
	fixtures := "fixtures"
	if o.Lang == Go {
		// The go command ignores testdata folders: a recorded input file
		// named x_test.go is not built, run or scanned for imports.
		fixtures = "testdata/fixtures"
	}
	return plan.Options{
		FixtureDir:       fixtures,
		Flavour:          string(o.Flavour),
		URL:              o.URL,
		Name:             o.Name,
		GoModule:         o.GoModule,
		GoPackage:        o.GoPackage,
		GradiorecVersion: o.GradiorecVersion,
		GradiorecReplace: o.GradiorecReplace,
		Trace:            o.Trace,
		Think:            o.Think,
	}
}

// ParseLang returns the language named s: "python" (or "py"), "javascript"
// ("js"), "go", "curl" ("bash") or "locust".
func ParseLang(s string) (Lang, error) {
	switch s {
	case "py":
		return Python, nil
	case "js", "node":
		return JavaScript, nil
	case "golang":
		return Go, nil
	case "bash", "sh":
		return Curl, nil
	}
	if slices.Contains(Langs, Lang(s)) || Lang(s) == Locust {
		return Lang(s), nil
	}
	return "", fmt.Errorf("unknown language %q (want python, javascript, go, curl or locust)", s)
}

// A Change says what became of a recorded call in the intent form: made by
// the intent call Into (a ChatInterface turn's calls, by one call of the
// chat endpoint), or left out when Into is 0. Reason says why, for a
// person.
type Change struct {
	Call   int    `json:"call"`
	Into   int    `json:"into"`
	Reason string `json:"reason"`
}

// Intent returns the intent form of rec as a recording: the calls that
// Changes describes made as the intent code makes them (a ChatInterface turn
// as one call of the chat endpoint, with the reply it got), the calls it
// leaves out gone, every other call as recorded. It shares what it does not
// change with rec, and is rec itself when no rule applies. Replaying it
// checks the code a person would write against the app.
func Intent(rec *recording.Recording) (*recording.Recording, error) {
	if rec == nil {
		return nil, fmt.Errorf("intent: no recording")
	}
	if err := rec.Validate(); err != nil {
		return nil, fmt.Errorf("intent: %w", err)
	}
	form, changes := intent.Rewrite(rec)
	// A chat turn's call streams the reply where the page streamed the
	// whole conversation: its final output is what compares.
	var turns []int
	for _, c := range changes {
		if c.Into != 0 && !slices.Contains(turns, c.Into) {
			turns = append(turns, c.Into)
		}
	}
	if len(turns) > 0 {
		form.Masks = slices.Clone(form.Masks)
		for _, id := range turns {
			form.Masks = append(form.Masks, recording.Mask{Call: id, Path: recording.UpdatesPath, Reason: "a chat turn's reply is compared by its final text"})
		}
	}
	return form, nil
}

// Changes returns what the intent form (Options.Trace false) makes of the
// recorded calls that it does not make as the page did, in call order.
// Every other call is made as recorded.
func Changes(rec *recording.Recording) ([]Change, error) {
	if rec == nil {
		return nil, fmt.Errorf("changes: no recording")
	}
	if err := rec.Validate(); err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	p, err := plan.New(rec, plan.Options{})
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	out := make([]Change, 0, len(p.Changes))
	for _, c := range p.Changes {
		out = append(out, Change{Call: c.Call, Into: c.Into, Reason: c.Reason})
	}
	slices.SortFunc(out, func(a, b Change) int { return a.Call - b.Call })
	return out, nil
}
