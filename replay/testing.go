package replay

import (
	"fmt"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

// Test replays rec against the app at url ("" for the recorded one) inside a
// Go test: drift fails the test, and each call is a subtest named after it
// ("call_3_/predict") that fails with the differences. A recording becomes a
// regression test:
//
//	func TestApp(t *testing.T) {
//		rec, err := recording.Load("testdata/session.json")
//		if err != nil {
//			t.Fatal(err)
//		}
//		replay.Test(t, rec, os.Getenv("APP_URL"))
//	}
//
// Rules choose matchers beside the recording's masks (see Rule).
func Test(t *testing.T, rec *recording.Recording, url string, rules ...Rule) *Report {
	t.Helper()
	rep, err := Run(t.Context(), rec, Options{URL: url, Rules: rules})
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if rep.Err != "" {
		t.Fatalf("replay against %s: %s", rep.URL, rep.Err)
	}
	for _, d := range rep.Drift {
		t.Errorf("drift: %s", d)
	}
	for _, c := range rep.Calls {
		t.Run(fmt.Sprintf("call %d %s", c.ID, c.Endpoint), func(t *testing.T) {
			switch c.Status {
			case Passed:
			case Skipped:
				t.Log("not replayed: " + c.Reason)
			default:
				for _, d := range c.Diffs {
					t.Error(d)
				}
				if c.Err != "" {
					t.Errorf("%s: %s", c.Status, c.Err)
				}
				if len(c.Diffs) == 0 && c.Err == "" {
					t.Errorf("%s", c.Status)
				}
			}
		})
	}
	return rep
}
