// Command huge measures gradiorec on huge recordings: the CPU time and peak
// memory of generating code in every language and flavour, and of loading
// and replaying, as separate processes of the gradiorec binary.
//
//	go run ./bench/huge [-calls 10000,100000] [-base calculator] [-replay 100000] [-parallel 8] [-keep DIR]
//
// For each size it writes a recording of that many calls, in 10 sessions,
// made of a golden recording's calls repeated (-base; by default the
// calculator's four sums and the division by zero that fails), each output
// as the app answers it, so a replay of the calculator's against
// testdata/apps/calculator.py passes. It builds the gradiorec binary once,
// runs `gradiorec generate` for each language and flavour, and reads each
// process's CPU time (user and system) and peak resident memory from the
// kernel (getrusage of the child). With -replay N it also starts the app and
// replays the recording of N calls against it with --parallel. The output
// is a Markdown table; generate time growing in step with the calls (the
// last column, against the smallest size) shows it linear.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gradiorec/gradiorec/bench/internal/benchapp"
	"github.com/gradiorec/gradiorec/internal/gradiotest"
	"github.com/gradiorec/gradiorec/recording"
)

func main() {
	sizes := flag.String("calls", "10000,100000", "recording sizes to measure, comma-separated")
	replayCalls := flag.Int("replay", 0, "also replay the recording of this many calls against its app (0: no replay)")
	parallel := flag.Int("parallel", 8, "sessions replayed at once with -replay")
	keep := flag.String("keep", "", "write the recordings into this `folder` and keep them (for profiling)")
	base := flag.String("base", "calculator", "the golden recording (of testdata/recordings/"+gradiotest.DefaultVersion+") whose calls are repeated")
	write := flag.String("write", "", "(internal) write the recording of -calls calls at this `path` and exit")
	flag.Parse()
	if *write != "" {
		if err := writeRecording(*write, *base, *sizes); err != nil {
			fmt.Fprintln(os.Stderr, "huge:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*sizes, *base, *replayCalls, *parallel, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "huge:", err)
		os.Exit(1)
	}
}

// usage is what one process cost.
type usage struct {
	cpu  time.Duration // user and system
	peak int64         // bytes of resident memory at most
}

func run(sizes, base string, replayCalls, parallel int, keep string) error {
	var ns []int
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 5 {
			return fmt.Errorf("-calls %q: want sizes of at least 5 calls", sizes)
		}
		ns = append(ns, n)
	}
	if replayCalls > 0 && !slices.Contains(ns, replayCalls) {
		ns = append(ns, replayCalls)
	}
	slices.Sort(ns)
	root, py, err := benchapp.Locate("", gradiotest.DefaultVersion)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "gradiorec-huge-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "gradiorec")
	build := exec.Command("go", "build", "-o", bin, "./cmd/gradiorec")
	build.Dir, build.Stderr = root, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build gradiorec: %w", err)
	}

	fmt.Println("| calls | recording | language | flavour | CPU | peak RSS | CPU per call vs the smallest |")
	fmt.Println("|---|---|---|---|---|---|---|")
	perCall := map[string]float64{} // by language/flavour: CPU per call at the smallest size
	paths := map[int]string{}
	for _, n := range ns {
		path := filepath.Join(dir, fmt.Sprintf("calls-%d.json", n))
		if keep != "" {
			path = filepath.Join(keep, fmt.Sprintf("calls-%d.json", n))
		}
		// A process of its own writes it: a child's peak resident memory
		// as the kernel counts it starts from its parent's peak (the child
		// runs in the parent's memory until it execs), so this process
		// never holds a huge recording.
		w := exec.Command(os.Args[0], "-write", path, "-base", base, "-calls", strconv.Itoa(n))
		w.Stdout, w.Stderr = os.Stdout, os.Stderr
		if err := w.Run(); err != nil {
			return fmt.Errorf("write the recording of %d calls: %w", n, err)
		}
		paths[n] = path
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		size := fmt.Sprintf("%.0f MB", float64(st.Size())/1e6)
		for _, lang := range []string{"python", "javascript", "go", "curl", "locust"} {
			for _, flavour := range []string{"script", "test"} {
				if lang == "locust" && flavour == "test" {
					continue
				}
				out := filepath.Join(dir, fmt.Sprintf("out-%d-%s-%s", n, lang, flavour))
				args := []string{"generate", "--lang", lang, "-o", out, path}
				if flavour == "test" {
					args = append(args, "--test")
				}
				u, err := measure(bin, args...)
				if err != nil {
					return err
				}
				os.RemoveAll(out)
				key := lang + "/" + flavour
				per := float64(u.cpu) / float64(n)
				if perCall[key] == 0 {
					perCall[key] = per
				}
				fmt.Printf("| %d | %s | %s | %s | %s | %.0f MB | %.2fx |\n", n, size, lang, flavour, u.cpu.Round(time.Millisecond), float64(u.peak)/1e6, per/perCall[key])
			}
		}
	}
	if replayCalls == 0 {
		return nil
	}
	app, err := benchapp.Start(context.Background(), py, filepath.Join(root, "testdata", "apps", filepath.Base(base)+".py"), benchapp.QuietAnalytics)
	if err != nil {
		return err
	}
	defer app.Stop()
	u, err := measure(bin, "replay", "--url", app.URL, "--parallel", strconv.Itoa(parallel), paths[replayCalls])
	if err != nil {
		return err
	}
	fmt.Printf("\nreplay of %d calls, --parallel %d: CPU %s, peak RSS %.0f MB\n", replayCalls, parallel, u.cpu.Round(time.Millisecond), float64(u.peak)/1e6)
	return nil
}

// writeRecording writes the recording of n calls (see repeat) at path,
// made of the golden recording named base.
func writeRecording(path, name, n string) error {
	calls, err := strconv.Atoi(n)
	if err != nil {
		return err
	}
	root, _, err := benchapp.Locate("", gradiotest.DefaultVersion)
	if err != nil {
		return err
	}
	base, err := recording.Load(filepath.Join(root, "testdata", "recordings", gradiotest.DefaultVersion, filepath.Base(name)+".json"))
	if err != nil {
		return err
	}
	return recording.Save(path, repeat(base, calls))
}

// repeat returns base's first session repeated to n calls, in 10 sessions.
func repeat(base *recording.Recording, n int) *recording.Recording {
	rec := *base
	rec.Masks, rec.Sessions, rec.Calls = nil, nil, make([]recording.Call, 0, n)
	for s := 1; s <= 10; s++ {
		id := fmt.Sprintf("s%d", s)
		rec.Sessions = append(rec.Sessions, recording.Session{ID: id, Hash: "session-" + id})
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		c := base.Calls[i%len(base.Calls)]
		c.ID, c.Session, c.EventID = i+1, fmt.Sprintf("s%d", i%10+1), ""
		c.Started = start.Add(time.Duration(i) * 100 * time.Millisecond)
		c.Inputs = slices.Clone(c.Inputs)
		c.Data = slices.Clone(c.Data)
		rec.Calls = append(rec.Calls, c)
	}
	return &rec
}

// measure runs the gradiorec binary with args and returns what it cost. A
// replay that did not pass is an error: its numbers would measure something
// else.
func measure(bin string, args ...string) (usage, error) {
	cmd := exec.Command(bin, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return usage{}, err
	}
	if err != nil {
		tail := out.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return usage{}, fmt.Errorf("gradiorec %s: %v\n%s", strings.Join(args, " "), err, tail)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return usage{
		cpu:  time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		peak: ru.Maxrss * 1024, // kilobytes on Linux
	}, nil
}
