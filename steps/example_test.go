package steps_test

import (
	"context"
	"errors"
	"log"
	"time"

	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
	"github.com/gradiorec/gradiorec/steps"
)

// Run a steps file in the tab of a recorder, which captures the calls the
// steps make the app send, and save the recording.
func ExampleScript_Run() {
	script, err := steps.Load("ci/session.yaml")
	if err != nil {
		log.Fatal(err) // every problem of the file, each a *steps.ParseError
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rec, err := recorder.New(ctx, "http://127.0.0.1:7860/")
	if err != nil {
		log.Fatal(err)
	}
	runErr := script.Run(rec.Tab(), rec.WaitIdle)
	var se *steps.StepError
	if errors.As(runErr, &se) && errors.Is(runErr, steps.ErrNoTarget) {
		log.Printf("step %d (line %d) found nothing to act on", se.Step.N, se.Step.Line)
	}
	r, err := rec.Stop() // what happened until a failing step, too
	if err != nil {
		log.Fatal(err)
	}
	if err := recording.Save("session.json", r); err != nil {
		log.Fatal(err)
	}
	if runErr != nil {
		log.Fatal(runErr)
	}
}
