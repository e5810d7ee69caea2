// Package steps reads and runs steps files: scripts in YAML or JSON that
// drive a Gradio app's UI in a browser tab as a person would (fill, select,
// set, check, upload, click, submit, press, wait). docs/steps-format.md
// describes the format.
//
//	script, err := steps.Load("ci/session.yaml") // every problem, as *steps.ParseError
//	if err != nil { … }
//	err = script.Run(rec.Tab(), rec.WaitIdle)     // the first failing step, as *steps.StepError
//
// Run takes the chromedp context of a tab that shows the app and a
// function that waits until no call is in flight; a recorder.Recorder's
// Tab and WaitIdle are the usual pair. The package only acts on the page,
// with real input events: what the app is sent is for the tab's owner to
// record.
//
// The files: step.go and locator.go hold the types; parse.go, value.go
// and env.go read a steps file; run.go runs it, finding each step's target
// with target.go and handing the step to its verb's family, as chromedp
// splits its actions: keyboard.go (fill, submit, set, press), pointer.go
// (click, check), choice.go (select), upload.go (upload) and wait.go
// (wait). page.js is the page side, evaluated in the tab.
package steps
