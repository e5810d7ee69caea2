package replay

import (
	"fmt"
	"slices"
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

// BenchmarkParallel replays 16 recorded sessions one call at a time and with
// Parallel 2, 4 and 8, and reports each replay's wall time per call
// (ms/call) and, for the parallel ones, how many times faster than the
// sequential replay of the same round it was (speedup-x). Two apps: "wait",
// the slow app's /wait sleeping 100 ms like a small model, with a
// concurrency limit of 8 (four calls a session); and "state", the State app
// (four calls a session), whose calls take no time and which, as Gradio
// does by default, runs one call of each event at a time: there is nothing
// to overlap but round trips, on a server with two cores.
//
//	go test -run '^$' -bench Parallel -benchtime 3x ./replay
func BenchmarkParallel(b *testing.B) {
	quiet := []gradiotest.Option{gradiotest.Fresh(),
		gradiotest.Env("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000000000"), gradiotest.Env("GRADIO_ANALYTICS_MAX_EVENTS", "100")}
	wait := golden(b, gradiotest.DefaultVersion, "slow")
	wait.Calls = slices.Repeat(wait.Calls[:1], 4) // /wait, four times, one after the other
	for i := range wait.Calls {
		wait.Calls[i].ID = i + 1
		wait.Calls[i].Started = wait.Calls[i].Started.Add(time.Duration(i) * time.Second)
	}
	for _, app := range []struct {
		name, script string
		rec          *recording.Recording
		env          []gradiotest.Option
	}{
		{"wait", "slow", wait, []gradiotest.Option{gradiotest.Env("GRADIOREC_SLOW_SECONDS", "0.1"), gradiotest.Env("GRADIOREC_SLOW_CONCURRENCY", "8")}},
		{"state", "state", golden(b, gradiotest.DefaultVersion, "state"), nil},
	} {
		b.Run(app.name, func(b *testing.B) {
			a := gradiotest.Start(b, app.script, append(quiet, app.env...)...)
			rec := gradiotest.Sessions(app.rec, 16)
			replay := func(b *testing.B, parallel int) time.Duration {
				start := time.Now()
				rep, err := Run(b.Context(), rec, Options{URL: a.URL, Parallel: parallel})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Outcome != Pass {
					b.Fatalf("Parallel %d: outcome %s", parallel, rep.Outcome)
				}
				return time.Since(start)
			}
			for _, parallel := range []int{1, 2, 4, 8} {
				b.Run(fmt.Sprintf("parallel-%d", parallel), func(b *testing.B) {
					var took, sequential time.Duration
					for b.Loop() {
						if parallel > 1 {
							sequential += replay(b, 1) // the same round's baseline
						}
						took += replay(b, parallel)
					}
					b.ReportMetric(float64(took.Milliseconds())/float64(b.N*len(rec.Calls)), "ms/call")
					if parallel > 1 {
						b.ReportMetric(float64(sequential)/float64(took), "speedup-x")
					}
				})
			}
		})
	}
}
