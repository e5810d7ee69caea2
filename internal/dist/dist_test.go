package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

func TestVersions(t *testing.T) {
	for v, want := range map[string][2]string{
		"v1.2.3":        {"1.2.3", "1.2.3"},
		"v0.3.0-rc.1":   {"0.3.0rc1", "0.3.0~rc1"},
		"v2.0.0-beta.4": {"2.0.0b4", "2.0.0~b4"},
	} {
		py, err := pep440(v)
		if err != nil || py != want[0] || debVersion(py) != want[1] {
			t.Errorf("%s: %q (%v) and %q, want %q and %q", v, py, err, debVersion(py), want[0], want[1])
		}
	}
	for _, v := range []string{"1.2.3", "v1.2", "v1.2.3-dev", "devel"} {
		if py, err := pep440(v); err == nil {
			t.Errorf("%s: %q, want an error", v, py)
		}
	}
}

// TestWheel checks a wheel as pip reads it: its name, every entry in
// RECORD with its right hash and size, the binary executable, and the same
// bytes when written again.
func TestWheel(t *testing.T) {
	w := &wheel{Version: "1.2.3", Platform: "manylinux_2_17_x86_64", Binary: []byte("\x7fELF binary"), Readme: "# gradiorec\n", Modified: time.Unix(1700000000, 0)}
	var a, b bytes.Buffer
	if err := w.write(&a); err != nil {
		t.Fatal(err)
	}
	if err := w.write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same wheel differ")
	}
	if w.name() != "gradiorec-1.2.3-py3-none-manylinux_2_17_x86_64.whl" {
		t.Errorf("name %s", w.name())
	}
	z, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(r)
		r.Close()
		if f.Name == "gradiorec-1.2.3.data/scripts/gradiorec" && f.Mode().Perm() != 0o755 {
			t.Errorf("the binary's mode is %v", f.Mode())
		}
	}
	record := string(files["gradiorec-1.2.3.dist-info/RECORD"])
	for name, data := range files {
		sum := sha256.Sum256(data)
		line := name + ",sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]) + "," + strconv.Itoa(len(data))
		if name == "gradiorec-1.2.3.dist-info/RECORD" {
			line = name + ",,"
		}
		if !strings.Contains(record, line+"\n") {
			t.Errorf("RECORD lacks %q:\n%s", line, record)
		}
	}
	for _, want := range []string{"Name: gradiorec\n", "Version: 1.2.3\n", "\n\n# gradiorec\n"} {
		if !strings.Contains(string(files["gradiorec-1.2.3.dist-info/METADATA"]), want) {
			t.Errorf("METADATA lacks %q", want)
		}
	}
}

// TestDeb checks the desktop package as dpkg reads it: its fields, its
// files with their modes, and the same bytes when built again.
func TestDeb(t *testing.T) {
	dpkg, err := exec.LookPath("dpkg-deb")
	gradiotest.Need(t, "dpkg-deb", err)
	d := &deb{Version: "1.2.3~rc1", Arch: "amd64", Desktop: []byte("desktop"), CLI: []byte("cli"), Modified: time.Unix(1700000000, 0)}
	a, err := d.bytes()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.bytes()
	if !bytes.Equal(a, b) {
		t.Error("two builds of the same package differ")
	}
	path := filepath.Join(t.TempDir(), d.name())
	if err := os.WriteFile(path, a, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command(dpkg, "--info", path).CombinedOutput()
	if err != nil {
		t.Fatalf("dpkg-deb --info: %v\n%s", err, info)
	}
	for _, want := range []string{"Package: gradiorec-desktop", "Version: 1.2.3~rc1", "Depends: chromium, libwebkit2gtk-4.1-0, libgtk-3-0"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("dpkg-deb --info lacks %q:\n%s", want, info)
		}
	}
	contents, err := exec.Command(dpkg, "--contents", path).CombinedOutput()
	if err != nil {
		t.Fatalf("dpkg-deb --contents: %v\n%s", err, contents)
	}
	for _, want := range []string{"-rwxr-xr-x root/root         7 2023-11-14 22:13 ./usr/bin/gradiorec-desktop", "./usr/bin/gradiorec\n", "./usr/share/applications/gradiorec-desktop.desktop", "./usr/share/icons/hicolor/256x256/apps/gradiorec.png"} {
		if !strings.Contains(string(contents), want) {
			t.Errorf("dpkg-deb --contents lacks %q:\n%s", want, contents)
		}
	}
}

// TestWheelInstalls builds the wheel of this machine's platform, installs
// it into a new virtualenv with pip, and with the command it put on the
// virtualenv's PATH records a session of calculator.py from its steps
// file, writes the Python script of it, and replays it green.
func TestWheelInstalls(t *testing.T) {
	_, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)
	py := gradiotest.Python(t, gradiotest.DefaultVersion)
	root := gradiotest.Root(t)
	ctx := t.Context()
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	b := &build{root: root, version: "v9.8.7", python: "9.8.7", modified: time.Unix(1700000000, 0)}
	cli, err := b.compile(ctx, "linux", runtime.GOARCH, "", "./cmd/gradiorec")
	if err != nil {
		t.Fatal(err)
	}
	w := &wheel{Version: b.python, Platform: map[string]string{"amd64": "manylinux_2_17_x86_64", "arm64": "manylinux_2_17_aarch64"}[runtime.GOARCH], Binary: cli, Readme: "# gradiorec\n", Modified: b.modified}
	dir := t.TempDir()
	whl := filepath.Join(dir, w.name())
	f, err := os.Create(whl)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	venv := filepath.Join(dir, "venv")
	runOK(t, py, "-m", "venv", venv)
	runOK(t, filepath.Join(venv, "bin", "python"), "-m", "pip", "install", "--no-index", "--disable-pip-version-check", whl)

	bin := filepath.Join(venv, "bin", "gradiorec")
	if out := runOK(t, bin, "version"); !strings.Contains(out, "v9.8.7") {
		t.Errorf("gradiorec version: %s", out)
	}
	if out := runOK(t, filepath.Join(venv, "bin", "python"), "-m", "gradiorec", "version"); !strings.Contains(out, "v9.8.7") {
		t.Errorf("python -m gradiorec version: %s", out)
	}
	app := gradiotest.Start(t, "calculator")
	rec := filepath.Join(dir, "session.json")
	runOK(t, bin, "record", "-o", rec, "--steps", filepath.Join(root, "testdata", "steps", "calculator.yaml"), app.URL)
	if out := runOK(t, bin, "generate", "--lang", "python", rec); !strings.Contains(out, "client.predict(") {
		t.Errorf("generate wrote no call:\n%s", out)
	}
	if out := runOK(t, bin, "replay", "--url", app.URL, rec); !strings.Contains(out, "PASS") {
		t.Errorf("replay:\n%s", out)
	}
	saved, err := os.ReadFile(rec)
	if err != nil || !bytes.Contains(saved, []byte(`"tool": "gradiorec v9.8.7"`)) {
		t.Errorf("the recording does not name the version that made it (%v)", err)
	}
}

// runOK runs a command, fails the test if it fails, and returns its output.
func runOK(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}
