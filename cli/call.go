package cli

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/term"
)

// callCommand is gradiorec call.
var callCommand = command{
	summary: "call one endpoint of an app and print its outputs as JSON",
	usage: "[--stream] [--token T] [--user U] URL|OWNER/SPACE ENDPOINT [VALUE... | NAME=VALUE...]\n\n" +
		"A VALUE is JSON (4, true, \"text\", [1,2]) or else a plain string; @PATH uploads a\n" +
		"file. NAME=VALUE passes arguments by parameter name instead of position.",
	help: connectHelp,
	run:  runCall,
}

func runCall(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "call")
	stream := fs.Bool("stream", false, "print every intermediate output of a generator")
	var cf connectFlags
	cf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("want an app and an endpoint")
	}
	values, err := callArgs(pos[2:])
	if err != nil {
		return err
	}
	client, err := cf.connect(ctx, pos[0])
	if err != nil {
		return err
	}
	defer client.Close()
	job, err := client.Submit(ctx, pos[1], values...)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(term.JSON(e.stdout)) // the app's C1 controls and bidi overrides escaped
	if *stream {
		for u := range job.Updates() {
			if u.Kind == gradio.UpdateOutput {
				if err := enc.Encode(u.Output); err != nil {
					return err
				}
			}
		}
	}
	res, err := job.Result(ctx)
	if err != nil {
		return err
	}
	return enc.Encode(res.Data)
}

// callArgs parses the command line's values: all positional, or all named.
func callArgs(raw []string) ([]any, error) {
	named := gradio.Named{}
	var positional []any
	for _, a := range raw {
		name, value, isNamed := strings.Cut(a, "=")
		if isNamed && isIdentifier(name) {
			named[name] = parseValue(value)
			continue
		}
		positional = append(positional, parseValue(a))
	}
	switch {
	case len(named) > 0 && len(positional) > 0:
		return nil, usagef("give the values all by position or all as NAME=VALUE, not both")
	case len(named) > 0:
		return []any{named}, nil
	}
	return positional, nil
}

// parseValue reads a value as JSON if it is JSON, as a file if it starts
// with @, and as a string otherwise.
func parseValue(s string) any {
	if path, ok := strings.CutPrefix(s, "@"); ok && path != "" {
		return gradio.File(path)
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		return v
	}
	return s
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}
