package plan

import (
	"fmt"
	"go/token"
	"regexp"
)

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
