package recorder_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gradiorec/gradiorec/recorder"
	"github.com/gradiorec/gradiorec/recording"
)

// Record a click on a Gradio app's Submit button and save what the page
// called.
func ExampleNew() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rec, err := recorder.New(ctx, "http://127.0.0.1:7860/", recorder.WithOnEvent(func(e recorder.Event) {
		fmt.Println(e.Kind, e.Call.APIName)
	}))
	if err != nil {
		log.Fatal(err)
	}
	click := chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("button")].find((b) => b.innerText.trim() === "Submit").click()`)
	if err := chromedp.Do(rec.Tab(), click); err != nil {
		log.Fatal(err)
	}
	if err := rec.WaitIdle(ctx); err != nil {
		log.Fatal(err)
	}
	r, err := rec.Stop()
	if err != nil {
		log.Fatal(err)
	}
	if err := recording.Save("session.json", r); err != nil {
		log.Fatal(err)
	}
}
