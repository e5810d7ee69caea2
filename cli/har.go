package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/gradiorec/gradiorec/har"
	"github.com/gradiorec/gradiorec/internal/term"
	"github.com/gradiorec/gradiorec/internal/version"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// importCommand is gradiorec import.
var importCommand = command{
	summary: "make a recording from a HAR file (browser DevTools, Playwright, Firefox, proxies)",
	usage:   "[-o REC.json] [--force] [--url APP] FILE.har",
	help: "Reads the Gradio traffic of a HAR 1.2 file, or of the .zip that Playwright's\n" +
		"recordHar writes, and saves it as a recording: one session per session_hash, the\n" +
		"app's schema from the HAR's own /config and /info answers, uploads from the request\n" +
		"bodies, streams from the event-stream bodies, output files from the HAR's downloads.\n" +
		"Secrets the page sent (cookies, Authorization headers, a login's password, password\n" +
		"boxes) are redacted as the recorder redacts them.\n\n" +
		"Make one in Chrome or Chromium: open DevTools (F12), Network panel, use the app, then\n" +
		"right-click the list and \"Save all as HAR with content\". In Firefox: Network panel,\n" +
		"the gear menu, \"Save All As HAR\". In Playwright: browser.new_context(record_har_path=\n" +
		"\"app.har\") (or .zip), then close the context.\n\n" +
		"flags:\n" +
		"  -o REC.json   where to save the recording (default: FILE with .json for .har)\n" +
		"  --force       replace REC.json if it exists\n" +
		"  --url APP     the app's root URL, for what the HAR lacks: its config and API\n" +
		"                schema, and the bytes of files it did not save\n\n" +
		"Exit status: 0 when the recording was saved (files the HAR lacks are listed on\n" +
		"stderr); 1 when the HAR holds no Gradio traffic or no bodies, or the save failed;\n" +
		"2 for bad arguments (REC.json exists, without --force), or a file that is not a HAR.",
	run: runImport,
}

// exportCommand is gradiorec export.
var exportCommand = command{
	summary: "write a recording's API traffic as a HAR file",
	usage:   "--har [-o OUT.har] [--force] REC.json",
	help: "Writes the recorded calls as a HAR 1.2 file that Chromium DevTools, Playwright's\n" +
		"routeFromHAR, Postman, Insomnia and k6 Studio open: the app's /config and /info, and\n" +
		"for each call its uploads, its queue/join (or run) request, its event stream with\n" +
		"every message, its cancel and its output files' downloads. The recording is already\n" +
		"redacted, and so is the HAR. `gradiorec import` of it gives back the recording.\n\n" +
		"flags:\n" +
		"  --har         write a HAR (the one format today; required)\n" +
		"  -o OUT.har    where to write it (default: REC with .har for .json; - for stdout)\n" +
		"  --force       replace OUT.har if it exists\n\n" +
		"Exit status: 0 when the HAR was written; 1 when it could not be; 2 for bad arguments\n" +
		"(OUT.har exists, without --force).",
	run: runExport,
}

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import")
	out := fs.String("o", "", "save the recording as `REC.json`")
	force := fs.Bool("force", false, "replace REC.json if it exists")
	appURL := fs.String("url", "", "the app's root `URL`, for what the HAR lacks")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one HAR file, got %d arguments", len(pos))
	}
	in := pos[0]
	if *out == "" {
		*out = strings.TrimSuffix(strings.TrimSuffix(in, ".zip"), ".har") + ".json"
	}
	if err := checkOutput(*out, *force); err != nil { // as record checks its -o
		return err
	}
	if *appURL != "" && !strings.HasPrefix(*appURL, "http://") && !strings.HasPrefix(*appURL, "https://") {
		return usagef("--url %q is not an http(s) URL of the app", *appURL)
	}
	h, files, err := har.Open(in, 0)
	switch {
	case errors.Is(err, har.ErrNotHAR), errors.Is(err, har.ErrTruncate), errors.Is(err, har.ErrTooBig):
		return &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", in, err)}
	case err != nil:
		return &exitError{code: ExitError, err: err}
	}
	im, err := recorder.ImportHAR(ctx, h, recorder.HAROptions{URL: *appURL, Files: files, Tool: "gradiorec " + version.Version})
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("%s: %w", in, err)}
	}
	for _, m := range im.Missing {
		fmt.Fprintf(e.stderr, "warning: the HAR lacks the bytes of %s, and no app gave them: that file is listed without them (give --url APP to fetch it)\n", term.Escape(m))
	}
	if im.Cut > 0 {
		fmt.Fprintf(e.stderr, "warning: %d response(s) of the app's API have no body in the HAR (the page closed them, and the tool that wrote the HAR kept none): "+
			"their calls are saved without outputs, as incomplete; `gradiorec record` or the extension keep them\n", im.Cut)
	}
	if err := recording.Save(*out, im.Recording, recording.RedactSecrets(im.Secrets...)); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	fmt.Fprintf(e.stderr, "imported %s from %s into %s\n", summary(im.Recording), in, *out)
	return nil
}

func runExport(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "export")
	asHAR := fs.Bool("har", false, "write a HAR 1.2 file")
	out := fs.String("o", "", "write to `OUT.har` (- for stdout)")
	force := fs.Bool("force", false, "replace OUT.har if it exists")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if !*asHAR {
		return usagef("say which format: --har")
	}
	if len(pos) != 1 {
		return usagef("want one recording, got %d arguments", len(pos))
	}
	in := pos[0]
	if *out == "" {
		*out = strings.TrimSuffix(in, ".json") + ".har"
	}
	if *out != "-" {
		if st, err := os.Lstat(*out); err == nil && (st.IsDir() || !*force) {
			if st.IsDir() {
				return usagef("%s is a folder: give the HAR's file name with -o", *out)
			}
			return &exitError{code: ExitUsage, err: fmt.Errorf("%s exists: give --force to replace it, or -o another file", *out)}
		}
	}
	rec, err := recording.Load(in)
	if err != nil {
		return &exitError{code: ExitUsage, err: err} // bad input, as for replay
	}
	h, err := har.FromRecording(rec, har.Creator{Name: "gradiorec", Version: version.Version})
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("export %s: %w", in, err)}
	}
	if *out == "-" {
		return h.Encode(e.stdout)
	}
	if err := h.WriteFile(*out); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write %s: %w", *out, err)}
	}
	fmt.Fprintf(e.stderr, "exported %s from %s into %s\n", summary(rec), in, *out)
	return nil
}
