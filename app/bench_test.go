package app

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// benchApp is an App whose window marshals every event to JSON, as the
// Wails runtime does before handing it to the page, and counts frames.
func benchApp(b *testing.B) (*App, *int64) {
	b.Helper()
	_, err := recorder.FindChromium("")
	gradiotest.Need(b, "Chromium", err)
	var frames int64
	dir := b.TempDir()
	a := New(Options{
		DataDir: filepath.Join(dir, "data"), ConfigDir: filepath.Join(dir, "config"),
		Dialogs: &dialogs{}, ExtensionPort: -1,
		Emit: func(name string, data any) {
			json.Marshal(data)
			if name == EventFrame {
				frames++
			}
		},
	})
	a.start(context.Background())
	b.Cleanup(func() { a.Shutdown(context.Background()) })
	return a, &frames
}

// BenchmarkScreencastChat measures the CPU the live view costs while a chat
// reply streams (250 words, one every 20 ms): the cores used by this
// process and Chromium's, with the view live at DefaultFPS, and with the
// screencast off for comparison.
//
//	go test ./app -run '^$' -bench ScreencastChat -benchtime 3x
func BenchmarkScreencastChat(b *testing.B) {
	chat := gradiotest.Start(b, "chat")
	message := strings.TrimSpace(strings.Repeat("word ", 250))
	for _, live := range []bool{true, false} {
		name := "off"
		if live {
			name = "live"
		}
		b.Run(name, func(b *testing.B) {
			a, frames := benchApp(b)
			if err := a.Session.SetLive(live); err != nil {
				b.Fatal(err)
			}
			if _, err := a.Session.Record(chat.URL); err != nil {
				b.Fatal(err)
			}
			if err := a.Session.Resize(ViewRect{Width: 960, Height: 700}); err != nil {
				b.Fatal(err)
			}
			var cpu, wall time.Duration
			var sent int64
			for b.Loop() {
				done := ended(b, a, "/_submit_fn") + 1
				before, f0, t0 := cpuTime(b), *frames, time.Now()
				send(b, a, message)
				deadline := time.Now().Add(time.Minute)
				for ended(b, a, "/_submit_fn") < done {
					if time.Now().After(deadline) {
						b.Fatal("the reply did not end within a minute")
					}
					time.Sleep(20 * time.Millisecond)
				}
				wall += time.Since(t0)
				cpu += cpuTime(b) - before
				sent += *frames - f0
				b.StopTimer()
				idle(b, a) // the calls after the reply re-enable the chat box
				b.StartTimer()
			}
			b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cores")
			b.ReportMetric(float64(sent)/wall.Seconds(), "frames/s")
		})
	}
}

// BenchmarkSession100 measures the memory of the app after a session of 100
// calls: the process's resident set and the Go heap in use.
//
//	go test ./app -run '^$' -bench Session100 -benchtime 1x
func BenchmarkSession100(b *testing.B) {
	calc := gradiotest.Start(b, "calculator")
	for b.Loop() {
		a, _ := benchApp(b)
		if _, err := a.Session.Record(calc.URL); err != nil {
			b.Fatal(err)
		}
		a.mu.Lock()
		tab := a.view.tab
		a.mu.Unlock()
		for i := 1; i <= 100; i++ {
			if err := chromedp.Do(tab, chromedp.Click(`button.primary`)); err != nil {
				b.Fatal(err)
			}
			for ended(b, a, "") < i {
				time.Sleep(10 * time.Millisecond)
			}
		}
		b.ReportMetric(float64(rss(b))/(1<<20), "RSS-MiB")
		if _, err := a.Session.Stop(); err != nil {
			b.Fatal(err)
		}
	}
}

// ended counts the calls of the recording that ended, of the endpoint
// api ("" for all).
func ended(b *testing.B, a *App, api string) int {
	calls, err := a.Session.Calls()
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, c := range calls {
		if c.Status != recording.Incomplete && (api == "" || c.APIName == api) {
			n++
		}
	}
	return n
}

// idle waits until no call of the recording is in flight.
func idle(b *testing.B, a *App) {
	a.mu.Lock()
	rec := a.rec
	a.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rec.WaitIdle(ctx); err != nil {
		b.Fatal(err)
	}
}

// send types message into the chat box of the live page and presses Enter.
func send(b *testing.B, a *App, message string) {
	a.mu.Lock()
	tab := a.view.tab
	a.mu.Unlock()
	if err := chromedp.Do(tab, chromedp.Click(`textarea`)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Call(tab, input.InsertText, input.InsertTextParams{Text: message}); err != nil {
		b.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Enter)); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the CPU time so far of this process and of the Chromium
// processes it started (not the Gradio app's), from /proc.
func cpuTime(b *testing.B) time.Duration {
	entries, err := os.ReadDir("/proc")
	gradiotest.Need(b, "/proc (Linux)", err)
	parent := map[int]int{}
	ticks := map[int]int64{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command, which ends with the last ')'.
		f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
		ppid, _ := strconv.Atoi(f[1])
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		parent[pid] = ppid
		if pid == os.Getpid() || strings.HasPrefix(string(data[strings.IndexByte(string(data), '(')+1:]), "chrom") {
			ticks[pid] = utime + stime
		}
	}
	self := os.Getpid()
	var total int64
	for pid, t := range ticks {
		for p := pid; p > 1; p = parent[p] {
			if p == self {
				total += t
				break
			}
		}
	}
	const hz = 100 // USER_HZ on Linux
	return time.Duration(total) * time.Second / hz
}

// rss is this process's resident set size, in bytes.
func rss(b *testing.B) int64 {
	f, err := os.Open("/proc/self/status")
	gradiotest.Need(b, "/proc (Linux)", err)
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}
