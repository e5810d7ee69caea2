package gradio

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func readAllEvents(r io.Reader) ([]string, error) {
	s := newSSEReader(r, DefaultMaxMessageSize)
	var out []string
	for {
		d, err := s.next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return out, err
		}
		out = append(out, string(d))
	}
}

func TestSSEReader(t *testing.T) {
	long := strings.Repeat("x", 100<<10) // longer than the bufio buffer
	for _, tc := range []struct {
		name, in string
		want     []string
		err      error
	}{
		{"one event", "data: {\"a\":1}\n\n", []string{`{"a":1}`}, nil},
		{"two events", "data: 1\n\ndata: 2\n\n", []string{"1", "2"}, nil},
		{"crlf", "data: 1\r\n\r\ndata: 2\r\n\r\n", []string{"1", "2"}, nil},
		{"no space after colon", "data:1\n\n", []string{"1"}, nil},
		{"multi-line data", "data: a\ndata: b\n\n", []string{"a\nb"}, nil},
		{"comments and other fields", ": ping\nevent: x\nid: 3\nretry: 10\ndata: y\n\n", []string{"y"}, nil},
		{"blank lines between events", "\n\ndata: 1\n\n\n\ndata: 2\n\n", []string{"1", "2"}, nil},
		{"event without data", "event: heartbeat\n\ndata: 2\n\n", []string{"2"}, nil},
		{"long line", "data: " + long + "\n\n", []string{long}, nil},
		{"partial event at end", "data: 1\n\ndata: 2", []string{"1"}, io.ErrUnexpectedEOF},
		{"unterminated event at end", "data: 1\n\ndata: 2\n", []string{"1"}, io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, wrap := range []struct {
				name string
				r    func(io.Reader) io.Reader
			}{
				{"whole", func(r io.Reader) io.Reader { return r }},
				{"byte by byte", iotest.OneByteReader},
				{"half", iotest.HalfReader},
			} {
				got, err := readAllEvents(wrap.r(strings.NewReader(tc.in)))
				if !errors.Is(err, tc.err) {
					t.Errorf("%s: err = %v, want %v", wrap.name, err, tc.err)
				}
				if strings.Join(got, "|") != strings.Join(tc.want, "|") {
					t.Errorf("%s: events %.80q, want %.80q", wrap.name, got, tc.want)
				}
			}
		})
	}
}

func TestSSEReaderFramesSplitAcrossWrites(t *testing.T) {
	pr, pw := io.Pipe()
	go func() {
		for _, chunk := range []string{"da", "ta: {\"msg\":", "\"a\"}\n", "\ndata: {\"msg\":\"b\"}\r", "\n\r\n"} {
			pw.Write([]byte(chunk))
		}
		pw.Close()
	}()
	got, err := readAllEvents(pr)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != `{"msg":"a"}|{"msg":"b"}` {
		t.Errorf("events %q", got)
	}
}

func BenchmarkSSEReaderAndDecode(b *testing.B) {
	msg := `data: {"msg":"process_generating","event_id":"0123456789abcdef0123456789abcdef","output":{"data":[[["append",[],"token "]]],"is_generating":true,"duration":0.0001,"average_duration":0.0002,"render_config":null,"changed_state_ids":[],"used_cache":null},"success":true,"time_limit":null}` + "\n\n"
	stream := strings.Repeat(msg, 1000)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r := newSSEReader(strings.NewReader(stream), DefaultMaxMessageSize)
		for {
			d, err := r.next()
			if err != nil {
				break
			}
			if _, err := decodeMessage(d, false); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestSSEReaderMax(t *testing.T) {
	for _, tc := range []struct {
		name, stream string
		ok           bool
	}{
		{"at the limit", "data: 0123456789\n\n", true},
		{"one line over", "data: 0123456789A\n\n", false},
		{"lines that add up", "data: 01234\ndata: 56789\n\n", false},
		{"a long comment", ": " + strings.Repeat("x", 40<<10) + "\n\ndata: 1\n\n", false},
	} {
		r := newSSEReader(strings.NewReader(tc.stream), 10)
		_, err := r.next()
		if tc.ok != (err == nil) || !tc.ok && (!errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "10 bytes")) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}
