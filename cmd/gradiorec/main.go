// Command gradiorec records sessions in Gradio apps and turns them into client
// code and regression tests. See cli.Main for the commands.
package main

import (
	"os"

	"github.com/gradiorec/gradiorec/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
