package codegen_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/codegen"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

// TestEventDataWithoutEvent runs the Python code of the eventdata session
// with the text "strict", for which the app fails a call that comes
// without its event, as a gr.SelectData handler does: gradio_client cannot
// send the event, and the script must print the error and go on to the next
// call, the test end as an expected failure rather than fail.
func TestEventDataWithoutEvent(t *testing.T) {
	tl := findTools(t)
	v := gradiotest.DefaultVersion
	rec := loadGolden(t, goldenRec{version: v, app: "eventdata", path: filepath.Join(*recordingsDir, v, "eventdata.json")})
	if len(rec.Calls) < 2 {
		t.Fatalf("eventdata.json has %d calls, want 2 or more", len(rec.Calls))
	}
	for i := range rec.Calls {
		sendFirst(&rec.Calls[i], `"strict"`)
	}
	app := gradiotest.Start(t, "eventdata", gradiotest.Version(v))
	for _, fl := range flavours {
		t.Run(string(fl), func(t *testing.T) {
			r := tl.execute(t, rec, v, app.URL, codegen.Options{Lang: codegen.Python, Flavour: fl})
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.out)
			}
			if fl == codegen.Test {
				if !strings.Contains(r.out, " 1 xfailed") {
					t.Errorf("the test did not end as an expected failure:\n%s", r.out)
				}
				return
			}
			if got, want := strings.Count(r.out, "error:"), len(rec.Calls); got != want {
				t.Errorf("%d errors printed, want one per call (%d):\n%s", got, want, r.out)
			}
		})
	}
}
