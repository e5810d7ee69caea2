package replay

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gradiorec/gradiorec/recording"
)

// LearnedReason is the Reason of the masks Learn writes.
const LearnedReason = "learned"

// Learn replays rec runs times (at least 2) and returns masks for every part
// of an output that differed between the runs: a timestamp, a random seed, a
// temporary path. What stays the same from run to run is not masked, so a
// real change still fails a replay with the masks. Add them to rec.Masks
// and save the recording to keep them. The masks name the call and its
// endpoint.
//
// It also returns the report of the last run, which compares with the
// recording as Run does (without the new masks).
func Learn(ctx context.Context, rec *recording.Recording, opts Options, runs int) ([]recording.Mask, *Report, error) {
	if runs < 2 {
		return nil, nil, fmt.Errorf("%w: learning noise takes at least 2 runs, not %d", ErrBadInput, runs)
	}
	r, err := newRunner(rec, opts)
	if err != nil {
		return nil, nil, err
	}
	first := map[int]any{} // call id -> the first run's canonical outputs
	noise := map[int]map[string]bool{}
	var observeErr error
	r.observe = func(c *recording.Call, fc *fileChecker, updates [][]any, outputs []any) {
		steps := make([]any, 0, len(updates)+1)
		for _, u := range updates {
			steps = append(steps, u)
		}
		v, err := fc.hashFiles(liveFiles(append(steps, outputs)))
		if err != nil {
			observeErr = err
			return
		}
		prev, seen := first[c.ID]
		if !seen {
			first[c.ID] = v
			return
		}
		cmp := &comparer{files: sameHash}
		cmp.compare("", prev, v)
		for _, d := range cmp.diffs {
			if noise[c.ID] == nil {
				noise[c.ID] = map[string]bool{}
			}
			noise[c.ID][d.Path] = true
		}
	}
	var rep *Report
	for range runs {
		if rep, err = r.run(ctx); err != nil {
			return nil, nil, err
		}
		if observeErr != nil {
			return nil, rep, observeErr
		}
		if rep.Outcome == Unreachable {
			return nil, rep, fmt.Errorf("the app could not be replayed to learn its noise: %s", firstProblem(rep))
		}
	}
	var masks []recording.Mask
	for i := range rec.Calls {
		c := &rec.Calls[i]
		paths := make([]string, 0, len(noise[c.ID]))
		for p := range noise[c.ID] {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			if p, ok := outputPointer(p); ok {
				masks = append(masks, recording.Mask{Endpoint: label(c), Call: c.ID, Path: p, Reason: LearnedReason})
			}
		}
	}
	return dedupe(masks), rep, nil
}

// outputPointer turns a path of the comparison of [updates..., outputs] into
// a pointer into one output, which masks updates and final outputs alike:
// "/3/0/timestamp" becomes "/0/timestamp". A difference in the number of
// updates or outputs has no such pointer.
func outputPointer(p string) (string, bool) {
	parts := strings.SplitN(p, "/", 3) // "", step, rest
	if len(parts) < 3 {
		return "", false
	}
	return "/" + parts[2], true
}

func dedupe(masks []recording.Mask) []recording.Mask {
	seen := map[recording.Mask]bool{}
	out := masks[:0]
	for _, m := range masks {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// AddMasks adds masks to rec that it does not have yet and returns how many
// it added.
func AddMasks(rec *recording.Recording, masks []recording.Mask) int {
	n := 0
	for _, m := range masks {
		if !slices.Contains(rec.Masks, m) {
			rec.Masks = append(rec.Masks, m)
			n++
		}
	}
	return n
}

// firstProblem describes the first thing that went wrong in a report.
func firstProblem(rep *Report) string {
	if rep.Err != "" {
		return rep.Err
	}
	for _, c := range rep.Calls {
		if c.Status == Errored {
			return fmt.Sprintf("call %d %s: %s", c.ID, c.Endpoint, c.Err)
		}
	}
	return string(rep.Outcome)
}

// hashFiles returns v, a value made by liveFiles, with every live file
// replaced by its content hash, so that two runs' outputs compare by
// content. It changes v's containers in place.
func (fc *fileChecker) hashFiles(v any) (any, error) {
	var err error
	switch t := v.(type) {
	case fileValue:
		if t.live != nil {
			var data []byte
			if data, err = fc.download(t.live); err != nil {
				return nil, err
			}
			t.sha256, t.live = hashOf(data), nil
		}
		return t, nil
	case []any:
		for i := range t {
			if t[i], err = fc.hashFiles(t[i]); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for k := range t {
			if t[k], err = fc.hashFiles(t[k]); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// sameHash compares two files by their hashes (see hashFiles).
func sameHash(want, got fileValue, _ Rule) (string, error) {
	if want.sha256 != got.sha256 {
		return "content differs", nil
	}
	return "", nil
}
