package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

func TestMain(m *testing.M) { gradiotest.Main(m) }

// TestHarness runs the whole harness once with a tiny configuration against
// the real echo app and real Chromium, through both sources, so that none
// of it rots: the app launchers (echo.py and the ticks app), the browsers
// (one with the extension), the four phases and the report. The burst
// keeps its full 2,000 updates: each source's recording must hold all of
// them, in order.
func TestHarness(t *testing.T) {
	root := gradiotest.Root(t)
	gradiotest.Python(t, gradiotest.DefaultVersion)
	_, err := recorder.FindChromium("")
	gradiotest.Need(t, "Chromium", err)

	s := defaultSettings()
	s.bursts, s.stamps, s.stampWarmup, s.ticks, s.calls, s.rounds, s.starts = 1, 3, 1, 5, 2, 2, 1
	s.root, s.version = root, gradiotest.DefaultVersion
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var progress bytes.Buffer
	rep, err := bench(ctx, s, &progress)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, progress.String())
	}

	if rep.gradio != gradiotest.DefaultVersion {
		t.Errorf("the recorder read Gradio %q, want %q", rep.gradio, gradiotest.DefaultVersion)
	}
	if len(rep.sources) != len(allSources) {
		t.Fatalf("%d sources measured, want %d", len(rep.sources), len(allSources))
	}
	for i, sr := range rep.sources {
		if sr.source != allSources[i] {
			t.Errorf("source %d is %q, want %q", i+1, sr.source, allSources[i])
		}
		t.Run(sr.source, func(t *testing.T) { checkSourceRun(t, s, sr) })
	}
	if len(rep.starts) != s.starts {
		t.Errorf("%d start-ups, want %d", len(rep.starts), s.starts)
	}
	for _, st := range rep.starts {
		if st.recorder <= 0 || st.load <= 0 || st.rendered < st.load {
			t.Errorf("start-up not measured: %+v", st)
		}
	}

	var out bytes.Buffer
	rep.print(&out)
	text := out.String()
	for _, want := range []string{"Gradio " + gradiotest.DefaultVersion, "nproc", "load average", "Chrome/", "ticks.py", "sources cdp, extension",
		"PASS  cdp: every burst of 2000 captured complete and in order", "PASS  extension: every burst of 2000 captured complete and in order",
		"cdp: update delay on an open stream", "extension: update delay on an open stream"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	for _, want := range []string{`/ticks: its DevTools event here → CallUpdated event, p50 +cdp +\d`,
		`/ticks: its relayed message here → CallUpdated event, p50 +extension +\d`,
		`/stamp: its relayed message here → completed event, p50 +extension +\d`} {
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("the report has no row matching %q:\n%s", want, text)
		}
	}
	if regexp.MustCompile(`Chromium got the last chunk, p50 +extension`).MatchString(text) {
		t.Errorf("the report has the extension's time of a /stamp call's last chunk, which it does not measure:\n%s", text)
	}
	if n := len(regexp.MustCompile(`\d\.\d\dx|\d\.\dx`).FindAllString(text, -1)); n < 20 {
		t.Errorf("the report has %d ratios, want at least 20:\n%s", n, text)
	}
	if n := strings.Count(text, "PASS") + strings.Count(text, "FAIL"); n != 3*len(allSources) {
		t.Errorf("the report has %d verdicts, want %d:\n%s", n, 3*len(allSources), text)
	}
}

// checkSourceRun checks what TestHarness measured through one source.
func checkSourceRun(t *testing.T, s settings, sr *sourceRun) {
	if len(sr.bursts) != s.bursts {
		t.Fatalf("%d bursts, want %d", len(sr.bursts), s.bursts)
	}
	for i, b := range sr.bursts {
		if b.recorded.complete != nil {
			t.Errorf("burst %d: the recording is not complete: %v", i+1, b.recorded.complete)
		}
		if b.recorded.updates != s.burst {
			t.Errorf("burst %d: WithOnEvent got %d updates, want %d", i+1, b.recorded.updates, s.burst)
		}
		if b.recorded.page <= 0 || b.recorded.capture <= 0 || b.plain.page <= 0 || b.goClient.capture <= 0 || b.recorded.mallocs == 0 {
			t.Errorf("burst %d: something was not measured: %+v", i+1, b)
		}
	}
	lat := sr.latency
	delays := map[string][]time.Duration{"recorder": lat.recorder, "Go client": lat.goClient,
		"arrival": lat.arrival, "page (recorded)": lat.pageRecorded, "page (plain)": lat.pagePlain}
	if sr.source == sourceCDP {
		delays["network"] = lat.network
	} else if len(lat.network) != 0 {
		t.Errorf("%d network latencies through the extension, want none (not measured)", len(lat.network))
	}
	for name, ds := range delays {
		if len(ds) != s.stamps {
			t.Errorf("%d %s latencies, want %d", len(ds), name, s.stamps)
		}
		for _, d := range ds {
			// Same machine, same clock: a delay is positive and short.
			if d <= 0 || d > time.Minute {
				t.Errorf("%s latency %v is not a delay from the server's stamp", name, d)
			}
		}
	}
	st := sr.streamed
	if st.calls < 1 || len(st.recorder) != s.ticks || len(st.goClient) != s.ticks {
		t.Errorf("%d /ticks calls gave %d recorder and %d Go client delays, want %d each", st.calls, len(st.recorder), len(st.goClient), s.ticks)
	}
	for name, ds := range map[string][]time.Duration{"streamed (recorder)": st.recorder, "streamed (Go client)": st.goClient} {
		for _, d := range ds {
			if d <= 0 || d > time.Minute {
				t.Errorf("%s latency %v is not a delay from the server's stamp", name, d)
			}
		}
	}
	if len(st.wired) == 0 {
		t.Error("no /ticks update was found in a chunk of the tab's event stream")
	}
	// The extension's clock counts whole milliseconds.
	var slack time.Duration
	if sr.source == sourceExtension {
		slack = time.Millisecond
	}
	for _, w := range st.wired {
		if w.network <= -slack || w.arrival <= 0 || w.recorder <= 0 || w.recorder > time.Minute {
			t.Errorf("a /ticks update's path through the browser is not a series of delays: %+v", w)
		}
	}
	if len(sr.sessions) != s.rounds {
		t.Errorf("%d sessions, want %d", len(sr.sessions), s.rounds)
	}
	for i, p := range sr.sessions {
		if p.recorded <= 0 || p.plain <= 0 {
			t.Errorf("session %d not measured: %+v", i+1, p)
		}
	}
}

// TestBurstCaptured records a generator that yields 2,000 updates as fast
// as it can, on every Gradio version under test, through each source, and
// checks that the recording holds every update, in order, and the final
// output, and that WithOnEvent saw every update.
func TestBurstCaptured(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		for _, src := range allSources {
			t.Run(v+"/"+src, func(t *testing.T) {
				app := gradiotest.Start(t, "echo", gradiotest.Version(v))
				b := testBrowser(t, src)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				const n = 2000
				run, err := burstRecorded(ctx, b, app.URL+"/", n)
				if err != nil {
					t.Fatal(err)
				}
				if run.complete != nil {
					t.Error(run.complete)
				}
				if run.updates != n {
					t.Errorf("WithOnEvent got %d updates, want %d", run.updates, n)
				}
			})
		}
	}
}

// TestTicks measures a few /ticks updates on an open stream through a
// recorder and the Go client, on every Gradio version under test, through
// each source: the ticks app runs there, the recorder brings every update
// in order, and enough of them are sent on an open stream to be counted.
func TestTicks(t *testing.T) {
	for _, v := range gradiotest.Versions() {
		for _, src := range allSources {
			t.Run(v+"/"+src, func(t *testing.T) {
				app := startTicksApp(t, v)
				b := testBrowser(t, src)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				c, err := gradio.Connect(ctx, app.URL, gradio.WithJSONNumber())
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				const n = 30
				s, err := ticks(ctx, b, c, app.URL+"/", n)
				if err != nil {
					t.Fatal(err)
				}
				if len(s.recorder) != n || len(s.goClient) != n {
					t.Errorf("%d recorder and %d Go client delays, want %d each", len(s.recorder), len(s.goClient), n)
				}
				if len(s.wired) == 0 {
					t.Error("no /ticks update was found in a chunk of the tab's event stream")
				}
			})
		}
	}
}

// startTicksApp starts the ticks app on a Gradio version for one test or
// benchmark, stopped when it ends.
func startTicksApp(tb testing.TB, version string) *benchapp.App {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), benchapp.StartTimeout)
	defer cancel()
	app, err := startTicks(ctx, gradiotest.Root(tb), gradiotest.Python(tb, version))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(app.Stop)
	return app
}

func TestSettings(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{nil, true},
		{[]string{"-burst", "10", "-phases", "latency,startup"}, true},
		{[]string{"-phases", "latency,speed"}, false},
		{[]string{"-phases", ""}, false},
		{[]string{"-calls", "0"}, false},
		{[]string{"-stamp-warmup", "-1"}, false},
		{[]string{"-ticks", "0"}, false},
		{[]string{"-ticks", "50", "-phases", "latency"}, true},
		{[]string{"extra"}, false},
		{[]string{"-sources", "extension"}, true},
		{[]string{"-sources", "extension,cdp", "-phases", "overhead"}, true},
		{[]string{"-sources", ""}, false},
		{[]string{"-sources", "cdp,cdp"}, false},
		{[]string{"-sources", "cdp,firefox"}, false},
	} {
		_, err := parseFlags(tc.args, new(bytes.Buffer))
		if (err == nil) != tc.ok {
			t.Errorf("parseFlags(%q) error %v, want ok=%v", tc.args, err, tc.ok)
		}
	}
}

// burstRecording is a recording of one /burst call with the given updates
// and final output.
func burstRecording(final string, updates ...string) *recording.Recording {
	c := recording.Call{APIName: burstAPI, Status: recording.Completed, Outputs: []json.RawMessage{json.RawMessage(final)}}
	for _, u := range updates {
		c.Updates = append(c.Updates, []json.RawMessage{json.RawMessage(u)})
	}
	return &recording.Recording{Calls: []recording.Call{c}}
}

func TestCheckBurst(t *testing.T) {
	ok := burstRecording("3", "1", "2.0", "3")
	if err := checkBurst(ok, 3); err != nil {
		t.Errorf("a complete burst: %v", err)
	}
	for name, tc := range map[string]struct {
		rec  *recording.Recording
		want string
	}{
		"lost":      {burstRecording("3", "1", "3"), "2 updates, want 3"},
		"reordered": {burstRecording("3", "2", "1", "3"), "update 1 is 2"},
		"repeated":  {burstRecording("3", "1", "1", "3"), "update 2 is 1"},
		"final":     {burstRecording("2", "1", "2", "3"), "final output is 2"},
		"text":      {burstRecording("3", "1", `"2"`, "3"), `update 2 is "2"`},
		"failed": {func() *recording.Recording {
			r := burstRecording("3", "1", "2", "3")
			r.Calls[0].Status = recording.Incomplete
			return r
		}(), "status incomplete"},
		"two calls": {func() *recording.Recording {
			r := burstRecording("3", "1", "2", "3")
			r.Calls = append(r.Calls, r.Calls[0])
			return r
		}(), "2 calls"},
	} {
		err := checkBurst(tc.rec, 3)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: checkBurst = %v, want an error with %q", name, err, tc.want)
		}
	}
}

func TestCheckSession(t *testing.T) {
	rec := &recording.Recording{}
	for i := range 2 {
		rec.Calls = append(rec.Calls, recording.Call{APIName: echoAPI, Status: recording.Completed,
			Outputs: []json.RawMessage{json.RawMessage(fmt.Sprintf(`"call %d"`, i))}})
	}
	if err := checkSession(rec, 2); err != nil {
		t.Errorf("a complete session: %v", err)
	}
	if err := checkSession(rec, 3); err == nil {
		t.Error("checkSession accepted 2 calls for 3")
	}
	rec.Calls[1].Outputs[0] = json.RawMessage(`"call 0"`)
	if err := checkSession(rec, 2); err == nil {
		t.Error("checkSession accepted a wrong answer")
	}
}

func TestSessionSteps(t *testing.T) {
	s := sessionSteps(3)
	if len(s) != 6 {
		t.Fatalf("%d steps, want 6", len(s))
	}
	for i, st := range s {
		want := steps.Fill
		if i%2 == 1 {
			want = steps.Click
		}
		if st.Verb != want || (st.Verb == steps.Click) != st.Idle {
			t.Errorf("step %d is %s (idle %v)", i+1, st, st.Idle)
		}
	}
	if s[4].Text != "call 2" {
		t.Errorf("the third fill types %q, want %q", s[4].Text, "call 2")
	}
}

func TestStampDelay(t *testing.T) {
	stamp := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
	at := stamp.Add(7 * time.Millisecond)
	out := fmt.Sprintf(`{"tag": "s1", "time_ns": %d}`, stamp.UnixNano())
	if d, err := stampDelay(json.RawMessage(out), "s1", at); err != nil || d != 7*time.Millisecond {
		t.Errorf("stampDelay = %v, %v; want 7ms", d, err)
	}
	// A float written back from a float64 keeps well under a millisecond.
	out = `{"tag": "s1", "time_ns": ` + strconv.FormatFloat(float64(stamp.UnixNano()), 'e', -1, 64) + `}`
	if d, err := stampDelay(json.RawMessage(out), "s1", at); err != nil || (d-7*time.Millisecond).Abs() > time.Microsecond {
		t.Errorf("stampDelay of a float = %v, %v; want 7ms", d, err)
	}
	if _, err := stampDelay(json.RawMessage(out), "s2", at); err == nil {
		t.Error("stampDelay accepted another call's tag")
	}
	if _, err := stampDelay(json.RawMessage(`"text"`), "s1", at); err == nil {
		t.Error("stampDelay accepted an output that is not a stamp")
	}
}

func TestReadTick(t *testing.T) {
	stamp := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
	i, at, err := readTick(json.RawMessage(fmt.Sprintf(`{"i": 3, "time_ns": %d}`, stamp.UnixNano())))
	if err != nil || i != 3 || !at.Equal(stamp) {
		t.Errorf("readTick = %d, %v, %v; want 3, %v", i, at, err, stamp)
	}
	for _, bad := range []string{`{"time_ns": 1}`, `{"i": 1, "time_ns": "x"}`, `[1]`, `"text"`} {
		if _, _, err := readTick(json.RawMessage(bad)); err == nil {
			t.Errorf("readTick accepted %s", bad)
		}
	}
}

func TestClockReadings(t *testing.T) {
	chunk := []byte(`data: {"msg":"process_generating","output":{"data":[{"i":12,"time_ns":1790000000123456789}]}}` + "\n\n" +
		`data: {"msg":"process_generating","output":{"data":[[["replace",["time_ns"],1790000000223456789]]]},"x":12345678901234567890}`)
	got := clockReadings(chunk)
	want := []int64{1790000000123456789, 1790000000223456789}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("clockReadings = %v, want %v (19 digits exactly)", got, want)
	}
}

// feeds is a Feeder that keeps what it is fed.
type feeds struct{ raw []string }

func (f *feeds) Feed(raw []byte) error { f.raw = append(f.raw, string(raw)); return nil }
func (f *feeds) End(string)            {}

// TestRelayWire feeds the messages of the extension through the wire: the
// recorder's relay gets each of them, and the wire finds the chunks of the
// queue's event stream by their stamps, with the extension's time of each
// (its ts) and their arrival here, but not the data Chromium had buffered
// before the extension asked to stream it (its ts is the request's).
func TestRelayWire(t *testing.T) {
	const a, b, c = 1790000000123456789, 1790000000223456789, 1790000000323456789
	data := func(id, ts string, ns int64) string {
		chunk := fmt.Sprintf(`data: {"msg":"process_generating","output":{"data":[{"i":1,"time_ns":%d}]}}`+"\n\n", ns)
		return fmt.Sprintf(`{"t":"dataReceived","rec":"r","id":%q,"ts":%s,"data":%q}`, id, ts, base64.StdEncoding.EncodeToString([]byte(chunk)))
	}
	msgs := []string{
		`{"t":"requestSent","rec":"r","id":":7","ts":1790000000000,"method":"GET","url":"http://127.0.0.1:7860/gradio_api/queue/data?session_hash=x","headers":{},"body":null}`,
		`{"t":"requestSent","rec":"r","id":":8","ts":1790000000001,"method":"POST","url":"http://127.0.0.1:7860/gradio_api/queue/join","headers":{},"body":null}`,
		`{"t":"responseReceived","rec":"r","id":":7","ts":1790000000002,"status":200,"headers":{},"mime":"text/event-stream"}`,
		data(":7", "1790000000002", a),                      // buffered: the response's ts
		data(":7", "1790000000230.5", b),                    // streamed
		data(":8", "1790000000330", c),                      // not the event stream
		`{"t":"dataReceived","rec":"r","id":":7","ts":"x"}`, // malformed: skipped
	}
	w := newWire(true)
	var f feeds
	wf := wiredFeeder{Feeder: &f, w: w}
	start := time.Now()
	for _, m := range msgs {
		if err := wf.Feed([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(f.raw) != fmt.Sprint(msgs) {
		t.Errorf("the relay was fed %q, want every message in order", f.raw)
	}
	if _, ok := w.byStamp(a); ok {
		t.Error("byStamp found the buffered chunk, whose ts is not its reception")
	}
	if _, ok := w.byStamp(c); ok {
		t.Error("byStamp found a chunk of a request that is not the event stream")
	}
	ch, ok := w.byStamp(b)
	if want := time.UnixMilli(1790000000230).Add(500 * time.Microsecond); !ok || !ch.received.Equal(want) || ch.arrived.Before(start) {
		t.Errorf("byStamp(b) = %+v, %v; want received %v and arrived since %v", ch, ok, want, start)
	}
	if _, ok := w.byStamp(b); ok {
		t.Error("byStamp found a chunk twice")
	}
	if last, ok := w.take(); !ok || !last.received.Equal(ch.received) {
		t.Errorf("take = %+v, %v; want the streamed chunk, the last of the event stream", last, ok)
	}
	if _, ok := w.take(); ok {
		t.Error("a second take found a chunk")
	}

	// A stream that ended before the extension could stream it comes whole
	// at its end: the last chunk, not found by its stamp.
	const d = 1790000000423456789
	whole := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, `data: {"msg":"process_completed","output":{"data":[{"time_ns":%d}]}}`+"\n\n", d))
	for _, m := range []string{
		`{"t":"requestSent","rec":"r","id":":9","ts":1790000000400,"method":"GET","url":"http://127.0.0.1:7860/gradio_api/queue/data?session_hash=x","headers":{},"body":null}`,
		`{"t":"responseReceived","rec":"r","id":":9","ts":1790000000410,"status":200,"headers":{},"mime":"text/event-stream"}`,
		`{"t":"loadingFinished","rec":"r","id":":9","ts":1790000000430,"body":"` + whole + `"}`,
	} {
		if err := wf.Feed([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if last, ok := w.take(); !ok || !last.received.Equal(time.UnixMilli(1790000000430)) {
		t.Errorf("take = %+v, %v; want the stream's whole body", last, ok)
	}
	if _, ok := w.byStamp(d); ok {
		t.Error("byStamp found a stream's whole body, whose ts is not a chunk's reception")
	}
}

// TestKeepArrivals checks that the recorder's tracked updates come out once
// each, in order, also when an event brings more than one new update and
// when events for progress bring none.
func TestKeepArrivals(t *testing.T) {
	r := &recorded{track: true, seen: map[int]int{}}
	call := func(id, n int) recording.Call {
		c := recording.Call{ID: id}
		for i := range n {
			c.Updates = append(c.Updates, []json.RawMessage{json.RawMessage(strconv.Itoa(i))})
		}
		return c
	}
	at := time.Now()
	r.keep(call(1, 1), at)
	r.keep(call(1, 1), at) // a progress message: no new update
	r.keep(call(1, 3), at.Add(time.Millisecond))
	r.keep(call(2, 1), at)
	var got []string
	for _, a := range r.takeArrivals() {
		got = append(got, fmt.Sprintf("%d/%d=%s", a.call, a.index, a.update[0]))
	}
	if want := "[1/0=0 1/1=1 1/2=2 2/0=0]"; fmt.Sprint(got) != want {
		t.Errorf("arrivals %v, want %s", got, want)
	}
	if a := r.takeArrivals(); len(a) != 0 {
		t.Errorf("a second take gave %d arrivals, want none", len(a))
	}
}

func TestAlternate(t *testing.T) {
	for i, want := range []string{"abc", "cba", "abc"} {
		var got string
		kinds := []func() error{
			func() error { got += "a"; return nil },
			func() error { got += "b"; return nil },
			func() error { got += "c"; return nil },
		}
		if err := alternate(i, kinds...); err != nil || got != want {
			t.Errorf("round %d ran %q (%v), want %q", i, got, err, want)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, c := range []struct {
		a, b time.Duration
		want string
	}{{3 * time.Second, 2 * time.Second, "1.50x"}, {0, time.Second, "—"}, {time.Second, 0, "—"}} {
		if got := ratio(c.a, c.b); got != c.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// testBrowser starts the Chromium of a source for one test or benchmark,
// closed when it ends.
func testBrowser(tb testing.TB, source string) *browser {
	tb.Helper()
	_, err := recorder.FindChromium("")
	gradiotest.Need(tb, "Chromium", err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := startBrowser(ctx, source, tb.Logf)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.close)
	return b
}

// The benchmarks below run on the real echo app in real Chromium, each
// through both sources (sub-benchmarks cdp and extension, each in a
// Chromium of its own):
//
//	go test -run '^$' -bench . -benchtime 5x ./bench/recorder
//
// Each reports, besides the time of a whole operation (which includes
// opening and stopping a recorder or a tab), the measure the harness
// reports for it.

// BenchmarkBurstRecorded records a burst of 2,000 updates per operation.
// capture-ms is the time from the click to the recorder's completed event;
// allocs/update and B/update are this process's allocations during it.
func BenchmarkBurstRecorded(b *testing.B) {
	app := gradiotest.Start(b, "echo")
	for _, src := range allSources {
		b.Run(src, func(b *testing.B) {
			br := testBrowser(b, src)
			ctx := context.Background()
			const n = 2000
			var capture time.Duration
			var mallocs, bytes uint64
			for b.Loop() {
				run, err := burstRecorded(ctx, br, app.URL+"/", n)
				if err != nil {
					b.Fatal(err)
				}
				if run.complete != nil {
					b.Fatal(run.complete)
				}
				capture += run.capture
				mallocs += run.mallocs
				bytes += run.bytes
			}
			b.ReportMetric(float64(capture.Milliseconds())/float64(b.N), "capture-ms")
			b.ReportMetric(float64(mallocs)/float64(b.N*n), "allocs/update")
			b.ReportMetric(float64(bytes)/float64(b.N*n), "B/update")
		})
	}
}

// BenchmarkBurstPlain runs the same burst in a tab without capture of each
// source's browser. page-ms is the time from the click to the page showing
// 2,000.
func BenchmarkBurstPlain(b *testing.B) {
	app := gradiotest.Start(b, "echo")
	for _, src := range allSources {
		b.Run(src, func(b *testing.B) {
			br := testBrowser(b, src)
			ctx := context.Background()
			var page time.Duration
			for b.Loop() {
				run, err := burstPlain(ctx, br, app.URL+"/", 2000)
				if err != nil {
					b.Fatal(err)
				}
				page += run.page
			}
			b.ReportMetric(float64(page.Milliseconds())/float64(b.N), "page-ms")
		})
	}
}

// BenchmarkStamp makes 20 /stamp calls per operation through a recorder
// (and 20 with the Go client). p50-ms is the median delay from the
// server's stamp to the recorder's completed event, go-p50-ms the Go
// client's.
func BenchmarkStamp(b *testing.B) {
	app := gradiotest.Start(b, "echo")
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL, gradio.WithJSONNumber())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for _, src := range allSources {
		b.Run(src, func(b *testing.B) {
			br := testBrowser(b, src)
			var all latencies
			for b.Loop() {
				l, err := stamps(ctx, br, c, app.URL+"/", 20, 2)
				if err != nil {
					b.Fatal(err)
				}
				all.recorder = append(all.recorder, l.recorder...)
				all.goClient = append(all.goClient, l.goClient...)
			}
			b.ReportMetric(ms(benchapp.Quantile(all.recorder, 0.5)), "p50-ms")
			b.ReportMetric(ms(benchapp.Quantile(all.goClient, 0.5)), "go-p50-ms")
		})
	}
}

// BenchmarkTicks measures 100 /ticks updates on an open stream per
// operation through a recorder (and 100 with the Go client). p50-ms is the
// median delay from an update's stamp to the recorder's CallUpdated event,
// go-p50-ms the Go client's.
func BenchmarkTicks(b *testing.B) {
	app := startTicksApp(b, gradiotest.DefaultVersion)
	ctx := context.Background()
	c, err := gradio.Connect(ctx, app.URL, gradio.WithJSONNumber())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for _, src := range allSources {
		b.Run(src, func(b *testing.B) {
			br := testBrowser(b, src)
			var all streamed
			for b.Loop() {
				s, err := ticks(ctx, br, c, app.URL+"/", 100)
				if err != nil {
					b.Fatal(err)
				}
				all.recorder = append(all.recorder, s.recorder...)
				all.goClient = append(all.goClient, s.goClient...)
			}
			b.ReportMetric(ms(benchapp.Quantile(all.recorder, 0.5)), "p50-ms")
			b.ReportMetric(ms(benchapp.Quantile(all.goClient, 0.5)), "go-p50-ms")
		})
	}
}

// BenchmarkSession runs a session of 10 fill+click echo calls per
// operation, recorded and in a plain tab of each source's browser.
func BenchmarkSession(b *testing.B) {
	app := gradiotest.Start(b, "echo")
	ctx := context.Background()
	for _, src := range allSources {
		b.Run(src, func(b *testing.B) {
			br := testBrowser(b, src)
			for _, kind := range []struct {
				name string
				run  func(context.Context, *browser, string, int) (time.Duration, error)
			}{{"recorded", sessionRecorded}, {"plain", sessionPlain}} {
				b.Run(kind.name, func(b *testing.B) {
					var total time.Duration
					for b.Loop() {
						d, err := kind.run(ctx, br, app.URL+"/", 10)
						if err != nil {
							b.Fatal(err)
						}
						total += d
					}
					b.ReportMetric(ms(total)/float64(b.N), "session-ms")
				})
			}
		})
	}
}

// BenchmarkNew opens a recorder on the app in a running browser of each
// source (a tab, the extension attached for the extension source, the page
// rendered, config and /info read) and stops it.
func BenchmarkNew(b *testing.B) {
	app := gradiotest.Start(b, "echo")
	ctx := context.Background()
	for _, src := range allSources {
		b.Run(src, func(b *testing.B) {
			br := testBrowser(b, src)
			for b.Loop() {
				r, err := record(ctx, br, app.URL+"/")
				if err != nil {
					b.Fatal(err)
				}
				r.rec.Stop()
			}
		})
	}
}

// BenchmarkNewWithBrowser is BenchmarkNew with a browser of the recorder's
// own each time, as `gradiorec record` starts (DevTools source).
func BenchmarkNewWithBrowser(b *testing.B) {
	app := gradiotest.Start(b, "echo")
	_, err := recorder.FindChromium("")
	gradiotest.Need(b, "Chromium", err)
	ctx := context.Background()
	for b.Loop() {
		if _, err := startRecorder(ctx, app.URL+"/"); err != nil {
			b.Fatal(err)
		}
	}
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }
