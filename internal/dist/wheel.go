package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"time"
)

// A wheel is the Python package of one platform: the gradiorec binary,
// which pip installs into the environment's scripts folder (bin/), and a
// small package, gradiorec, for `python -m gradiorec`.
type wheel struct {
	Version  string    // the Python version (pep440)
	Platform string    // "manylinux_2_17_x86_64"
	Binary   []byte    // the gradiorec command for that platform
	Readme   string    // the package's long description (Markdown)
	Modified time.Time // every entry's time, for the same bytes from the same inputs
}

// name is the wheel's file name, as pip wants it.
func (w *wheel) name() string {
	return fmt.Sprintf("gradiorec-%s-py3-none-%s.whl", w.Version, w.Platform)
}

// write writes the wheel: its entries in a fixed order, each with the same
// time, the dist-info folder last with RECORD at its end.
func (w *wheel) write(out io.Writer) error {
	info := "gradiorec-" + w.Version + ".dist-info/"
	entries := []struct {
		name string
		mode fs.FileMode
		data []byte
	}{
		{"gradiorec/__init__.py", 0o644, []byte(strings.ReplaceAll(pyInit, "{{version}}", w.Version))},
		{"gradiorec/__main__.py", 0o644, []byte(pyMain)},
		{"gradiorec-" + w.Version + ".data/scripts/gradiorec", 0o755, w.Binary},
		{info + "METADATA", 0o644, []byte(w.metadata())},
		{info + "WHEEL", 0o644, []byte("Wheel-Version: 1.0\nGenerator: gradiorec-dist\nRoot-Is-Purelib: false\nTag: py3-none-" + w.Platform + "\n")},
	}
	z := zip.NewWriter(out)
	var record bytes.Buffer
	for _, e := range entries {
		if err := zipFile(z, e.name, e.mode, w.Modified, e.data); err != nil {
			return err
		}
		sum := sha256.Sum256(e.data)
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", e.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(e.data))
	}
	fmt.Fprintf(&record, "%sRECORD,,\n", info)
	if err := zipFile(z, info+"RECORD", 0o644, w.Modified, record.Bytes()); err != nil {
		return err
	}
	return z.Close()
}

// metadata is the wheel's METADATA (core metadata 2.1), the README as its
// description.
func (w *wheel) metadata() string {
	return "Metadata-Version: 2.1\n" +
		"Name: gradiorec\n" +
		"Version: " + w.Version + "\n" +
		"Summary: Record a session in a Gradio app and turn it into Python, JavaScript, Go and cURL client code and regression tests\n" +
		"Keywords: gradio,recorder,codegen,testing,har\n" +
		"Classifier: Environment :: Console\n" +
		"Classifier: Operating System :: POSIX :: Linux\n" +
		"Classifier: Programming Language :: Go\n" +
		"Classifier: Topic :: Software Development :: Testing\n" +
		"Classifier: Topic :: Software Development :: Code Generators\n" +
		"Requires-Python: >=3.8\n" +
		"Description-Content-Type: text/markdown\n" +
		"\n" + w.Readme
}

// zipFile adds one deflated file to z with a fixed time and mode.
func zipFile(z *zip.Writer, name string, mode fs.FileMode, modified time.Time, data []byte) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified}
	h.SetMode(mode)
	f, err := z.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

// pep440 turns a release version of the module ("v1.2.3", "v1.2.3-rc.1")
// into Python's spelling of it ("1.2.3", "1.2.3rc1").
func pep440(v string) (string, error) {
	m := release.FindStringSubmatch(v)
	if m == nil {
		return "", fmt.Errorf("version %q is not vMAJOR.MINOR.PATCH with an optional -alpha.N, -beta.N or -rc.N", v)
	}
	pre := map[string]string{"": "", "alpha": "a", "beta": "b", "rc": "rc"}[m[2]]
	return m[1] + pre + m[3], nil
}

var release = regexp.MustCompile(`^v(\d+\.\d+\.\d+)(?:-(alpha|beta|rc)\.(\d+))?$`)

// pyInit is the package's __init__.py.
const pyInit = `"""gradiorec: record a session in a Gradio app and turn it into client code and tests.

This package installs the gradiorec command (a compiled program) into the
environment's scripts folder; run it as ` + "`gradiorec`" + ` or ` + "`python -m gradiorec`" + `.
"""

import os
import sys
import sysconfig

__version__ = "{{version}}"


def find_binary() -> str:
    """Return the path of the gradiorec command installed with this package."""
    folders = [sysconfig.get_path("scripts")]
    folders.append(sysconfig.get_path("scripts", f"{os.name}_user"))
    folders.append(os.path.dirname(sys.executable))
    for folder in folders:
        path = os.path.join(folder, "gradiorec")
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise FileNotFoundError(
        "the gradiorec command is not installed beside this package (looked in "
        + ", ".join(folders)
        + "): reinstall it with pip install --force-reinstall gradiorec"
    )
`

// pyMain is the package's __main__.py.
const pyMain = `"""python -m gradiorec: run the gradiorec command with these arguments."""

import os
import sys

from gradiorec import find_binary


def main() -> None:
    binary = find_binary()
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
`
