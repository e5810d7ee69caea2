// Package recorder drives a Gradio app in a browser over the DevTools
// protocol (chromedp) and captures its API traffic (queue joins, the event
// stream, runs outside the queue, uploads, cancels) into a
// recording.Recording.
//
// New opens the app in a tab and records until Stop:
//
//	rec, err := recorder.New(ctx, "http://127.0.0.1:7860/")
//	if err != nil { … }
//	// a person or a steps file (package steps) uses the page;
//	// rec.Tab() is its chromedp context
//	if err := rec.WaitIdle(ctx); err != nil { … }
//	r, err := rec.Stop()
//	err = recording.Save("session.json", r)
//
// The capture core (capture.go) turns network events into calls and knows
// nothing of where they come from; the chromedp tab is one source
// (cdp.go), and source.go says how to add another (a HAR file, events
// relayed by a browser extension).
package recorder
