package cli

import (
	"context"
	"encoding/json"
	"io"
	"slices"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/internal/term"
)

// inspectCommand is gradiorec inspect.
var inspectCommand = command{
	summary: "print an app's API: endpoints, parameters, returns",
	usage:   "[--json] [--token T] [--user U] URL|OWNER/SPACE",
	help:    connectHelp,
	run:     runInspect,
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
		enc := json.NewEncoder(term.JSON(e.stdout))
		enc.SetIndent("", "  ")
		return enc.Encode(api)
	}
	return writeAPI(e.stdout, api)
}

// writeAPI prints the API as gradio_client's view_api() does, with every
// name, type and description the app gave shown on its line, its control
// characters escaped (term.Escape). Parameter names and labels need no
// escaping: view_api keeps only their letters, digits and underscores.
func writeAPI(w io.Writer, api *gradio.API) error {
	safe := *api
	safe.Endpoints = slices.Clone(api.Endpoints)
	for i := range safe.Endpoints {
		e := &safe.Endpoints[i]
		e.APIName, e.OAuthToken = term.Escape(e.APIName), term.Escape(e.OAuthToken)
		e.Parameters = slices.Clone(e.Parameters)
		for j := range e.Parameters {
			p := &e.Parameters[j]
			p.Component, p.PythonType, p.Description = term.Escape(p.Component), term.Escape(p.PythonType), term.Escape(p.Description)
		}
		e.Returns = slices.Clone(e.Returns)
		for j := range e.Returns {
			r := &e.Returns[j]
			r.Component, r.PythonType, r.Description = term.Escape(r.Component), term.Escape(r.PythonType), term.Escape(r.Description)
		}
	}
	// The defaults are rendered from the raw JSON; EscapeText catches them.
	_, err := io.WriteString(w, term.EscapeText(safe.String()))
	return err
}
