package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"
)

// A file is one entry of an archive.
type file struct {
	name string // slash-separated, relative; a name ending in "/" is a folder
	mode fs.FileMode
	data []byte
}

// tarGz writes files as a gzipped tar whose bytes depend only on them and
// modified: entries in the given order, owned by root, each with that time;
// the gzip header without a name or time.
func tarGz(out io.Writer, files []file, modified time.Time) error {
	gz, err := gzip.NewWriterLevel(out, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: int64(f.mode.Perm()), ModTime: modified, Uname: "root", Gname: "root", Format: tar.FormatGNU, Typeflag: tar.TypeReg, Size: int64(len(f.data))}
		if strings.HasSuffix(f.name, "/") {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// ar writes a Debian package's outer archive (the ar format dpkg reads):
// each member with the time modified, owned by root, mode 0644.
func ar(out io.Writer, members []file, modified time.Time) error {
	var b bytes.Buffer
	b.WriteString("!<arch>\n")
	for _, m := range members {
		if len(m.name) > 16 {
			return fmt.Errorf("ar member name %q is over 16 bytes", m.name)
		}
		fmt.Fprintf(&b, "%-16s%-12d%-6d%-6d%-8o%-10d`\n", m.name, modified.Unix(), 0, 0, 0o100644, len(m.data))
		b.Write(m.data)
		if len(m.data)%2 == 1 {
			b.WriteByte('\n')
		}
	}
	_, err := out.Write(b.Bytes())
	return err
}
