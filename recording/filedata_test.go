package recording

import (
	"fmt"
	"slices"
	"testing"
)

func TestFileDatas(t *testing.T) {
	const fd = `{"path":"/tmp/gradio/x/%s","url":"http://h/file=x","orig_name":"%s","mime_type":"image/png","meta":{"_type":"gradio.FileData"}}`
	gallery := `[{"image":` + fmt.Sprintf(fd, "a.png", "a.png") + `,"caption":"A"},{"video":` + fmt.Sprintf(fd, "b.mp4", "b.mp4") + `,"caption":null}]`
	chat := `[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"file","file":{"path":"p","fixture":"h/c.txt"}}]}]`
	multi := `{"text":"see","files":[` + fmt.Sprintf(fd, "d.png", "d.png") + `],"a/b~c":{"meta":{"_type":"gradio.FileData"},"path":"e"}}`
	for _, tc := range []struct {
		name, value string
		want        []FileData
	}{
		{"plain", `"hello"`, nil},
		{"number", `42`, nil},
		{"invalid", `{"meta":`, nil},
		{"lookalike", `{"path":"/x","url":"y","meta":{"_type":"other"}}`, nil},
		{"itself", fmt.Sprintf(fd, "a.png", "cat.png"), []FileData{{Pointer: "", Path: "/tmp/gradio/x/a.png", URL: "http://h/file=x", OrigName: "cat.png", MIMEType: "image/png"}}},
		{"gallery", gallery, []FileData{
			{Pointer: "/0/image", Path: "/tmp/gradio/x/a.png", URL: "http://h/file=x", OrigName: "a.png", MIMEType: "image/png"},
			{Pointer: "/1/video", Path: "/tmp/gradio/x/b.mp4", URL: "http://h/file=x", OrigName: "b.mp4", MIMEType: "image/png"},
		}},
		{"chatbot", chat, []FileData{{Pointer: "/0/content/1/file", Path: "p", Fixture: "h/c.txt"}}},
		// Escapes that hide the markers from a search of the text.
		{"escaped key", `{"path":"p","\u0066ixture":"h/c.txt"}`, []FileData{{Path: "p", Fixture: "h/c.txt"}}},
		{"escaped type", `{"path":"p","meta":{"_type":"gradio.\u0046ileData"}}`, []FileData{{Path: "p"}}},
		{"multimodal", multi, []FileData{
			{Pointer: "/a~1b~0c", Path: "e"},
			{Pointer: "/files/0", Path: "/tmp/gradio/x/d.png", URL: "http://h/file=x", OrigName: "d.png", MIMEType: "image/png"},
		}},
	} {
		got := slices.Collect(FileDatas(raw(tc.value)))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: FileDatas =\n%+v\nwant\n%+v", tc.name, got, tc.want)
		}
	}
}

func TestFileDatasStopsEarly(t *testing.T) {
	n := 0
	for range FileDatas(raw(`[{"fixture":"a"},{"fixture":"b"},{"fixture":"c"}]`)) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("yielded %d", n)
	}
}

func TestCallFileDatas(t *testing.T) {
	rec := sampleRecording()
	c := rec.Calls[0]
	c.EventData = raw(`{"value":{"fixture":"zzzz"}}`)
	var got []string
	for fd := range c.FileDatas() {
		got = append(got, fd.Pointer+" "+fd.Fixture[:4])
	}
	in, out := rec.Files[0].Name[:4], rec.Files[1].Name[:4]
	want := []string{
		"/inputs/1/value " + in,
		"/data/2 " + in,
		"/event_data/value zzzz",
		"/outputs/0 " + out,
		"/updates/1/0 " + out,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Call.FileDatas pointers = %q, want %q", got, want)
	}
	n := 0
	for range c.FileDatas() {
		if n++; n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("did not stop: %d", n)
	}
}
