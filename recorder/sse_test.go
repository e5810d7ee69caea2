package recorder

import (
	"reflect"
	"strings"
	"testing"
)

// feedAll feeds the chunks in order and collects the events.
func feedAll(chunks ...string) []sseEvent {
	var p sseParser
	var out []sseEvent
	for _, c := range chunks {
		out = append(out, p.feed([]byte(c))...)
	}
	return out
}

func TestSSEParser(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks []string
		want   []sseEvent
	}{
		{"one frame", []string{"data: {\"a\":1}\n\n"}, []sseEvent{{Data: `{"a":1}`}}},
		{"two frames one chunk", []string{"data: 1\n\ndata: 2\n\n"}, []sseEvent{{Data: "1"}, {Data: "2"}}},
		{"split inside data", []string{"data: {\"msg\":\"pro", "cess_starts\"}\n", "\n"}, []sseEvent{{Data: `{"msg":"process_starts"}`}}},
		{"split byte by byte", strings.Split("data: héllo\n\n", ""), []sseEvent{{Data: "héllo"}}},
		{"CRLF", []string{"data: a\r\n\r\ndata: b\r\n\r\n"}, []sseEvent{{Data: "a"}, {Data: "b"}}},
		{"CRLF split between CR and LF", []string{"data: a\r", "\n\r", "\n"}, []sseEvent{{Data: "a"}}},
		{"bare CR", []string{"data: a\r\rdata: b\r\r"}, []sseEvent{{Data: "a"}, {Data: "b"}}},
		{"comments and retry", []string{": ping\nretry: 100\ndata: x\n: more\n\n"}, []sseEvent{{Data: "x"}}},
		{"multi-line data", []string{"data: line1\ndata: line2\ndata\n\n"}, []sseEvent{{Data: "line1\nline2\n"}}},
		{"no space after colon", []string{"data:x\n\n"}, []sseEvent{{Data: "x"}}},
		{"event and id", []string{"event: complete\nid: 7\ndata: [1]\n\ndata: 2\n\n"}, []sseEvent{{Event: "complete", ID: "7", Data: "[1]"}, {ID: "7", Data: "2"}}},
		{"empty lines without data", []string{"\n\n\nevent: x\n\ndata: y\n\n"}, []sseEvent{{Data: "y"}}},
		{"BOM split", []string{"\xEF\xBB", "\xBFdata: z\n\n"}, []sseEvent{{Data: "z"}}},
		{"unfinished frame kept", []string{"data: 1\n\ndata: 2\n"}, []sseEvent{{Data: "1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := feedAll(tc.chunks...); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events = %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestSSEParserEnd(t *testing.T) {
	var p sseParser
	p.feed([]byte("data: half"))
	p.end()
	if got := p.feed([]byte("data: next\n\n")); len(got) != 1 || got[0].Data != "next" {
		t.Errorf("after end: %#v", got)
	}
}

// TestSSEParserEverySplit feeds a stream in two chunks split at every byte
// and in single bytes; the events must not depend on the split.
func TestSSEParserEverySplit(t *testing.T) {
	stream := "\xEF\xBB\xBFdata: {\"x\": \"ü✓\"}\r\n\r\n: c\rdata: a\rdata: b\r\rid: 3\nevent: e\ndata: \n\n"
	want := feedAll(stream)
	if len(want) != 3 {
		t.Fatalf("whole stream gave %#v", want)
	}
	for i := range len(stream) + 1 {
		if got := feedAll(stream[:i], stream[i:]); !reflect.DeepEqual(got, want) {
			t.Errorf("split at %d: %#v\nwant %#v", i, got, want)
		}
	}
	var bytes []string
	for i := range len(stream) {
		bytes = append(bytes, stream[i:i+1])
	}
	if got := feedAll(bytes...); !reflect.DeepEqual(got, want) {
		t.Errorf("byte by byte: %#v\nwant %#v", got, want)
	}
}
