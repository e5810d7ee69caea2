// Package version is gradiorec's version, which every face shows (the
// command, the desktop window, the extension's backend) and writes into
// recordings and exported HARs.
package version

import "regexp"

// Version is stamped at build time with
// -ldflags "-X github.com/gradiorec/gradiorec/internal/version.Version=v1.2.3".
var Version = "devel"

// semver matches the versions a go.mod can require.
var semver = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// Release returns Version when it is a release that a go.mod can require,
// else "" (a development build).
func Release() string {
	if semver.MatchString(Version) {
		return Version
	}
	return ""
}
