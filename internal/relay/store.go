package relay

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Store keeps the per-install secrets of paired extensions. Its methods are
// safe for concurrent use.
type Store interface {
	// Secret returns the secret of an install, and false when the install is
	// not paired (or the store cannot be read).
	Secret(install string) ([]byte, bool)
	// Put adds a pairing, replacing any earlier one of the same install.
	Put(p Pairing) error
	// List returns the pairings, oldest first, without their secrets.
	List() ([]Pairing, error)
	// Revoke forgets an install's pairing. With a store made by MemoryStore
	// or FileStore, every Server using that store at once closes the
	// install's connections; a Server also closes them at its next ping
	// when another process or Store value revoked the pairing.
	Revoke(install string) error
}

// Pairing is a paired extension install. Secret is set only in what is
// given to Put: List never returns it, and it is never encoded as JSON.
type Pairing struct {
	Install string    `json:"install"` // the extension install's id
	Browser string    `json:"browser"` // the browser it described, sanitised
	Secret  []byte    `json:"-"`       // the per-install secret (only given to Put)
	Paired  time.Time `json:"paired"`  // when it was paired
}

// watcher is a Store that tells its Servers of revocations at once.
type watcher interface {
	// watch calls f with the install of each later Revoke until cancel.
	watch(f func(install string)) (cancel func())
}

// watchers is the list of revocation callbacks of a store.
type watchers struct {
	mu   sync.Mutex
	next int
	fs   map[int]func(string)
}

func (w *watchers) watch(f func(string)) func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fs == nil {
		w.fs = map[int]func(string){}
	}
	id := w.next
	w.next++
	w.fs[id] = f
	return func() {
		w.mu.Lock()
		delete(w.fs, id)
		w.mu.Unlock()
	}
}

func (w *watchers) revoked(install string) {
	w.mu.Lock()
	fs := make([]func(string), 0, len(w.fs))
	for _, f := range w.fs {
		fs = append(fs, f)
	}
	w.mu.Unlock()
	for _, f := range fs {
		f(install)
	}
}

// MemoryStore returns a Store that keeps pairings in memory only, for a
// backend that lives as long as one recording (`record --via extension`).
func MemoryStore() Store { return &memoryStore{} }

type memoryStore struct {
	watchers
	mu       sync.Mutex
	pairings []Pairing
}

func (m *memoryStore) Secret(install string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.pairings {
		if p.Install == install {
			return slices.Clone(p.Secret), true
		}
	}
	return nil, false
}

func (m *memoryStore) Put(p Pairing) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p.Secret = slices.Clone(p.Secret)
	m.pairings = put(m.pairings, p)
	return nil
}

func (m *memoryStore) List() ([]Pairing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return public(m.pairings), nil
}

func (m *memoryStore) Revoke(install string) error {
	m.mu.Lock()
	m.pairings = slices.DeleteFunc(m.pairings, func(p Pairing) bool { return p.Install == install })
	m.mu.Unlock()
	m.revoked(install)
	return nil
}

// put replaces the pairing of p's install, or appends p.
func put(ps []Pairing, p Pairing) []Pairing {
	ps = slices.DeleteFunc(ps, func(q Pairing) bool { return q.Install == p.Install })
	return append(ps, p)
}

// public returns a copy of ps without secrets.
func public(ps []Pairing) []Pairing {
	out := make([]Pairing, len(ps))
	for i, p := range ps {
		p.Secret = nil
		out[i] = p
	}
	return out
}

// DefaultStorePath is where gradiorec keeps paired extensions:
// $XDG_CONFIG_HOME/gradiorec/paired.json, or ~/.config/gradiorec/paired.json
// when XDG_CONFIG_HOME is unset or not absolute.
func DefaultStorePath() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "gradiorec", "paired.json")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		home = os.TempDir()
	}
	return filepath.Join(home, ".config", "gradiorec", "paired.json")
}

// sanitise returns s with only printable runes (invalid UTF-8 and control
// characters dropped), trimmed, at most max runes.
func sanitise(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "") {
		if n == max {
			break
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
			n++
		}
	}
	return strings.TrimSpace(b.String())
}
