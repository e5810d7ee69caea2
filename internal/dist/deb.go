package main

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"
)

// A deb is the Debian package of the desktop app, gradiorec-desktop, with
// the command beside it.
type deb struct {
	Version  string // the Debian version ("1.2.3", "1.2.3~rc1")
	Arch     string // "amd64"
	Desktop  []byte // the desktop app
	CLI      []byte // the gradiorec command
	Modified time.Time
}

// debDepends are the desktop app's runtime needs: the browser it shows
// apps in, and the WebKitGTK and GTK its window is made of.
const debDepends = "chromium, libwebkit2gtk-4.1-0, libgtk-3-0"

func (d *deb) name() string {
	return fmt.Sprintf("gradiorec-desktop_%s_%s.deb", d.Version, d.Arch)
}

// bytes builds the package: debian-binary, control.tar.gz (control and
// md5sums) and data.tar.gz, each entry at the same time.
func (d *deb) bytes() ([]byte, error) {
	icon, err := appIcon()
	if err != nil {
		return nil, err
	}
	data := []file{
		{"./", 0o755, nil},
		{"./usr/", 0o755, nil},
		{"./usr/bin/", 0o755, nil},
		{"./usr/bin/gradiorec", 0o755, d.CLI},
		{"./usr/bin/gradiorec-desktop", 0o755, d.Desktop},
		{"./usr/share/", 0o755, nil},
		{"./usr/share/applications/", 0o755, nil},
		{"./usr/share/applications/gradiorec-desktop.desktop", 0o644, []byte(desktopEntry)},
		{"./usr/share/icons/", 0o755, nil},
		{"./usr/share/icons/hicolor/", 0o755, nil},
		{"./usr/share/icons/hicolor/256x256/", 0o755, nil},
		{"./usr/share/icons/hicolor/256x256/apps/", 0o755, nil},
		{"./usr/share/icons/hicolor/256x256/apps/gradiorec.png", 0o644, icon},
	}
	var sums strings.Builder
	size := 0
	for _, f := range data {
		if strings.HasSuffix(f.name, "/") {
			continue
		}
		fmt.Fprintf(&sums, "%x  %s\n", md5.Sum(f.data), strings.TrimPrefix(f.name, "./"))
		size += len(f.data)
	}
	control := fmt.Sprintf(`Package: gradiorec-desktop
Version: %s
Architecture: %s
Maintainer: gradiorec developers <gradiorec@localhost>
Installed-Size: %d
Depends: %s
Section: devel
Priority: optional
Description: record a Gradio app session and turn it into client code and tests
 The gradiorec desktop app shows a Gradio app live beside the calls it
 makes and the Python, JavaScript, Go and cURL code that reproduces them.
 The package also holds the gradiorec command.
`, d.Version, d.Arch, (size+1023)/1024, debDepends)
	var ctl, dat, out bytes.Buffer
	if err := tarGz(&ctl, []file{{"./", 0o755, nil}, {"./control", 0o644, []byte(control)}, {"./md5sums", 0o644, []byte(sums.String())}}, d.Modified); err != nil {
		return nil, err
	}
	if err := tarGz(&dat, data, d.Modified); err != nil {
		return nil, err
	}
	err = ar(&out, []file{
		{"debian-binary", 0o644, []byte("2.0\n")},
		{"control.tar.gz", 0o644, ctl.Bytes()},
		{"data.tar.gz", 0o644, dat.Bytes()},
	}, d.Modified)
	return out.Bytes(), err
}

// debVersion is Debian's spelling of a Python version: a pre-release sorts
// before its release with "~" ("1.2.3~rc1").
func debVersion(py string) string {
	for _, pre := range []string{"rc", "a", "b"} {
		if i := strings.Index(py, pre); i > 0 {
			return py[:i] + "~" + py[i:]
		}
	}
	return py
}

const desktopEntry = `[Desktop Entry]
Type=Application
Name=gradiorec
GenericName=Gradio session recorder
Comment=Record a Gradio app session and turn it into client code and tests
Exec=gradiorec-desktop %f
Icon=gradiorec
Terminal=false
Categories=Development;
MimeType=application/json;
`

// appIcon draws the app's icon: a red recording dot on a dark rounded
// square, 256 pixels wide.
func appIcon() ([]byte, error) {
	const n = 256
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	bg := color.NRGBA{0x1f, 0x24, 0x30, 0xff}
	dot := color.NRGBA{0xe5, 0x48, 0x4d, 0xff}
	in := func(x, y, cx, cy, r int) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r }
	const corner = 40
	for y := range n {
		for x := range n {
			cx, cy := min(max(x, corner), n-1-corner), min(max(y, corner), n-1-corner)
			switch {
			case in(x, y, n/2, n/2, 70):
				img.Set(x, y, dot)
			case in(x, y, cx, cy, corner):
				img.Set(x, y, bg)
			}
		}
	}
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}
