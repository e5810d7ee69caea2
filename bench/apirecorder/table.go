package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/recording"
)

// A Row compares the two tools on one app's session.
type Row struct {
	App string
	// Gradio's API Recorder
	Recorded   int                     // calls it recorded
	Lines      map[codegen.Lang]int    // lines of its snippet
	Runs       map[codegen.Lang]Run    // its snippet run unchanged
	Reproduces bool                    // the Python snippet's results are the session's outputs
	Why        string                  // why not, when it does not
	Ours       map[codegen.Lang]int    // lines of gradiorec's intent script
	OursRuns   map[codegen.Lang]Run    // gradiorec's intent script, run as its project's README says
	Code       map[codegen.Lang]string // gradiorec's intent script
	Snippets   map[codegen.Lang]string // the API Recorder's snippets
	Trace      int                     // calls in gradiorec's trace form
	Intent     int                     // calls in its intent form
}

// Compare runs the session's snippets and writes gradiorec's code for it.
// masks are the golden recording's: the parts of outputs that vary.
func (tl Tools) Compare(ctx context.Context, s *Session, masks []recording.Mask) (*Row, error) {
	row := &Row{
		App: s.App, Recorded: s.Recorded, Snippets: s.Snippets,
		Lines: map[codegen.Lang]int{}, Runs: map[codegen.Lang]Run{}, Ours: map[codegen.Lang]int{}, OursRuns: map[codegen.Lang]Run{}, Code: map[codegen.Lang]string{},
		Trace: len(s.Recording.Calls),
	}
	changes, err := codegen.Changes(s.Recording)
	if err != nil {
		return nil, err
	}
	made := map[int]bool{}
	row.Intent = row.Trace - len(changes)
	for _, c := range changes {
		if c.Into != 0 && !made[c.Into] {
			made[c.Into] = true
			row.Intent++
		}
	}
	// Saved and loaded, the recording knows the folder its files are in.
	dir, err := os.MkdirTemp("", "apirecorder-session-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.json")
	if err := recording.Save(path, s.Recording); err != nil {
		return nil, err
	}
	rec, err := recording.Load(path)
	if err != nil {
		return nil, err
	}
	for _, l := range langs {
		code := s.Snippets[l.lang]
		row.Lines[l.lang] = Lines(l.lang, code)
		if row.Runs[l.lang], err = tl.RunSnippet(ctx, l.lang, code); err != nil {
			return nil, err
		}
		if row.Code[l.lang], row.OursRuns[l.lang], err = tl.RunOurs(ctx, rec, l.lang, s.Env); err != nil {
			return nil, err
		}
		row.Ours[l.lang] = Lines(l.lang, row.Code[l.lang])
	}
	if py := row.Runs[codegen.Python]; py.OK {
		row.Reproduces, row.Why = Reproduces(s.Recording, py.Results, masks)
	} else {
		row.Why = "the Python snippet fails: " + lastLine(row.Runs[codegen.Python].Output)
	}
	return row, nil
}

// GoldenMasks returns the masks of the app's golden recording, if it has one.
func GoldenMasks(root, version, app string) []recording.Mask {
	rec, err := recording.Load(filepath.Join(root, "testdata", "recordings", version, app+".json"))
	if err != nil {
		return nil
	}
	return rec.Masks
}

// lastLine returns the last line of out that says something, for a person.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && !strings.HasPrefix(l, "exit status") {
			if len(l) > 100 {
				l = l[:97] + "..."
			}
			return l
		}
	}
	return ""
}

// WriteTable writes the rows as the Markdown table of the README.
func WriteTable(w io.Writer, rows []*Row) {
	fmt.Fprintln(w, "| app | API Recorder: calls | runs unchanged (py / js / curl) | reproduces | gradiorec trace: calls | intent: calls | intent runs (py / js / curl) | lines py / js / curl (API Recorder → intent) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		var runs, ours, lines []string
		for _, l := range langs {
			runs = append(runs, yesNo(r.Runs[l.lang].OK))
			ours = append(ours, yesNo(r.OursRuns[l.lang].OK))
			lines = append(lines, fmt.Sprintf("%d → %d", r.Lines[l.lang], r.Ours[l.lang]))
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %d | %d | %s | %s |\n", r.App, r.Recorded, strings.Join(runs, " / "), yesNo(r.Reproduces), r.Trace, r.Intent, strings.Join(ours, " / "), strings.Join(lines, " / "))
	}
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
