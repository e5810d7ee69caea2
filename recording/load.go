package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"
)

// Load reads the recording saved at path, migrating an older format to
// Format, and validates it (see Validate). Fixture files are not read:
// FileBytes and OpenFile report a missing one when it is needed.
//
// Errors name the problem: the file is missing (fs.ErrNotExist); missing,
// but an interrupted recording's journal is there (ErrInterrupted: use
// Recover); not JSON (*SyntaxError, with line and column); not a recording
// (ErrNotRecording); a future format (*UnknownVersionError: upgrade
// gradiorec); an unknown field or a wrong type (with its position); or an
// inconsistent recording (*ValidationError).
//
// When a document and a journal are both present (a new recording to the
// same path was interrupted), Load reads the document; Recover reads the
// journal.
func Load(path string) (*Recording, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, jerr := os.Stat(JournalPath(path)); jerr == nil {
			return nil, fmt.Errorf("load recording %s: %w: its journal %s is left; recover it with Recover (gradiorec recover)",
				path, ErrInterrupted, JournalPath(path))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load recording: %w", err)
	}
	rec, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("load recording %s: %w", path, err)
	}
	rec.dir = FilesDir(path)
	return rec, nil
}

// decode parses, migrates, strictly decodes and validates a document.
func decode(data []byte) (*Recording, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, fmt.Errorf("%w: the file is a JSON %s, not an object", ErrNotRecording, te.Value)
		}
		return nil, jsonError(data, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("%w: the file is JSON null, not an object", ErrNotRecording)
	}
	raw, ok := doc["format"]
	if !ok {
		if _, ok := doc["journal"]; ok {
			return nil, fmt.Errorf("%w: it is a journal; pass the document's path to Recover", ErrNotRecording)
		}
		return nil, fmt.Errorf("%w: no \"format\" member", ErrNotRecording)
	}
	var format string
	if err := json.Unmarshal(raw, &format); err != nil {
		return nil, fmt.Errorf("%w: \"format\" is not a string", ErrNotRecording)
	}
	if !strings.HasPrefix(format, formatPrefix) {
		return nil, fmt.Errorf("%w: format %q is not a gradiorec recording", ErrNotRecording, format)
	}
	if format != Format {
		if err := migrate(doc, format); err != nil {
			return nil, err
		}
		var err error
		if data, err = json.Marshal(doc); err != nil {
			return nil, err
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rec Recording
	if err := dec.Decode(&rec); err != nil {
		err = jsonError(data, err)
		if format != Format {
			err = fmt.Errorf("after migration from %s: %w", format, err)
		}
		return nil, err
	}
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return &rec, nil
}

// jsonError turns a JSON decoding error into one that says where, in lines
// and columns.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineColumn(data, se.Offset)
		return &SyntaxError{Line: line, Column: col, Msg: se.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		line, col := lineColumn(data, int64(len(data))+1)
		return &SyntaxError{Line: line, Column: col, Msg: "unexpected end of JSON input"}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := lineColumn(data, te.Offset)
		return fmt.Errorf("line %d, column %d: %s: cannot use a JSON %s as %s", line, col, te.Field, te.Value, te.Type)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// lineColumn returns the 1-based line and column (in characters) of the
// byte before offset, where the decoder stopped.
func lineColumn(data []byte, offset int64) (line, col int) {
	end := min(max(int(offset)-1, 0), len(data))
	for end > 0 && end < len(data) && !utf8.RuneStart(data[end]) {
		end-- // inside a character: point at its start
	}
	before := data[:end]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}
