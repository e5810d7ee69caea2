// Package replay re-runs a recording.Recording against a live app with the
// Go client and reports, per call, whether the app still answers the same.
//
// Run replays the calls in recorded order, one client per recorded session
// (so gr.State carries over), uploading input fixtures again and following
// generators to the end, and compares each call's outputs, intermediate
// outputs and error with the recording. Values match exactly and files by
// content unless a Rule chooses another matcher (numeric tolerance, text
// similarity, image tolerance, ignore); the recording's masks are ignore
// rules. Before the calls, CheckDrift compares the app's API with the
// recorded schema, so a renamed parameter is reported as drift rather than
// as a changed output.
//
// Learn replays several times and returns masks for whatever differs from
// run to run (timestamps, random values), so that a nondeterministic app
// replays green while its deterministic outputs stay checked. Test runs a
// recording inside a Go test, one subtest per call. The Report renders as
// text (WriteText), JSON and JUnit XML; its ExitCode is what
// `gradiorec replay` exits with (see docs/replay.md).
package replay
