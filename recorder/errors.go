package recorder

import "errors"

// Errors New and NewBrowser return, wrapped with the details; test for them
// with errors.Is.
var (
	// ErrNoChromium: no Chromium or Chrome executable was found. The error
	// names the places tried and how to install Chromium.
	ErrNoChromium = errors.New("no Chromium found")
	// ErrUnreachable: the app's URL did not answer (connection refused,
	// unknown host, timeout).
	ErrUnreachable = errors.New("the app is unreachable")
	// ErrNotGradio: the page at the URL is not a Gradio app.
	ErrNotGradio = errors.New("not a Gradio app")
	// ErrLoginRequired: the app needs a login and no credentials were given
	// (see WithLogin).
	ErrLoginRequired = errors.New("the app needs a login")
	// ErrLoginFailed: the app refused the credentials given with WithLogin.
	ErrLoginFailed = errors.New("the app refused the login")
	// ErrStopped: the recorder was stopped.
	ErrStopped = errors.New("the recorder is stopped")
)
