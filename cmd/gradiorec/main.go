// Command gradiorec records sessions in Gradio apps and turns them into client
// code and regression tests. See cli.Main for the commands.
package main

import (
	"os"
	"runtime/debug"

	"github.com/gradiorec/gradiorec/cli"
)

// memoryLimit is the heap size past which the garbage collector works
// harder, unless GOMEMLIMIT says otherwise. By default the runtime lets the
// heap grow to twice what is live before it collects; for a huge recording,
// loaded whole while code is generated or calls are replayed, that doubles
// the resident memory for nothing. Below the limit nothing changes; above
// it, collections come sooner, and the runtime caps their share of the CPU.
const memoryLimit = 384 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
