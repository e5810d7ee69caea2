package replay

import (
	"context"
	"fmt"
	"slices"

	"github.com/gradiorec/gradiorec/recording"
)

// LearnedReason is the Reason of the masks Learn writes.
const LearnedReason = "learned"

// Learn replays rec runs times (at least 2) and returns masks for every part
// of an output that differed between the runs: a timestamp, a random seed, a
// temporary path; and, for a stream whose intermediate updates differed in
// number or content (a sampled reply streamed in chunks), the stream mask
// (UpdatesPath), so that only its final output is compared. What stays the
// same from run to run is not masked, so a real change still fails a replay
// with the masks. No masks means the runs did not differ. Add them to
// rec.Masks and save the recording to keep them. The masks name the call and
// its endpoint.
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
	first := map[int]learnedRun{}      // call id -> the first run's canonical outputs
	noise := map[int]map[string]bool{} // call id -> pointers into its outputs that differed
	stream := map[int]bool{}           // call id -> its intermediate updates differed
	var observeErr error
	r.observe = func(c *recording.Call, fc *fileChecker, updates [][]any, outputs []any) {
		steps := make([]any, 0, len(updates))
		for _, u := range updates {
			steps = append(steps, u)
		}
		v, err := fc.hashFiles(liveFiles([]any{steps, outputs}))
		if err != nil {
			observeErr = err
			return
		}
		both := v.([]any)
		run := learnedRun{updates: both[0].([]any), outputs: both[1]}
		prev, seen := first[c.ID]
		if !seen {
			first[c.ID] = run
			return
		}
		if noise[c.ID] == nil {
			noise[c.ID] = map[string]bool{}
		}
		cmp := &comparer{files: sameHash}
		cmp.compare("", prev.outputs, run.outputs)
		for _, d := range cmp.diffs {
			noise[c.ID][d.Path] = true
		}
		if streamDiffers(prev.updates, run.updates, noise[c.ID]) {
			stream[c.ID] = true
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
			masks = append(masks, recording.Mask{Endpoint: label(c), Call: c.ID, Path: p, Reason: LearnedReason})
		}
		if stream[c.ID] {
			masks = append(masks, recording.Mask{Endpoint: label(c), Call: c.ID, Path: UpdatesPath, Reason: LearnedReason})
		}
	}
	return dedupe(masks), rep, nil
}

// learnedRun is one run's outputs of a call, files replaced by their hashes.
type learnedRun struct {
	updates []any // the intermediate outputs, each an []any
	outputs any   // the final outputs
}

// streamDiffers reports whether two runs' intermediate updates differ in
// their number, or in a part of an output that the final outputs' noise
// (pointers into an output) does not already cover: a timestamp in every
// update is masked by the final output's mask, a reply streamed in other
// chunks needs the stream mask.
func streamDiffers(a, b []any, final map[string]bool) bool {
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		cmp := &comparer{files: sameHash}
		cmp.compare("", a[i], b[i])
		for _, d := range cmp.diffs {
			covered := false
			for p := range final {
				if p != "" && covers(p, d.Path) {
					covered = true
				}
			}
			if !covered {
				return true
			}
		}
	}
	return false
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
