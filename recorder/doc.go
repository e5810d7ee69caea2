// Package recorder drives a Gradio app in headless Chromium over the DevTools
// protocol and captures its API traffic (queue joins, the event stream,
// uploads, cancels) into a recording.Recording.
package recorder
