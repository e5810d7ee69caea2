package relay

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// maxStoreFile bounds how much of the pairings file is read.
const maxStoreFile = 1 << 20

// storeFile is the pairings file's content. Unlike Pairing, its entries
// carry the secret.
type storeFile struct {
	Version  int             `json:"version"`
	Pairings []storedPairing `json:"pairings"`
}

// storedPairing is a Pairing as the file keeps it.
type storedPairing struct {
	Install string    `json:"install"`
	Browser string    `json:"browser"`
	Secret  []byte    `json:"secret"` // base64
	Paired  time.Time `json:"paired"`
}

// FileStore returns a Store kept in a JSON file at path (DefaultStorePath
// in gradiorec): written atomically (a new file renamed over the old one)
// with mode 0600, in a folder of mode 0700 that it creates, or tightens to
// 0700 when the user owns it. It never follows a symbolic link at path and
// refuses a file that another user owns, that other users may read or
// write, or that is larger than 1 MiB; the errors say how to fix it. Every
// method reads the file again, so that processes sharing it see each
// other's changes; on Unix, writers take a lock on the folder.
func FileStore(path string) (Store, error) {
	if path == "" {
		return nil, errors.New("open the paired browsers file: no path given (use relay.DefaultStorePath())")
	}
	s := &fileStore{path: path}
	if err := privateDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	if _, err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

type fileStore struct {
	watchers
	path string
	mu   sync.Mutex // serialises this process's writers
}

func (s *fileStore) Secret(install string) ([]byte, bool) {
	ps, err := s.load()
	if err != nil {
		return nil, false
	}
	for _, p := range ps {
		if p.Install == install {
			return p.Secret, true
		}
	}
	return nil, false
}

func (s *fileStore) Put(p Pairing) error {
	if len(p.Secret) == 0 {
		return fmt.Errorf("save the pairing of %s: it has no secret (pair the browser again)", p.Install)
	}
	return s.update(func(ps []Pairing) []Pairing {
		p.Secret = slices.Clone(p.Secret)
		return put(ps, p)
	})
}

func (s *fileStore) List() ([]Pairing, error) {
	ps, err := s.load()
	if err != nil {
		return nil, err
	}
	return public(ps), nil
}

func (s *fileStore) Revoke(install string) error {
	err := s.update(func(ps []Pairing) []Pairing {
		return slices.DeleteFunc(ps, func(p Pairing) bool { return p.Install == install })
	})
	if err != nil {
		return err
	}
	s.revoked(install)
	return nil
}

// load reads the pairings, with their secrets; a missing file holds none.
func (s *fileStore) load() ([]Pairing, error) {
	f, err := openPrivate(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStoreFile+1))
	if err != nil {
		return nil, fmt.Errorf("read the paired browsers file %s: %w", s.path, err)
	}
	if len(data) > maxStoreFile {
		return nil, fmt.Errorf("the paired browsers file %s is larger than 1 MiB, which gradiorec never writes: remove it (rm %s) and pair your browsers again", s.path, s.path)
	}
	var sf storeFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("the paired browsers file %s is not valid (%v): remove it (rm %s) and pair your browsers again", s.path, err, s.path)
	}
	if sf.Version != 1 {
		return nil, fmt.Errorf("the paired browsers file %s has version %d, which this gradiorec does not know: update gradiorec, or remove the file (rm %s) and pair your browsers again", s.path, sf.Version, s.path)
	}
	ps := make([]Pairing, 0, len(sf.Pairings))
	for _, p := range sf.Pairings {
		if len(p.Secret) == 0 || p.Install == "" {
			return nil, fmt.Errorf("the paired browsers file %s has an entry without install or secret: remove it (rm %s) and pair your browsers again", s.path, s.path)
		}
		ps = append(ps, Pairing{Install: p.Install, Browser: p.Browser, Secret: p.Secret, Paired: p.Paired})
	}
	return ps, nil
}

// update changes the pairings under the folder's lock and writes them.
func (s *fileStore) update(change func([]Pairing) []Pairing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	dir := filepath.Dir(s.path)
	if err := privateDir(dir); err != nil {
		return err
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return fmt.Errorf("lock %s: %w (check that you own the folder)", dir, err)
	}
	defer unlock()
	ps, err := s.load()
	if err != nil {
		return err
	}
	sf := storeFile{Version: 1, Pairings: []storedPairing{}}
	for _, p := range change(ps) {
		sf.Pairings = append(sf.Pairings, storedPairing{Install: p.Install, Browser: p.Browser, Secret: p.Secret, Paired: p.Paired})
	}
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the paired browsers: %w", err)
	}
	return writeAtomic(s.path, append(data, '\n'))
}

// writeAtomic writes data to a new 0600 file beside path and renames it
// over path (which replaces a symbolic link rather than following it).
func writeAtomic(path string, data []byte) error {
	rnd := make([]byte, 8)
	if _, err := rand.Read(rnd); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	tmp := path + ".tmp-" + hex.EncodeToString(rnd)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("save %s: %w (check that you own its folder)", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save %s: %w (check the free space and that you own its folder)", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
