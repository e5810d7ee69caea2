package codegen

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gradiorec/gradiorec/recording"
)

// Write writes the project into dir, creating it if needed: every file with
// its mode, and every fixture copied from rec (the recording Export was given,
// as loaded from disk, so that its files folder is known). Files already in
// dir under the same names are replaced; nothing else is touched. Write is
// the one step of code generation that writes files.
func (p *Project) Write(dir string, rec *recording.Recording) error {
	for _, f := range p.Files {
		path, err := localPath(dir, f.Path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("write project: %w", err)
		}
		mode := f.Mode
		if mode == 0 {
			mode = 0o644
		}
		if err := os.WriteFile(path, f.Content, mode); err != nil {
			return fmt.Errorf("write project: %w", err)
		}
		// WriteFile keeps the mode of a file it replaces.
		if err := os.Chmod(path, mode); err != nil {
			return fmt.Errorf("write project: %w", err)
		}
	}
	for _, fx := range p.Fixtures {
		path, err := localPath(dir, fx.Path)
		if err != nil {
			return err
		}
		if err := copyFixture(path, rec, fx.File.Name); err != nil {
			return fmt.Errorf("write project: fixture %s: %w", fx.Path, err)
		}
	}
	return nil
}

// localPath joins dir and a generated slash-separated path, refusing one that
// would leave dir.
func localPath(dir, rel string) (string, error) {
	p := filepath.FromSlash(rel)
	if !filepath.IsLocal(p) {
		return "", fmt.Errorf("write project: %q is not a path inside the output folder", rel)
	}
	return filepath.Join(dir, p), nil
}

func copyFixture(path string, rec *recording.Recording, name string) error {
	src, err := rec.OpenFile(name)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	dst, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
