// Package replay re-runs a recording.Recording against a live app with the
// Go client and reports, per call, whether the app still answers the same.
package replay
