package gradio

import (
	"encoding/json"
	"testing"
)

func TestFileDataJSON(t *testing.T) {
	b, err := json.Marshal(&FileData{Path: "/p/a.txt", Size: 3, OrigName: "a.txt"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"path":"/p/a.txt","url":null,"size":3,"orig_name":"a.txt","mime_type":null,"is_stream":false,"meta":{"_type":"gradio.FileData"}}`
	if string(b) != want {
		t.Errorf("got %s\nwant %s", b, want)
	}
}

func TestFileDataName(t *testing.T) {
	for _, tc := range []struct {
		f    FileData
		want string
	}{
		{FileData{Path: "/tmp/x/report.pdf"}, "report.pdf"},
		{FileData{Path: "/tmp/x/a", OrigName: "nice name.txt"}, "nice name.txt"},
		{FileData{Path: "/tmp/x/a", OrigName: "../../etc/passwd"}, "passwd"},
		{FileData{Path: `C:\tmp\win.txt`}, "win.txt"},
		{FileData{Path: "https://h/f/img.png?x=1"}, "img.png"},
		{FileData{Path: "/"}, "file"},
	} {
		if got := tc.f.Name(); got != tc.want {
			t.Errorf("%+v.Name() = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestConvertValueLeavesInputIntact(t *testing.T) {
	c := &Client{}
	file := map[string]any{"path": "/p", "meta": map[string]any{"_type": "gradio.FileData"}}
	in := []any{map[string]any{"image": file, "caption": "c"}, "text", map[string]any{"path": "/not-a-file"}}
	out := c.convertValue(in).([]any)
	if _, ok := out[0].(map[string]any)["image"].(*FileData); !ok {
		t.Errorf("nested file not converted: %v", out[0])
	}
	if _, ok := in[0].(map[string]any)["image"].(map[string]any); !ok {
		t.Error("the input value was modified")
	}
	if _, ok := out[2].(map[string]any); !ok {
		t.Error("a map without meta became a file")
	}
	same := []any{"a", map[string]any{"k": 1.0}}
	if got := c.convertValue(same).([]any); &got[0] != &same[0] {
		t.Error("a value without files was copied")
	}
	legacy := &Client{legacyFiles: true}
	if _, ok := legacy.convertValue(map[string]any{"path": "/p", "orig_name": "a"}).(*FileData); !ok {
		t.Error("legacy FileData without meta not recognised")
	}
}
