package gradio

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// sseReader reads the data of server-sent events. It follows the
// text/event-stream rules that matter here: lines end in \n, \r\n or \r is
// tolerated at the end; "data:" lines of one event are joined with \n; a
// blank line ends an event; comments (":...") and other fields ("event:",
// "id:", "retry:") are ignored; a partial event at the end of the stream is
// dropped. An event whose data, or any line, is longer than max bytes (when
// max > 0) is an error wrapping ErrTooLarge, found before more than about
// max bytes are held.
type sseReader struct {
	r    *bufio.Reader
	max  int64
	data []byte // the current event's data, reused between events
	line []byte // a line longer than the bufio buffer, reused
}

func newSSEReader(r io.Reader, max int64) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, 32<<10), max: max}
}

// tooLarge is the error for an event over the limit.
func (s *sseReader) tooLarge() error {
	return wrapSentinel(ErrTooLarge, nil, "an event larger than %s (raise the limit with --max-message-size, or the Go client's WithMaxMessageSize)", sizeText(s.max))
}

// next returns the data of the next event that has data. The slice is valid
// until the following call. At the end of the stream it returns io.EOF, or
// io.ErrUnexpectedEOF when the stream stopped inside an event.
func (s *sseReader) next() ([]byte, error) {
	s.data = s.data[:0]
	has := false
	for {
		line, err := s.readLine()
		if err != nil {
			if err == io.EOF && (has || len(line) > 0) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if len(line) == 0 {
			if has {
				return s.data, nil
			}
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		if string(field) != "data" {
			continue
		}
		if has {
			s.data = append(s.data, '\n')
		}
		if s.max > 0 && int64(len(s.data)+len(value)) > s.max {
			return nil, s.tooLarge()
		}
		s.data = append(s.data, value...)
		has = true
	}
}

// readLine returns the next line without its line ending. At the end of the
// stream it returns io.EOF with any unterminated remainder.
func (s *sseReader) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.line = append(s.line[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if s.max > 0 && int64(len(s.line)) > s.max+64 { // room for the field name and line ending
				return nil, s.tooLarge()
			}
			line, err = s.r.ReadSlice('\n')
			s.line = append(s.line, line...)
		}
		line = s.line
	}
	if err != nil {
		return bytes.TrimRight(line, "\r\n"), err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}
