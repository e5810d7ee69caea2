package cli

import (
	"context"
	"encoding/json"
	"fmt"
)

func init() {
	commands["inspect"] = command{
		summary: "print an app's API: endpoints, parameters, returns",
		usage:   "[--json] [--token T] [--user U] URL|OWNER/SPACE",
		run:     runInspect,
	}
}

func runInspect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "inspect")
	asJSON := fs.Bool("json", false, "print the structured form as JSON")
	var cf connectFlags
	cf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one app URL or Space id, got %d arguments", len(pos))
	}
	client, err := cf.connect(ctx, pos[0])
	if err != nil {
		return err
	}
	defer client.Close()
	api := client.ViewAPI()
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(api)
	}
	_, err = fmt.Fprint(e.stdout, api.String())
	return err
}
