package recording

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Test for them with errors.Is; the returned errors wrap them
// with the operation, the path and the details.
var (
	// ErrNotRecording means the file is JSON but not a recording: not an
	// object, no "format" field, or the format of something else (a journal
	// passed to Load, for example).
	ErrNotRecording = errors.New("not a recording")

	// ErrUnknownVersion means the document (or journal) has a format version
	// this build cannot read. The error is an *UnknownVersionError.
	ErrUnknownVersion = errors.New("unknown recording format version")

	// ErrInterrupted means Load found no document but the journal of an
	// interrupted recording (a crash, a kill, a lost server) in its place.
	// Recover rebuilds the recording from it; Save then writes the document.
	ErrInterrupted = errors.New("recording was interrupted and not saved")

	// ErrJournalExists means CreateJournal found a journal already at the
	// path: an earlier recording was interrupted. Recover it (and Save it),
	// or remove it, before recording to the same path again.
	ErrJournalExists = errors.New("a journal already exists")

	// ErrCorruptJournal means a journal line other than the last is not a
	// valid journal entry, or the journal has no header. (A malformed last
	// line is a write torn by a crash: Recover ignores it.)
	ErrCorruptJournal = errors.New("corrupt journal")

	// ErrJournalClosed means a Journal was used after Close or Save.
	ErrJournalClosed = errors.New("journal closed")

	// ErrUnknownFixture means a fixture name is not listed in Files.
	ErrUnknownFixture = errors.New("unknown fixture")

	// ErrNotStored means the fixture is listed but its bytes were left out
	// (an output above MaxOutputSize, or bytes that held a secret): only its
	// size and hash were recorded.
	ErrNotStored = errors.New("fixture bytes not stored")

	// ErrMissingFixture means a stored fixture's file is not in the files
	// folder. The wrapping error names the file and the folder.
	ErrMissingFixture = errors.New("fixture file missing")

	// ErrCorruptFixture means a fixture file's size or SHA-256 differs from
	// what the recording lists.
	ErrCorruptFixture = errors.New("fixture file does not match its hash")

	// ErrUnsafeFixture means a fixture file, or its "<sha256>" folder, is a
	// symbolic link, or the file is not a regular file (a folder, a device,
	// a pipe): fixtures are read only from regular files in the files
	// folder, never through a link.
	ErrUnsafeFixture = errors.New("fixture file is not a regular file")
)

// SyntaxError reports where a file stops being valid JSON.
type SyntaxError struct {
	Line   int    // 1-based line of the offending byte
	Column int    // 1-based column, in characters
	Msg    string // what the JSON decoder expected
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("not JSON: %s at line %d, column %d", e.Msg, e.Line, e.Column)
}

// UnknownVersionError reports a document or journal format this build cannot
// read: a newer one (upgrade gradiorec) or an older one with no migration.
// It matches ErrUnknownVersion with errors.Is.
type UnknownVersionError struct {
	Found     string // the format in the file, e.g. "gradiorec.recording/v2"
	Supported string // the format this build reads and writes, e.g. Format
}

// Error implements error.
func (e *UnknownVersionError) Error() string {
	found, okF := formatVersion(e.Found)
	supported, okS := formatVersion(e.Supported)
	switch {
	case okF && okS && found > supported:
		return fmt.Sprintf("format %q is newer than this gradiorec reads (%s): upgrade gradiorec", e.Found, e.Supported)
	case okF && okS && found < supported:
		return fmt.Sprintf("format %q is older than any this gradiorec can migrate to %s", e.Found, e.Supported)
	}
	return fmt.Sprintf("unknown format %q (this gradiorec reads %s)", e.Found, e.Supported)
}

// Is reports whether target is ErrUnknownVersion.
func (e *UnknownVersionError) Is(target error) bool { return target == ErrUnknownVersion }

// ValidationError lists what is wrong in a recording (see Validate).
type ValidationError struct {
	// Problems holds one sentence per problem, each starting with where it
	// is, e.g. `call 3: session "s9" is not in sessions`.
	Problems []string
}

// maxShownProblems caps how many problems Error spells out.
const maxShownProblems = 10

// Error implements error.
func (e *ValidationError) Error() string {
	shown := e.Problems
	more := ""
	if len(shown) > maxShownProblems {
		more = fmt.Sprintf("; and %d more", len(shown)-maxShownProblems)
		shown = shown[:maxShownProblems]
	}
	if len(e.Problems) == 1 {
		return "invalid recording: " + shown[0]
	}
	return fmt.Sprintf("invalid recording (%d problems): %s%s", len(e.Problems), strings.Join(shown, "; "), more)
}
