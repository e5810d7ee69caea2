package codegen_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// TestStreamFlag runs the script of the stream session in every language
// with its streaming flag (--stream, -stream in Go): it must print each
// output of a generator as it comes (/count yields 1 to 5), and a generator
// call that fails must still fail the script, not just end its stream.
func TestStreamFlag(t *testing.T) {
	tl := findTools(t)
	v := gradiotest.DefaultVersion
	g := goldenRec{version: v, app: "stream", path: filepath.Join(*recordingsDir, v, "stream.json")}
	app := gradiotest.Start(t, "stream", gradiotest.Version(v))
	for _, lang := range codegen.Langs {
		t.Run(string(lang), func(t *testing.T) {
			rec := loadGolden(t, g)
			r := tl.prepare(t, rec, v, app.URL, codegen.Options{Lang: lang, Flavour: codegen.Script}).stream(lang).run()
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.out)
			}
			// Each count on a line of its own, as JSON: [1] in most
			// languages, or in a data line.
			for _, n := range []string{"1", "2", "3", "4", "5"} {
				if !containsOutput(r.out, n) {
					t.Errorf("with the stream flag, no line shows /count's output %s:\n%s", n, r.out)
				}
			}

			// /count of "many" fails in the app: the script must say so.
			rec = loadGolden(t, g)
			failCount(t, rec)
			r = tl.prepare(t, rec, v, app.URL, codegen.Options{Lang: lang, Flavour: codegen.Script}).stream(lang).run()
			if r.err == nil {
				t.Errorf("a failed generator call with the stream flag: exit 0, want a failure\n%s", r.out)
			}
		})
	}
}

// stream adds the script's streaming flag to its command line.
func (p *project) stream(lang codegen.Lang) *project {
	flag := "--stream"
	if lang == codegen.Go {
		flag = "-stream"
	}
	p.argv = append(p.argv, flag)
	return p
}

// failCount makes the recording's /count call send "many", which the app's
// number input refuses.
func failCount(t *testing.T, rec *recording.Recording) {
	t.Helper()
	for i := range rec.Calls {
		if c := &rec.Calls[i]; c.APIName == "/count" {
			sendFirst(c, `"many"`)
			return
		}
	}
	t.Fatal("the stream recording has no /count call")
}

// sendFirst makes call c send the JSON value v as its first input: the
// generated code reads the named inputs, the queue's the data slots.
func sendFirst(c *recording.Call, v string) {
	c.Inputs[0].Value = []byte(v)
	c.Data[0] = []byte(v)
}

// containsOutput reports whether a line of out holds the single output n
// as the languages print it: [n] (JSON of the outputs), n alone, Go's
// "update: [n]", or a server-sent "data: [n]" line.
func containsOutput(out, n string) bool {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(strings.TrimPrefix(line, "data: "), "update: ")
		if line == n || line == "["+n+"]" || line == "["+n+".0]" || line == n+".0" {
			return true
		}
	}
	return false
}
