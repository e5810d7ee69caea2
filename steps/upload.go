package steps

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/pause"
)

// upload gives the step's files to its file input, as a file chooser
// would, and waits until the component has uploaded them.
func upload(ctx context.Context, st Step) error {
	t, err := uiResolve(ctx, st, "file")
	if err != nil {
		return err
	}
	w, err := watchUploads(ctx)
	if err != nil {
		return err
	}
	defer w.stop()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(markSel(t.Mark), st.Files)); err != nil {
		return fmt.Errorf("set the files: %w", err)
	}
	return w.wait(ctx, t.Mark)
}

// uploadStart is how long an upload may take to start after a file input
// got its files.
const uploadStart = 5 * time.Second

// uploadWatch follows the page's upload requests (POST …/upload, which
// every Gradio version sends as soon as a file input gets its files).
type uploadWatch struct {
	stop    context.CancelFunc
	mu      sync.Mutex
	ids     map[network.RequestID]bool // true once it ended
	changed chan struct{}
}

func watchUploads(ctx context.Context) (*uploadWatch, error) {
	lctx, stop := context.WithCancel(ctx)
	w := &uploadWatch{stop: stop, ids: map[network.RequestID]bool{}, changed: make(chan struct{}, 1)}
	err := chromedp.Listen(lctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if e.Request.Method == "POST" && isUploadURL(e.Request.URL) {
				w.ids[e.RequestID] = false
			}
		case *network.EventLoadingFinished:
			if _, ok := w.ids[e.RequestID]; ok {
				w.ids[e.RequestID] = true
			}
		case *network.EventLoadingFailed:
			if _, ok := w.ids[e.RequestID]; ok {
				w.ids[e.RequestID] = true
			}
		default:
			return
		}
		select {
		case w.changed <- struct{}{}:
		default:
		}
	})
	if err != nil {
		stop()
		return nil, fmt.Errorf("watch the uploads: %w", err)
	}
	return w, nil
}

func isUploadURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.HasSuffix(u.Path, "/upload")
}

// state returns how many uploads started and how many of them ended.
func (w *uploadWatch) state() (started, ended int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, done := range w.ids {
		started++
		if done {
			ended++
		}
	}
	return started, ended
}

// wait waits until the uploads the files caused have ended and the marked
// file input's component shows no upload in progress. A component that
// uploads nothing within uploadStart is taken as done.
func (w *uploadWatch) wait(ctx context.Context, mark string) error {
	start := time.NewTimer(uploadStart)
	defer start.Stop()
	for {
		started, ended := w.state()
		if started > 0 && started == ended {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the upload did not finish: %w", ctx.Err())
		case <-start.C:
			if started == 0 {
				return nil
			}
		case <-w.changed:
		}
	}
	// The component takes the server's answer in the next frames.
	for {
		if err := pause.For(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("the upload did not finish: %w", err)
		}
		busy, err := pageCall[bool](ctx, "uploading", map[string]string{"tok": mark})
		if err != nil {
			return err
		}
		if !busy {
			return nil
		}
	}
}
