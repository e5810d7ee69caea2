package recorder

import (
	"bytes"
	"strings"
)

// sseEvent is one dispatched server-sent event.
type sseEvent struct {
	Event string // the event type; "" means "message"
	Data  string // the data lines joined by "\n"
	ID    string // the last event id seen so far
}

// sseParser is an incremental parser of a text/event-stream body, after the
// HTML living standard's rules: lines end in CRLF, LF or CR; a line starting
// with a colon is a comment; "data" lines accumulate; an empty line
// dispatches the event. Bytes may arrive in chunks of any size, splitting
// lines, frames and even a CRLF pair; the parser keeps what it has not yet
// seen the end of. The zero value is ready to use.
type sseParser struct {
	buf     []byte // an incomplete line
	started bool   // a byte was seen (the BOM check is done)
	data    strings.Builder
	hasData bool
	event   string
	id      string
	crEnd   bool // the last chunk ended in CR: a following LF belongs to it
}

// feed parses the next chunk of the stream and returns the events it
// completes, in order.
func (p *sseParser) feed(chunk []byte) []sseEvent {
	if len(chunk) == 0 {
		return nil
	}
	if p.crEnd {
		p.crEnd = false
		if chunk[0] == '\n' {
			chunk = chunk[1:]
		}
	}
	p.buf = append(p.buf, chunk...)
	if !p.started && len(p.buf) > 0 {
		if len(p.buf) < 3 && bytes.HasPrefix([]byte("\xEF\xBB\xBF"), p.buf) {
			return nil // maybe a BOM, wait for the rest
		}
		p.started = true
		p.buf = bytes.TrimPrefix(p.buf, []byte("\xEF\xBB\xBF"))
	}
	var out []sseEvent
	for {
		i := bytes.IndexAny(p.buf, "\r\n")
		if i < 0 {
			break
		}
		line := p.buf[:i]
		next := i + 1
		if p.buf[i] == '\r' {
			if next == len(p.buf) {
				p.crEnd = true // an LF may follow in the next chunk
			} else if p.buf[next] == '\n' {
				next++
			}
		}
		if ev, ok := p.line(string(line)); ok {
			out = append(out, ev)
		}
		p.buf = p.buf[next:]
	}
	if len(p.buf) == 0 {
		p.buf = nil // let a big chunk's array go
	}
	return out
}

// end is called at the end of the stream. An event without its closing
// empty line is discarded, as the standard says.
func (p *sseParser) end() {
	p.buf = nil
	p.data.Reset()
	p.hasData = false
	p.event = ""
}

// line processes one complete line and reports an event it dispatches.
func (p *sseParser) line(line string) (sseEvent, bool) {
	if line == "" {
		if !p.hasData {
			p.event = ""
			return sseEvent{}, false
		}
		ev := sseEvent{Event: p.event, Data: strings.TrimSuffix(p.data.String(), "\n"), ID: p.id}
		p.data.Reset()
		p.hasData = false
		p.event = ""
		return ev, true
	}
	if line[0] == ':' {
		return sseEvent{}, false // a comment
	}
	field, value, found := strings.Cut(line, ":")
	if found {
		value = strings.TrimPrefix(value, " ")
	}
	switch field {
	case "data":
		p.data.WriteString(value)
		p.data.WriteByte('\n')
		p.hasData = true
	case "event":
		p.event = value
	case "id":
		if !strings.ContainsRune(value, 0) {
			p.id = value
		}
	}
	return sseEvent{}, false
}
