package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/codegen/golang"
	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recording"
)

// generateCommand is gradiorec generate.
var generateCommand = command{
	summary: "turn a recording into Python, JavaScript, Go or cURL code, or a Locust load test",
	usage: "--lang python|javascript|go|curl [--test] [--trace] [-o DIR [--force]] [--url URL]\n" +
		"                  [--name NAME] [--go-module PATH] [--go-replace DIR] RECORDING.json\n" +
		"       gradiorec generate --lang locust [--check] [--think recorded|none|DURATION] [--trace]\n" +
		"                  [-o DIR [--force]] [--url URL] [--name NAME] RECORDING.json",
	help: "The code makes the calls a person would make through the app's public API:\n" +
		"a ChatInterface turn is one call of its chat endpoint, and calls that only\n" +
		"changed how the page looks are left out. --trace makes every call the page made.\n" +
		"Without -o the code is printed. With -o DIR a runnable project is written there:\n" +
		"the code, the recorded input files it uploads, a README.md and the project file\n" +
		"(requirements.txt, package.json or go.mod). DIR must be new or empty; --force\n" +
		"replaces the project's files in a folder that is not (links among them are\n" +
		"replaced, never written through; a linked folder inside DIR is refused).\n" +
		"A Go project's go.mod requires the Go client, " + golang.ModulePath + " (Go " + golang.GoVersion + ");\n" +
		"--go-replace points it at a local checkout of gradiorec.\n" +
		"The code reads GRADIO_URL (the app), HF_TOKEN, GRADIO_USERNAME and GRADIO_PASSWORD,\n" +
		"and GRADIO_SECRET_NAME for each secret the recording holds as <redacted:NAME>.\n" +
		"--lang locust writes locustfile.py, a load test in which each simulated user replays\n" +
		"a recorded session with gradio_client, each call a Locust request named by its\n" +
		"endpoint; -o adds requirements.txt (Locust, gradio_client). --check fails a request\n" +
		"whose outputs differ from the recorded ones. --think sets the pause between calls:\n" +
		"as recorded (the default), none, or a fixed duration such as 2s. See docs/load.md.",
	run: runGenerate,
}

func runGenerate(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "generate")
	lang := fs.String("lang", "", "the language: python, javascript, go, curl or locust (required)")
	test := fs.Bool("test", false, "write a test that checks the recorded outputs instead of a script")
	check := fs.Bool("check", false, "locust: fail each request whose outputs differ from the recorded ones")
	think := fs.String("think", "recorded", "locust: the pause of a simulated user between calls: recorded, none, or a duration such as 2s")
	trace := fs.Bool("trace", false, "write every call the page made, as it made it, instead of the calls a person would make\nthrough the app's public API (a ChatInterface turn as one call of its chat endpoint)")
	out := fs.String("o", "", "write a runnable project into this folder instead of printing the code")
	force := fs.Bool("force", false, "with -o: write into a folder that is not empty, replacing the project's files there")
	url := fs.String("url", "", "the app the code calls (default: the recorded one; the code also reads $GRADIO_URL)")
	name := fs.String("name", "", "base name of the generated files (default \"replay\")")
	goModule := fs.String("go-module", "", "module path of an exported Go project (default \"replay\")")
	goReplace := fs.String("go-replace", "", "a local checkout of gradiorec, whose gradio folder the go.mod's replace directive names")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one recording file, got %d arguments", len(pos))
	}
	if *lang == "" {
		return usagef("--lang is required: python, javascript, go, curl or locust")
	}
	if *force && *out == "" {
		return usagef("--force applies to the -o DIR folder; add -o DIR, or leave --force out")
	}
	l, err := codegen.ParseLang(*lang)
	if err != nil {
		return usagef("--lang: %v", err)
	}
	th, err := codegen.ParseThink(*think)
	if err != nil {
		return usagef("--think: %v", err)
	}
	switch {
	case l == codegen.Locust && *test:
		return usagef("--test writes a test; a load test checks outputs with --check")
	case l != codegen.Locust && *check:
		return usagef("--check applies to --lang locust; a %s test checks outputs with --test", l)
	case l != codegen.Locust && *think != "recorded":
		return usagef("--think applies to --lang locust")
	}
	rec, err := recording.Load(pos[0])
	if err != nil {
		return &exitError{code: ExitUsage, err: err} // bad input, as for replay
	}
	opts := codegen.Options{
		Lang: l, Flavour: codegen.Script, URL: *url, Name: *name,
		GoModule: *goModule, GradiorecReplace: *goReplace, Trace: *trace, Think: th,
	}
	if *test || *check {
		opts.Flavour = codegen.Test
	}
	opts.GradiorecVersion = version.Release()
	p, err := codegen.Export(rec, opts)
	if err != nil {
		return err
	}
	if *out == "" {
		if n := len(p.Fixtures); n > 0 {
			return fmt.Errorf("the %s code reads %d recorded input file(s) besides itself; "+
				"write it with its fixtures as a project folder: add -o DIR", l, n)
		}
		_, err := e.stdout.Write(p.Files[0].Content)
		return err
	}
	var wopts []codegen.WriteOption
	if *force {
		wopts = append(wopts, codegen.ReplaceFiles())
	}
	if err := p.Write(*out, rec, wopts...); err != nil {
		switch {
		case errors.Is(err, codegen.ErrNotEmpty):
			return fmt.Errorf("%w, or add --force to replace the project's files in it", err)
		case errors.Is(err, recording.ErrUnsafeFixture), errors.Is(err, recording.ErrCorruptFixture), errors.Is(err, recording.ErrMissingFixture):
			return &exitError{code: ExitUsage, err: err} // a bad recording, as for replay
		}
		return err
	}
	for _, f := range p.Files {
		fmt.Fprintf(e.stdout, "wrote %s\n", term.Escape(fileIn(*out, f.Path)))
	}
	for _, f := range p.Fixtures {
		fmt.Fprintf(e.stdout, "wrote %s\n", term.Escape(fileIn(*out, f.Path)))
	}
	if l == codegen.Go && *goReplace == "" && opts.GradiorecVersion == "" {
		fmt.Fprintf(e.stderr, "note: go.mod requires %s v0.0.0, which is not a release; "+
			"pass --go-replace with the path of a checkout of gradiorec to build offline\n", golang.ModulePath)
	}
	return nil
}

// fileIn names a written file: the output folder joined with its project
// path.
func fileIn(dir, rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
