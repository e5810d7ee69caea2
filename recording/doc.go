// Package recording holds the Recording, the one document every stage of
// gradiorec reads and writes: the app snapshot, sessions, calls, fixtures and
// noise masks, with atomic Load/Save, format versions, redaction and the
// capture journal. It imports the standard library only.
package recording
