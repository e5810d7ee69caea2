// Package recording holds the Recording, the one document every stage of
// gradiorec reads and writes: the app snapshot, sessions, calls, fixtures and
// noise masks. It imports the standard library only.
//
// A recording is a JSON document (format Format, "gradiorec.recording/v1")
// with its fixture files in a sibling folder: Save writes both, atomically
// and deterministically; Load reads, migrates older formats and validates;
// FileBytes reads a fixture when it is needed. docs/recording-format.md
// describes the format and docs/recording.schema.json is its JSON Schema.
//
// While a session is captured, a Journal appends every event to
// "<document>.journal" and syncs it, so a crash loses nothing that
// completed; Recover rebuilds the recording from what a crash left, and
// (*Journal).Save folds the journal into the document.
//
// Nothing secret reaches disk: everything Save and the Journal write is
// redacted first (see Redacted and Redact).
package recording
