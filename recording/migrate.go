package recording

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// formatPrefix starts every recording format name; the version follows.
const formatPrefix = "gradiorec.recording/v"

// formatVersion returns the version number in a format name such as
// "gradiorec.recording/v1" or "gradiorec.journal/v1".
func formatVersion(format string) (int, bool) {
	i := strings.LastIndex(format, "/v")
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(format[i+2:])
	if err != nil || n < 0 || strconv.Itoa(n) != format[i+2:] {
		return 0, false
	}
	return n, true
}

// A migration turns a document of one older format into the next format. It
// edits the document's top-level members in place; Load then decodes the
// result strictly, so a migration must produce exactly the next format.
type migration struct {
	to      string // the format it produces
	migrate func(doc map[string]json.RawMessage) error
}

// migrations holds one step per older format, keyed by the format it reads.
// Load chains them until the document is Format. There are none yet: v1 is
// the first format. Every change to the document, a new field included, gets
// a new format and an entry here (the step may be as small as setting
// "format"), so a build never meets a field it does not know.
var migrations = map[string]migration{}

// migrate brings doc, whose "format" member is format, up to Format.
func migrate(doc map[string]json.RawMessage, format string) error {
	for seen := map[string]bool{}; format != Format; {
		m, ok := migrations[format]
		if !ok || seen[format] {
			return &UnknownVersionError{Found: format, Supported: Format}
		}
		seen[format] = true
		if err := m.migrate(doc); err != nil {
			return fmt.Errorf("migrate %s to %s: %w", format, m.to, err)
		}
		to, err := json.Marshal(m.to)
		if err != nil {
			return err
		}
		doc["format"] = to
		format = m.to
	}
	return nil
}
