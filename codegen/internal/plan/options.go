package plan

import (
	"fmt"
	"go/token"
	"regexp"
	"time"
)

// Flavours of generated code.
const (
	Script = "script" // a program that replays the calls and prints results
	Test   = "test"   // a test that replays the calls and checks results
)

// Options are the generator options every language shares.
type Options struct {
	// Flavour is Script or Test.
	Flavour string
	// URL is the app the code calls; "" means the recorded one.
	URL string
	// Name is the base name of the generated files, without extension
	// ("replay" when empty).
	Name string
	// GoModule is the module path of an exported Go project ("" for the
	// file alone, without a go.mod).
	GoModule string
	// GoPackage is the package name of generated Go code ("main" for
	// scripts and "replay" for tests when empty).
	GoPackage string
	// GradiorecVersion is the version of github.com/gradiorec/gradiorec the
	// go.mod requires ("v0.0.0" when empty, meant with GradiorecReplace).
	GradiorecVersion string
	// GradiorecReplace, when set, adds a replace directive pointing the
	// module at this path (a local checkout).
	GradiorecReplace string
	// FixtureDir is the folder, relative to the output folder, under which
	// the code reads the recorded input files ("fixtures" when empty).
	FixtureDir string
	// Trace plans every recorded call; else the intent form's calls (see
	// package intent).
	Trace bool
	// Think is how a simulated Locust user paces its calls.
	Think Think
}

// Think is how long a simulated Locust user waits before each call after
// the first of its session. The zero value waits as the recorded person
// did: from the end of the previous call to the start of this one.
type Think struct {
	Fixed bool          // wait Pause instead of as recorded
	Pause time.Duration // with Fixed: the wait, 0 for none
}

// BaseName returns Name, or "replay" when it is empty.
func (o Options) BaseName() string {
	if o.Name == "" {
		return "replay"
	}
	return o.Name
}

var (
	baseName   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$`)
	modulePath = regexp.MustCompile(`^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$`)
	semver     = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	fixtureDir = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$`)
)

// check refuses options that would not make a plain file name, package
// name or go.mod line: they reach file names, package.json's scripts (run by
// a shell) and go.mod as they are.
func (o Options) check() error {
	if o.Name != "" && !baseName.MatchString(o.Name) {
		return fmt.Errorf("name %q: use at most 64 letters, digits, '.', '_' and '-', not starting with '.' or '-'", o.Name)
	}
	if o.GoModule != "" && !modulePath.MatchString(o.GoModule) {
		return fmt.Errorf("go module %q is not a module path: use letters, digits, '.', '_', '~', '-' and '/' between elements, e.g. example.com/replay", o.GoModule)
	}
	if o.GoPackage != "" && (!token.IsIdentifier(o.GoPackage) || o.GoPackage == "_") {
		return fmt.Errorf("go package %q is not a Go identifier: use letters, digits and '_', e.g. replay", o.GoPackage)
	}
	if o.GradiorecVersion != "" && !semver.MatchString(o.GradiorecVersion) {
		return fmt.Errorf("gradiorec version %q is not a semantic version such as v1.2.3", o.GradiorecVersion)
	}
	for _, r := range o.GradiorecReplace {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("replace path %q has a control character: give the path of a checkout of gradiorec", o.GradiorecReplace)
		}
	}
	if o.Think.Pause < 0 {
		return fmt.Errorf("think time %v: want a pause of 0 or more", o.Think.Pause)
	}
	if o.FixtureDir != "" && !fixtureDir.MatchString(o.FixtureDir) {
		return fmt.Errorf("fixture folder %q: use a relative path of letters, digits, '.', '_' and '-'", o.FixtureDir)
	}
	return nil
}
