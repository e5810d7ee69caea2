package recorder

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCDPSource checks the chromedp source against a fake app: request
// bodies (JSON and a multipart upload with binary bytes), an event stream
// written in pieces that split frames, response bodies, and the order of
// each request's events.
func TestCDPSource(t *testing.T) {
	stream := frame(`{"msg":"estimation","event_id":"e1"}`) + "data: {\"msg\":\"process_completed\",\"event_id\":\"e1\",\"output\":{\"data\":[\"ü✓\"]}}\r\n\r\n" +
		frame(`{"msg":"close_stream","event_id":null}`)
	var uploaded []byte
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gradio_api/queue/join":
			fmt.Fprint(w, `{"event_id":"e1"}`)
		case "/gradio_api/queue/data":
			w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
			for i := 0; i < len(stream); i += 23 { // pieces that split frames and the CRLF
				io.WriteString(w, stream[i:min(i+23, len(stream))])
				w.(http.Flusher).Flush()
				time.Sleep(5 * time.Millisecond)
			}
		case "/gradio_api/upload":
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			uploaded = b
			mu.Unlock()
			fmt.Fprint(w, `["/tmp/x/cat.bin"]`)
		default:
			fmt.Fprint(w, `<html><body>fake</body></html>`)
		}
	}))
	defer srv.Close()

	var got []netEvent
	var gotMu sync.Mutex
	src := newCDPSource(func(e netEvent) {
		gotMu.Lock()
		got = append(got, e)
		gotMu.Unlock()
	}, t.Logf)
	tab, cancel, err := testBrowser(t).newTab(800, 600, src.listen)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	if err := src.start(tab); err != nil {
		t.Fatal(err)
	}
	ctx, ccancel := context.WithTimeout(tab, time.Minute)
	defer ccancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	_, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const fd = new FormData();
		fd.append("files", new Blob([new Uint8Array([0, 255, 13, 10, 45, 45, 1])], {type: "application/octet-stream"}), "cat.bin");
		await (await fetch("/gradio_api/upload?upload_id=u", {method: "POST", body: fd})).text();
		await (await fetch("/gradio_api/queue/join?", {method: "POST", headers: {"Content-Type": "application/json"},
			body: JSON.stringify({data: ["héllo"], fn_index: 0, session_hash: "s"})})).text();
		const r = await fetch("/gradio_api/queue/data?session_hash=s");
		return await r.text();
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	src.stop()

	// Events of different requests may interleave (the upload waits for
	// its body); find each request by its URL.
	byID := map[requestID][]netEvent{}
	byPath := map[string]requestID{}
	for _, e := range got {
		if s, ok := e.(requestSent); ok {
			byPath[strings.SplitN(strings.TrimPrefix(s.URL, srv.URL), "?", 2)[0]] = s.ID
		}
		byID[e.request()] = append(byID[e.request()], e)
	}
	order := []requestID{byPath["/gradio_api/upload"], byPath["/gradio_api/queue/join"], byPath["/gradio_api/queue/data"]}
	if len(byID) != 3 || slices.Contains(order, "") {
		t.Fatalf("events of %d requests, want 3 (upload, join, data): %#v", len(byID), got)
	}
	kinds := func(evs []netEvent) string {
		var s []string
		for _, e := range evs {
			s = append(s, strings.TrimPrefix(fmt.Sprintf("%T", e), "recorder."))
		}
		return strings.Join(s, " ")
	}

	up := byID[order[0]]
	if k := kinds(up); k != "requestSent responseReceived loadingFinished" {
		t.Errorf("upload events: %s", k)
	}
	sent := up[0].(requestSent)
	mu.Lock()
	if !bytes.Equal(sent.Body, uploaded) || !bytes.Contains(sent.Body, []byte{0, 255, 13, 10, 45, 45, 1}) {
		t.Errorf("upload body %q, the server got %q", sent.Body, uploaded)
	}
	mu.Unlock()
	if parts, err := parseUpload(header(sent.Headers, "Content-Type"), sent.Body); err != nil || len(parts) != 1 ||
		parts[0].name != "cat.bin" || !bytes.Equal(parts[0].data, []byte{0, 255, 13, 10, 45, 45, 1}) {
		t.Errorf("upload parts %+v, %v", parts, err)
	}
	if b := up[2].(loadingFinished).Body; string(b) != `["/tmp/x/cat.bin"]` {
		t.Errorf("upload answer %q", b)
	}

	join := byID[order[1]]
	if k := kinds(join); k != "requestSent responseReceived loadingFinished" {
		t.Errorf("join events: %s", k)
	}
	if b := join[0].(requestSent).Body; string(b) != `{"data":["héllo"],"fn_index":0,"session_hash":"s"}` {
		t.Errorf("join body %q", b)
	}
	if b := join[2].(loadingFinished).Body; string(b) != `{"event_id":"e1"}` {
		t.Errorf("join answer %q", b)
	}

	data := byID[order[2]]
	var body []byte
	for i, e := range data {
		switch e := e.(type) {
		case dataReceived:
			body = append(body, e.Data...)
		case loadingFinished:
			body = append(body, e.Body...)
			if i != len(data)-1 {
				t.Errorf("events after loadingFinished: %s", kinds(data))
			}
		}
	}
	if string(body) != stream {
		t.Errorf("stream %q\nwant %q", body, stream)
	}
	if _, ok := data[0].(requestSent); !ok {
		t.Errorf("stream events: %s", kinds(data))
	}
}
