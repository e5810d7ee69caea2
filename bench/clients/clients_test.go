package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

// TestHarness runs the whole harness once with tiny counts against the real
// echo app and the real official clients, so that none of it rots: the app
// launcher, the Go client, the raw floor, both workers, the rounds and the
// report.
func TestHarness(t *testing.T) {
	root := gradiotest.Root(t)
	gradiotest.Python(t, gradiotest.DefaultVersion)
	_, err := exec.LookPath("node")
	gradiotest.Need(t, "node", err)
	_, err = os.Stat(filepath.Join(root, "testdata", "node", "node_modules", "@gradio", "client", "dist", "index.js"))
	gradiotest.Need(t, "@gradio/client (testdata/node)", err)

	s := defaultSettings()
	s.calls, s.connects, s.concurrent, s.inFlight, s.rounds, s.warmup = 2, 2, 4, 2, 2, 1
	s.root = root
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var progress bytes.Buffer
	rep, err := bench(ctx, s, &progress)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, progress.String())
	}

	if rep.app.version != gradiotest.DefaultVersion {
		t.Errorf("app version %q, want %q", rep.app.version, gradiotest.DefaultVersion)
	}
	if len(rep.entries) != len(allClients) {
		t.Fatalf("%d entries, want %d", len(rep.entries), len(allClients))
	}
	for _, e := range rep.entries {
		tl := &e.t
		if len(tl.connects) != s.connects {
			t.Errorf("%s: %d connect times, want %d", e.name, len(tl.connects), s.connects)
		}
		if tl.seqCalls != s.calls || tl.concOK+tl.concErrs != s.concurrent {
			t.Errorf("%s: %d sequential and %d concurrent calls, want %d and %d", e.name, tl.seqCalls, tl.concOK+tl.concErrs, s.calls, s.concurrent)
		}
		// gradio_client can lose a call to a race of its own (see
		// README.md); the others must not fail.
		if e.name != clientPython && (tl.seqErrors > 0 || tl.concErrs > 0) {
			t.Errorf("%s: failed calls: %s", e.name, tl.firstErr)
		}
		if len(tl.latencies) == 0 || tl.seqWall <= 0 || tl.concWall <= 0 {
			t.Errorf("%s: nothing measured: %+v", e.name, tl)
		}
	}

	var out bytes.Buffer
	rep.print(&out)
	text := out.String()
	for _, want := range []string{"Gradio " + gradiotest.DefaultVersion, "nproc", "Go client vs raw floor", "slower", "gradio_client 2.", "@gradio/client 2."} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "PASS") + strings.Count(text, "FAIL"); n != 3 {
		t.Errorf("the report has %d verdicts, want 3:\n%s", n, text)
	}
}

func TestSettings(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{nil, true},
		{[]string{"-calls", "10", "-clients", "go,raw"}, true},
		{[]string{"-clients", "go,rust"}, false},
		{[]string{"-clients", "go,go"}, false},
		{[]string{"-calls", "2", "-rounds", "4"}, false},
		{[]string{"-inflight", "0"}, false},
		{[]string{"extra"}, false},
	} {
		_, _, err := parseFlags(tc.args, new(bytes.Buffer))
		if (err == nil) != tc.ok {
			t.Errorf("parseFlags(%q) error %v, want ok=%v", tc.args, err, tc.ok)
		}
	}
}

func TestShare(t *testing.T) {
	total := 0
	for r := range 4 {
		total += share(10, r, 4)
	}
	if total != 10 || share(10, 0, 4) != 3 || share(10, 3, 4) != 2 {
		t.Errorf("share spreads 10 over 4 rounds wrongly (total %d)", total)
	}
}

// TestOrder checks the balance of the rounds' orders: over a full design
// every contender takes every position, and follows every other contender,
// equally often.
func TestOrder(t *testing.T) {
	for n := 1; n <= 6; n++ {
		rows := n
		if n%2 == 1 {
			rows = 2 * n
		}
		pos := map[[2]int]int{}
		follows := map[[2]int]int{}
		for r := range rows {
			row := order(n, r)
			if len(row) != n {
				t.Fatalf("order(%d, %d) = %v", n, r, row)
			}
			for i, c := range row {
				pos[[2]int{c, i}]++
				if i > 0 {
					follows[[2]int{row[i-1], c}]++
				}
			}
		}
		for c := range n {
			for i := range n {
				if got := pos[[2]int{c, i}]; got != rows/n {
					t.Errorf("n=%d: contender %d in position %d %d times, want %d", n, c, i, got, rows/n)
				}
				if c != i && n > 1 {
					if got := follows[[2]int{i, c}]; got != rows/n {
						t.Errorf("n=%d: %d right after %d %d times, want %d", n, c, i, got, rows/n)
					}
				}
			}
		}
	}
}

func TestRatioText(t *testing.T) {
	for x, want := range map[float64]string{9.3: "9.30x slower", 12.04: "12.0x slower", 0.5: "2.00x faster", 1: "1.00x slower"} {
		if got := ratioText(x); got != want {
			t.Errorf("ratioText(%v) = %q, want %q", x, got, want)
		}
	}
}

// The benchmarks below measure one call of /echo on the echo app, by the Go
// client and by the raw floor, sequentially and with many calls in flight:
//
//	go test -run '^$' -bench . ./bench/clients

func BenchmarkPredictEcho(b *testing.B) {
	c := connect(b)
	ctx := context.Background()
	for b.Loop() {
		res, err := c.Predict(ctx, api, "ping")
		if err != nil || res.Value() != "ping" {
			b.Fatalf("predict: %v %v", res, err)
		}
	}
}

func BenchmarkPredictEchoParallel(b *testing.B) {
	c := connect(b)
	ctx := context.Background()
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := c.Predict(ctx, api, "ping")
			if err != nil || res.Value() != "ping" {
				b.Errorf("predict: %v %v", res, err)
				return
			}
		}
	})
}

func BenchmarkRaw(b *testing.B) {
	r := newRawFloor(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := r.callSession(ctx, "ping"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRawParallel(b *testing.B) {
	r := newRawFloor(b)
	ctx := context.Background()
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.callPooled(ctx, "ping"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkConnect(b *testing.B) {
	app := gradiotest.Start(b, "echo")
	ctx := context.Background()
	for b.Loop() {
		c, err := gradio.Connect(ctx, app.URL)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// connect starts the echo app and connects a warmed-up client to it.
func connect(b *testing.B) *gradio.Client {
	app := gradiotest.Start(b, "echo")
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	g := &goClient{url: app.URL, c: c}
	if err := g.warmup(ctx, 10, 8); err != nil {
		b.Fatal(err)
	}
	return c
}

// newRawFloor starts the echo app and returns a warmed-up raw floor for it.
func newRawFloor(b *testing.B) *raw {
	app := gradiotest.Start(b, "echo")
	ctx := context.Background()
	info, err := readApp(ctx, http.DefaultClient, app.URL)
	if err != nil {
		b.Fatal(err)
	}
	r := newRaw(app.URL, info)
	b.Cleanup(func() { r.close() })
	if err := r.warmup(ctx, 10, 8); err != nil {
		b.Fatal(err)
	}
	return r
}
