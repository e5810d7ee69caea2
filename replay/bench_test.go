package replay

import (
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// BenchmarkReplay200 replays a recording of 200 calls of the slow app's
// /wait, which sleeps 50 ms, and reports the client's time beyond the
// server's own processing (the durations Gradio reports) as overhead-%:
// the target is under 15.
//
//	go test -run '^$' -bench Replay200 -benchtime 3x ./replay
func BenchmarkReplay200(b *testing.B) {
	const calls = 200
	a := gradiotest.Start(b, "slow", gradiotest.Fresh(), gradiotest.Env("GRADIOREC_SLOW_SECONDS", "0.05"))
	base := golden(b, gradiotest.DefaultVersion, "slow")
	var wait *recording.Call
	for i := range base.Calls {
		if base.Calls[i].APIName == "/wait" && base.Calls[i].Status == recording.Completed {
			wait = &base.Calls[i]
			break
		}
	}
	if wait == nil {
		b.Fatal("the slow recording has no completed /wait call")
	}
	rec := *base
	rec.Calls = make([]recording.Call, calls)
	for i := range rec.Calls {
		rec.Calls[i] = *wait
		rec.Calls[i].ID = i + 1
	}
	var client, server time.Duration
	for b.Loop() {
		rep, err := Run(b.Context(), &rec, Options{URL: a.URL})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Outcome != Pass {
			b.Fatalf("outcome %s", rep.Outcome)
		}
		for _, c := range rep.Calls {
			client += c.Duration
			server += c.ServerTime
		}
	}
	if server == 0 {
		b.Fatal("the server reported no durations")
	}
	b.ReportMetric(100*float64(client-server)/float64(server), "overhead-%")
	b.ReportMetric(float64(client)/float64(b.N*calls)/1e6, "ms/call")
}
