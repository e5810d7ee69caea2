package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gradiorec/gradiorec/recording"
)

// recoverCommand is gradiorec recover.
var recoverCommand = command{
	summary: "save the calls of an interrupted recording from its journal",
	usage:   "[-o NEW] [--force] FILE",
	help: "While it records into FILE, gradiorec journals every call to FILE.journal. If it is\n" +
		"killed before it saves, recover turns the journal into the recording FILE: every\n" +
		"call that ended, and the calls still running marked incomplete. -o saves it as NEW\n" +
		"instead; an existing recording is replaced only with --force.\n\n" +
		"Exit status: 0 when the calls were saved; 1 when there is no journal or the save\n" +
		"failed (the journal is kept); 2 for bad arguments, such as a folder where FILE or\n" +
		"NEW should name a file.",
	run: runRecover,
}

func runRecover(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "recover")
	out := fs.String("o", "", "save the recovered recording as `NEW` instead of FILE")
	force := fs.Bool("force", false, "replace the recording at FILE (or NEW) if there is one")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want the recording's file (its journal is FILE.journal), got %d arguments", len(pos))
	}
	path := pos[0]
	if err := notFolder(path, "FILE"); err != nil {
		switch {
		case !exists(recording.JournalPath(path)):
			return err
		case *out == "":
			// A folder took the name of the recording the journal belongs to.
			return &exitError{code: ExitUsage, err: fmt.Errorf("%s is a folder, where the recording of %s would go: "+
				"give -o NEW to save it elsewhere", path, recording.JournalPath(path))}
		}
	}
	if err := notFolder(*out, "-o NEW"); err != nil {
		return err
	}
	if p, ok := strings.CutSuffix(path, ".journal"); ok && !exists(recording.JournalPath(path)) {
		path = p // the journal's own name
	}
	dest := path
	if *out != "" {
		dest = *out
	}
	journal := recording.JournalPath(path)
	switch {
	case !exists(journal) && exists(path):
		return &exitError{code: ExitError, err: fmt.Errorf("no journal at %s: %s was saved, nothing to recover", journal, path)}
	case !exists(journal):
		return &exitError{code: ExitError, err: fmt.Errorf("no journal at %s: nothing to recover", journal)}
	case exists(dest) && !*force:
		return &exitError{code: ExitError, err: fmt.Errorf("%s exists (a recording saved before the interrupted one): "+
			"give -o NEW to save the recovered calls elsewhere, or --force to replace it", dest)}
	case dest != path && exists(recording.JournalPath(dest)):
		return &exitError{code: ExitError, err: fmt.Errorf("%s holds another interrupted recording: recover it first, or choose another -o", recording.JournalPath(dest))}
	}
	rec, err := recording.Recover(path)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if err := recording.Save(dest, rec); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("%w\nthe journal %s is left as it was", err, journal)}
	}
	fmt.Fprintf(e.stderr, "recovered %s from %s into %s\n", summary(rec), journal, dest)
	return nil
}

// notFolder refuses a folder where a recording's file is wanted (what
// names the argument: "FILE", "-o NEW"), and says which recordings in it
// can be recovered.
func notFolder(path, what string) error {
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		return nil
	}
	ext := recording.JournalPath("") // .journal
	journals, _ := filepath.Glob(filepath.Join(path, "*"+ext))
	for i, j := range journals {
		journals[i] = strings.TrimSuffix(j, ext)
	}
	msg := fmt.Sprintf("%s is a folder: give a recording's file as %s", path, what)
	switch len(journals) {
	case 0:
		msg += fmt.Sprintf(", e.g. %s", filepath.Join(path, "session.json"))
	case 1:
		msg += fmt.Sprintf("; the folder holds one interrupted recording: `gradiorec recover %s`", journals[0])
	default:
		msg += fmt.Sprintf("; the folder holds interrupted recordings: %s", strings.Join(journals, ", "))
	}
	return &exitError{code: ExitUsage, err: errors.New(msg)}
}
