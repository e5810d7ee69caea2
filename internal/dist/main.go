// Command dist builds gradiorec's release files into a folder (make dist):
//
//	gradiorec-VERSION-py3-none-manylinux_2_17_x86_64.whl   pip install gradiorec
//	gradiorec-VERSION-py3-none-manylinux_2_17_aarch64.whl
//	gradiorec-VERSION-linux-amd64.tar.gz                   the command alone
//	gradiorec-VERSION-linux-arm64.tar.gz
//	gradiorec-desktop_VERSION_amd64.deb                    the desktop app and the command
//	SHA256SUMS
//
// The version is the tag on HEAD (vMAJOR.MINOR.PATCH, optionally -rc.N),
// else "v" + the VERSION file; it is stamped into every binary. Every file
// is the same, byte for byte, when built again from the same commit with
// the same Go toolchain: binaries are built with -trimpath and no build id,
// and every archive entry carries the time of the last commit (or
// SOURCE_DATE_EPOCH).
//
// usage: go run ./internal/dist [-o dist] [-deb=false]
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "dist", "write the files into this `folder`")
	withDeb := flag.Bool("deb", true, "also build the desktop app's .deb (needs cgo, WebKitGTK 4.1 and the built frontend)")
	flag.Parse()
	if err := run(context.Background(), ".", *out, *withDeb); err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

// platforms are the wheels' and tarballs' targets.
var platforms = []struct{ goarch, wheel string }{
	{"amd64", "manylinux_2_17_x86_64"},
	{"arm64", "manylinux_2_17_aarch64"},
}

func run(ctx context.Context, root, out string, withDeb bool) error {
	b, err := newBuild(ctx, root)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var sums strings.Builder // SHA256SUMS, as sha256sum writes it
	save := func(name string, data []byte) error {
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(data), name)
		fmt.Println(filepath.Join(out, name))
		return os.WriteFile(filepath.Join(out, name), data, 0o644)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return err
	}
	var cliAmd64 []byte
	for _, p := range platforms {
		cli, err := b.compile(ctx, "linux", p.goarch, "", "./cmd/gradiorec")
		if err != nil {
			return err
		}
		if p.goarch == "amd64" {
			cliAmd64 = cli
		}
		w := &wheel{Version: b.python, Platform: p.wheel, Binary: cli, Readme: string(readme), Modified: b.modified}
		var whl bytes.Buffer
		if err := w.write(&whl); err != nil {
			return err
		}
		if err := save(w.name(), whl.Bytes()); err != nil {
			return err
		}
		dir := fmt.Sprintf("gradiorec-%s-linux-%s", b.python, p.goarch)
		var tgz bytes.Buffer
		err = tarGz(&tgz, []file{{dir + "/", 0o755, nil}, {dir + "/gradiorec", 0o755, cli}, {dir + "/README.md", 0o644, readme}}, b.modified)
		if err != nil {
			return err
		}
		if err := save(dir+".tar.gz", tgz.Bytes()); err != nil {
			return err
		}
	}
	if withDeb {
		desktop, err := b.compile(ctx, "linux", "amd64", "desktop,production,webkit2_41", ".")
		if err != nil {
			return fmt.Errorf("the desktop app (make frontend first; needs libwebkit2gtk-4.1-dev): %w", err)
		}
		d := &deb{Version: debVersion(b.python), Arch: "amd64", Desktop: desktop, CLI: cliAmd64, Modified: b.modified}
		data, err := d.bytes()
		if err != nil {
			return err
		}
		if err := save(d.name(), data); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(sums.String()), 0o644)
}

// A build is what every file of a release shares.
type build struct {
	root     string
	version  string    // the module's: "v1.2.3"
	release  bool      // build for release: -trimpath (the tests share the build cache of the others instead)
	python   string    // the wheel's: "1.2.3"
	modified time.Time // every archive entry's time
}

func newBuild(ctx context.Context, root string) (*build, error) {
	b := &build{root: root, release: true}
	var err error
	if b.version, err = releaseVersion(ctx, root); err != nil {
		return nil, err
	}
	if b.python, err = pep440(b.version); err != nil {
		return nil, err
	}
	if b.modified, err = sourceDate(ctx, root); err != nil {
		return nil, err
	}
	return b, nil
}

// releaseVersion is the release tag on HEAD, else "v" + the VERSION file.
func releaseVersion(ctx context.Context, root string) (string, error) {
	if tag, err := exec.CommandContext(ctx, "git", "-C", root, "describe", "--tags", "--exact-match", "--match", "v[0-9]*").Output(); err == nil {
		return strings.TrimSpace(string(tag)), nil
	}
	v, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		return "", fmt.Errorf("no release tag on HEAD and no VERSION file: %w", err)
	}
	return "v" + strings.TrimSpace(string(v)), nil
}

// sourceDate is SOURCE_DATE_EPOCH, else the time of the last commit; not
// before 1980, which zip cannot say.
func sourceDate(ctx context.Context, root string) (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		out, err := exec.CommandContext(ctx, "git", "-C", root, "log", "-1", "--format=%ct").Output()
		if err != nil {
			return time.Time{}, fmt.Errorf("set SOURCE_DATE_EPOCH (no git history to take the time of the last commit from): %w", err)
		}
		s = strings.TrimSpace(string(out))
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
	}
	return time.Unix(max(sec, 315532800), 0).UTC(), nil
}

// compile builds a package for a platform, reproducibly, with the version
// stamped, and returns the binary. tags "" builds without cgo.
func (b *build) compile(ctx context.Context, goos, goarch, tags, pkg string) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "gradiorec-dist-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "bin")
	args := []string{"build", "-buildvcs=false", "-o", bin,
		"-ldflags", "-s -w -buildid= -X github.com/gradiorec/gradiorec/internal/version.Version=" + b.version}
	if b.release {
		args = append(args, "-trimpath")
	}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = b.root
	cgo := "0"
	if tags != "" {
		cgo = "1"
	}
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED="+cgo, "GOFLAGS=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build %s for %s/%s: %w\n%s", pkg, goos, goarch, err, stderr.Bytes())
	}
	data, err := os.ReadFile(bin)
	if len(data) == 0 && err == nil {
		err = errors.New("empty binary")
	}
	return data, err
}
