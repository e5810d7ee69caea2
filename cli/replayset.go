package cli

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/replay"
)

// replayItem is one recording a replay runs.
type replayItem struct {
	name string // its path below the folder given, with slashes and no .json; or its file's base name
	path string
	rec  *recording.Recording
}

// listRecordings returns the recordings that args name: files, and every
// *.json file below a folder (not in a recording's files folder, nor a
// hidden one), sorted by name. Links are not followed, below a folder: a
// recording there is a file of the folder's own.
func listRecordings(args []string) ([]replayItem, bool, error) {
	var items []replayItem
	folder := false
	for _, arg := range args {
		if st, err := os.Stat(arg); err != nil || !st.IsDir() {
			// A file, or nothing: Load says what (an interrupted
			// recording's journal, say).
			items = append(items, replayItem{name: strings.TrimSuffix(filepath.Base(arg), ".json"), path: arg})
			continue
		}
		folder = true
		found, err := recordingsIn(arg)
		if err != nil {
			return nil, false, &exitError{code: replay.ExitBadInput, err: err}
		}
		if len(found) == 0 {
			return nil, false, usagef("%s holds no recording (*.json): give a folder of recordings, or recording files", arg)
		}
		items = append(items, found...)
	}
	slices.SortStableFunc(items, func(a, b replayItem) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(items); i++ {
		if items[i].name == items[i-1].name {
			return nil, false, usagef("two recordings are named %s (%s and %s): their reports would mix; give them in separate runs",
				term.Escape(items[i].name), term.Escape(items[i-1].path), term.Escape(items[i].path))
		}
	}
	return items, folder || len(items) > 1, nil
}

// recordingsIn walks root for recordings.
func recordingsIn(root string) ([]replayItem, error) {
	var items []replayItem
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		switch {
		case path == root:
			return nil
		case d.IsDir() && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".files")):
			return filepath.SkipDir
		case !d.Type().IsRegular() || !strings.HasSuffix(name, ".json"):
			return nil // a link, a journal, a rules file
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		items = append(items, replayItem{name: strings.TrimSuffix(filepath.ToSlash(rel), ".json"), path: path})
		return nil
	})
	return items, err
}

// shard is the part I of N of a set of recordings or sessions (--shard I/N).
type shard struct{ i, n int }

// parseShard reads "I/N", 1 ≤ I ≤ N.
func parseShard(s string) (shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return shard{}, usagef("--shard %q: want I/N with 1 ≤ I ≤ N, e.g. 2/3 for the second of three runners", s)
	}
	return shard{i, n}, nil
}

// has reports whether the shard takes name: the FNV-1a 64-bit hash of the
// name, modulo N, is I-1. A name lands in the same shard on every run and
// machine, so N runners cover every name once.
func (s shard) has(name string) bool {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()%uint64(s.n) == uint64(s.i-1)
}

// pickRecordings keeps the recordings of the shard, by name, and says on
// stderr how many.
func (s shard) pickRecordings(e *env, items []replayItem) []replayItem {
	var kept []replayItem
	for _, it := range items {
		if s.has(it.name) {
			kept = append(kept, it)
		}
	}
	fmt.Fprintf(e.stderr, "shard %d/%d: %d of %d recordings\n", s.i, s.n, len(kept), len(items))
	return kept
}

// pickSessions splits a single recording by session id instead: it returns
// the recording cut to the sessions of the shard (none if it has none of
// them), and says on stderr how many.
func (s shard) pickSessions(e *env, item replayItem) []replayItem {
	rec := *item.rec
	rec.Calls = nil
	all, kept := map[string]bool{}, map[string]bool{}
	for _, c := range item.rec.Calls {
		all[c.Session] = true
		if s.has(c.Session) {
			kept[c.Session] = true
			rec.Calls = append(rec.Calls, c)
		}
	}
	fmt.Fprintf(e.stderr, "shard %d/%d: %d of %d sessions\n", s.i, s.n, len(kept), len(all))
	if len(rec.Calls) == 0 {
		return nil
	}
	item.rec = &rec
	return []replayItem{item}
}

// loadRecordings loads each recording; a bad one is bad input, named.
func loadRecordings(items []replayItem) error {
	for i := range items {
		rec, err := recording.Load(items[i].path)
		if err != nil {
			return &exitError{code: replay.ExitBadInput, err: err}
		}
		items[i].rec = rec
	}
	return nil
}
