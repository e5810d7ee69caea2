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
	rec, err := loadFast(path)
	if err == nil {
		rec.dir = FilesDir(path)
		return rec, nil
	}
	if !errors.Is(err, errSlowPath) {
		return nil, fmt.Errorf("load recording %s: %w", path, err)
	}
	data, err := readBounded(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, jerr := os.Stat(JournalPath(path)); jerr == nil {
			return nil, fmt.Errorf("load recording %s: %w: its journal %s is left; recover it with Recover (gradiorec recover)",
				path, ErrInterrupted, JournalPath(path))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load recording: %w", err)
	}
	rec, err = decodeSlowly(data) // loadFast tried it as the current format
	if err != nil {
		return nil, fmt.Errorf("load recording %s: %w", path, err)
	}
	rec.dir = FilesDir(path)
	return rec, nil
}

// MaxSize bounds the recording Load reads: a recording of 100,000 calls is
// a few hundred megabytes.
const MaxSize = 2 << 30

// errTooBig is a file larger than MaxSize.
var errTooBig = fmt.Errorf("larger than %d GiB: not a recording gradiorec wrote (split a session this long into several recordings)", MaxSize>>30)

// readBounded reads the file at path, up to MaxSize.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxSize {
		return nil, fmt.Errorf("%s: %w", path, errTooBig)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err == nil && len(data) > MaxSize {
		return nil, fmt.Errorf("%s: %w", path, errTooBig)
	}
	return data, err
}

// errSlowPath says that loadFast cannot load a file: Load reads it whole.
var errSlowPath = errors.New("not a document of the current format")

// loadFast decodes a document of the current format straight from its file,
// which is then never held whole beside what it decodes to (a recording of
// 100,000 calls is tens of megabytes). Anything else, and a file that is
// not there, is errSlowPath: Load reads it whole to say what it is. A
// recording that decodes but is inconsistent is a *ValidationError.
func loadFast(path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errSlowPath
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() > MaxSize {
		return nil, errSlowPath // readBounded says what it is
	}
	return decodeCurrent(io.LimitReader(f, MaxSize))
}

// decodeCurrent strictly decodes and validates a document of the current
// format from r; anything else is errSlowPath.
func decodeCurrent(r io.Reader) (*Recording, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var rec Recording
	if err := dec.Decode(&rec); err != nil || rec.Format != Format || trailing(dec) {
		return nil, errSlowPath
	}
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return &rec, nil
}

// decode parses, migrates, strictly decodes and validates a document. A
// document of the current format is decoded once; anything else (an older
// format to migrate, a document that does not decode) is looked at first,
// to say what it is.
func decode(data []byte) (*Recording, error) {
	rec, err := decodeCurrent(bytes.NewReader(data))
	if errors.Is(err, errSlowPath) {
		return decodeSlowly(data)
	}
	return rec, err
}

// trailing reports whether dec has more than white space after its value.
func trailing(dec *json.Decoder) bool {
	_, err := dec.Token()
	return err != io.EOF
}

// decodeSlowly decodes a document that is not of the current format, or
// that does not decode, with errors that say why.
func decodeSlowly(data []byte) (*Recording, error) {
	var head struct {
		Format  *json.RawMessage `json:"format"`
		Journal *json.RawMessage `json:"journal"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, fmt.Errorf("%w: the file is a JSON %s, not an object", ErrNotRecording, te.Value)
		}
		return nil, jsonError(data, err)
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil, fmt.Errorf("%w: the file is JSON null, not an object", ErrNotRecording)
	}
	if head.Format == nil {
		if head.Journal != nil {
			return nil, fmt.Errorf("%w: it is a journal; pass the document's path to Recover", ErrNotRecording)
		}
		return nil, fmt.Errorf("%w: no \"format\" member", ErrNotRecording)
	}
	var format string
	if err := json.Unmarshal(*head.Format, &format); err != nil {
		return nil, fmt.Errorf("%w: \"format\" is not a string", ErrNotRecording)
	}
	if !strings.HasPrefix(format, formatPrefix) {
		return nil, fmt.Errorf("%w: format %q is not a gradiorec recording", ErrNotRecording, format)
	}
	if format != Format {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, jsonError(data, err)
		}
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
