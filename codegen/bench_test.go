package codegen_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/recording"
)

// bigRecording returns a recording of n calls in 10 sessions: plain calls,
// generator calls with 5 updates, failures and calls with a file fixture.
func bigRecording(n int) *recording.Recording {
	rec := calculator()
	rec.App.Endpoints = append(rec.App.Endpoints, recording.Endpoint{
		FnIndex: 1, APIName: "/count", Visibility: recording.Public, BackendFn: true, Queue: true, Generator: true,
		Parameters: []recording.Parameter{{Name: "n"}},
	}, recording.Endpoint{
		FnIndex: 2, APIName: "/mirror", Visibility: recording.Public, BackendFn: true, Queue: true,
		Parameters: []recording.Parameter{{Name: "image"}},
	})
	sum := sha256.Sum256([]byte("cat"))
	sha := hex.EncodeToString(sum[:])
	rec.Files = []recording.File{{Name: sha + "/cat.png", OrigName: "cat.png", SHA256: sha, Role: "input", Stored: true, Size: 3}}
	rec.Sessions = nil
	for s := 1; s <= 10; s++ {
		rec.Sessions = append(rec.Sessions, recording.Session{ID: fmt.Sprintf("s%d", s), Hash: fmt.Sprint(s)})
	}
	base := rec.Calls[0]
	rec.Calls = make([]recording.Call, 0, n)
	for i := 0; i < n; i++ {
		c := base
		c.ID = i + 1
		c.Session = fmt.Sprintf("s%d", i%10+1)
		switch i % 4 {
		case 1:
			c.FnIndex, c.APIName = 1, "/count"
			c.Inputs = []recording.Arg{{Name: "n", Value: json.RawMessage(`5`)}}
			c.Updates = [][]json.RawMessage{{json.RawMessage(`1`)}, {json.RawMessage(`2`)}, {json.RawMessage(`3`)}, {json.RawMessage(`4`)}, {json.RawMessage(`5`)}}
			c.Outputs = []json.RawMessage{json.RawMessage(`5`)}
		case 2:
			c.Status, c.Outputs = recording.Failed, nil
			c.Error = &recording.Error{Message: "Cannot divide by zero!"}
		case 3:
			c.FnIndex, c.APIName = 2, "/mirror"
			c.Inputs = []recording.Arg{{Name: "image", Value: json.RawMessage(`{"path":"/tmp/x/cat.png","orig_name":"cat.png","meta":{"_type":"gradio.FileData"},"fixture":"` + sha + `/cat.png"}`)}}
			c.Outputs = []json.RawMessage{json.RawMessage(`{"path":"/tmp/y/cat.png","url":"http://127.0.0.1:7860/gradio_api/file=/tmp/y/cat.png","meta":{"_type":"gradio.FileData"}}`)}
		}
		rec.Calls = append(rec.Calls, c)
	}
	return rec
}

// BenchmarkGenerate runs a 10,000-call recording through every generator,
// in both flavours.
func BenchmarkGenerate(b *testing.B) {
	rec := bigRecording(10000)
	for _, lang := range codegen.Langs {
		for _, fl := range flavours {
			b.Run(string(lang)+"/"+string(fl), func(b *testing.B) {
				b.ReportAllocs()
				var size int
				for b.Loop() {
					files, err := codegen.Generate(rec, codegen.Options{Lang: lang, Flavour: fl})
					if err != nil {
						b.Fatal(err)
					}
					size = len(files[0].Content)
				}
				b.ReportMetric(float64(size), "bytes/op-output")
			})
		}
	}
}
