package app_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// display is a virtual X display (Xvfb) with a person at it: xdotool is
// their keyboard and mouse, ImageMagick's import takes screenshots.
type display struct {
	t     *testing.T
	name  string // e.g. ":3"
	shots string // where screenshots go
}

// startDisplay starts Xvfb on a free display number for the test.
func startDisplay(t *testing.T) *display {
	return &display{t: t, name: gradiotest.Xvfb(t, "the window"), shots: t.TempDir()}
}

// run runs an X client (xdotool, import) on the display, failing the test
// when it fails or takes over waitLimit.
func (d *display) run(name string, args ...string) string {
	d.t.Helper()
	out, err := d.try(name, args...)
	if err != nil {
		d.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// try runs an X client and returns its output and error.
func (d *display) try(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.name)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = errors.New("no result within " + waitLimit.String())
	}
	return strings.TrimSpace(out.String()), err
}

// window waits for a shown window whose title matches the regular
// expression and returns its id.
func (d *display) window(title string) string {
	d.t.Helper()
	out, err := d.search("--sync", "--onlyvisible", "--name", title)
	if err != nil {
		d.screenshot("no-window")
		d.t.Fatalf("no window titled %q: %v %s", title, err, out)
	}
	return strings.Fields(out)[0]
}

// shows reports whether a window whose title matches title is shown.
func (d *display) shows(title string) bool {
	_, err := d.search("--onlyvisible", "--name", title)
	return err == nil // xdotool exits 1 when it finds none
}

// search runs xdotool search. It walks the window tree, and a window that
// goes away meanwhile (WebKit makes and drops some as it starts) ends it
// with X's BadWindow: then it is made again.
func (d *display) search(args ...string) (out string, err error) {
	for range 20 {
		out, err = d.try("xdotool", append([]string{"search"}, args...)...)
		if err == nil || !strings.Contains(out, "BadWindow") {
			break
		}
	}
	return out, err
}

// keys focuses the window and presses keys, e.g. "ctrl+l".
func (d *display) keys(win string, keys ...string) {
	d.t.Helper()
	d.run("xdotool", "windowfocus", "--sync", win)
	d.run("xdotool", append([]string{"key", "--delay", "50"}, keys...)...)
}

// typeText focuses the window and types text key by key.
func (d *display) typeText(win, text string) {
	d.t.Helper()
	d.run("xdotool", "windowfocus", "--sync", win)
	d.run("xdotool", "type", "--delay", "60", text)
}

// click moves the pointer to a screen point and clicks there.
func (d *display) click(p image.Point) {
	d.t.Helper()
	d.run("xdotool", "mousemove", "--sync", strconv.Itoa(p.X), strconv.Itoa(p.Y), "click", "1")
}

// origin returns where a window's top-left corner is on the screen.
func (d *display) origin(win string) image.Point {
	d.t.Helper()
	var p image.Point
	for line := range strings.Lines(d.run("xdotool", "getwindowgeometry", "--shell", win)) {
		key, value, _ := strings.Cut(strings.TrimSpace(line), "=")
		n, _ := strconv.Atoi(value)
		switch key {
		case "X":
			p.X = n
		case "Y":
			p.Y = n
		}
	}
	return p
}

// screen returns the whole screen as an image.
func (d *display) screen() image.Image {
	d.t.Helper()
	path := filepath.Join(d.t.TempDir(), "screen.png")
	d.run("import", "-window", "root", path)
	return decodePNG(d.t, path)
}

// screenshot saves the screen as name.png in the test's folder, and in the
// folder GRADIOREC_SCREENSHOTS names, if any; it logs where.
func (d *display) screenshot(name string) {
	d.t.Helper()
	path := filepath.Join(d.shots, name+".png")
	if out, err := d.try("import", "-window", "root", path); err != nil {
		d.t.Errorf("screenshot %s: %v\n%s", name, err, out)
		return
	}
	d.t.Logf("screenshot %s: %s", name, path)
	if dir := os.Getenv("GRADIOREC_SCREENSHOTS"); dir != "" {
		data, err := os.ReadFile(path)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name+".png"), data, 0o644)
		}
		if err != nil {
			d.t.Errorf("copy screenshot %s to %s: %v", name, dir, err)
		}
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

// near reports whether two colours differ by at most tolerance in each
// channel: the live view shows the page as JPEG frames.
func near(a, b color.Color, tolerance int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	for _, d := range []int{int(ar>>8) - int(br>>8), int(ag>>8) - int(bg>>8), int(ab>>8) - int(bb>>8)} {
		if d < -tolerance || d > tolerance {
			return false
		}
	}
	return true
}
