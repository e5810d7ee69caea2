package replay

import (
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

// BenchmarkReplay200 replays a recording of 200 calls of the slow app's
// /wait, which sleeps 100 ms like a small model would, and reports the time
// beyond the server's own processing (the durations Gradio reports): as a
// share of it (overhead-%, target under 15) and per call (beyond-ms/call).
// The client sub-benchmark makes the same calls with the bare Go client,
// the floor replay stands on.
//
//	go test -run '^$' -bench Replay200 -benchtime 1x ./replay
func BenchmarkReplay200(b *testing.B) {
	const calls = 200
	// Gradio 6 recomputes an analytics summary after every event, outside
	// the durations it reports, at a cost that grows with every call (see
	// bench/README.md): turned down, as in the bench harnesses.
	a := gradiotest.Start(b, "slow", gradiotest.Fresh(), gradiotest.Env("GRADIOREC_SLOW_SECONDS", "0.1"),
		gradiotest.Env("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000000000"), gradiotest.Env("GRADIO_ANALYTICS_MAX_EVENTS", "100"))
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
	report := func(b *testing.B, client, server time.Duration) {
		if server == 0 {
			b.Fatal("the server reported no durations")
		}
		b.ReportMetric(100*float64(client-server)/float64(server), "overhead-%")
		b.ReportMetric(float64(client-server)/float64(b.N*calls)/1e6, "beyond-ms/call")
	}
	b.Run("replay", func(b *testing.B) {
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
		report(b, client, server)
	})
	b.Run("client", func(b *testing.B) {
		c, err := gradio.Connect(b.Context(), a.URL)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		var client, server time.Duration
		for b.Loop() {
			for range calls {
				start := time.Now()
				res, err := c.Predict(b.Context(), "/wait", "job")
				if err != nil {
					b.Fatal(err)
				}
				client += time.Since(start)
				server += res.Duration
			}
		}
		report(b, client, server)
	})
}
