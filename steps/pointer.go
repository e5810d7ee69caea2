package steps

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradiorec/gradiorec/internal/pause"
)

// click clicks the step's target: a button, or the component a label,
// placeholder, id or CSS selector names.
func click(ctx context.Context, st Step) error {
	t, err := uiResolve(ctx, st, "click")
	if err != nil {
		return err
	}
	if err := clickMark(ctx, t.Mark); err != nil {
		return fmt.Errorf("click: %w", err)
	}
	return nil
}

// check ticks or unticks the step's checkbox, clicking it only when its
// state is not the wanted one.
func check(ctx context.Context, st Step) error {
	t, err := uiResolve(ctx, st, "checkbox")
	if err != nil {
		return err
	}
	if t.Checked == st.Checked {
		return nil
	}
	if err := clickMark(ctx, t.Mark); err != nil {
		return fmt.Errorf("click the checkbox: %w", err)
	}
	return waitValue(ctx, t.Mark, strconv.FormatBool(st.Checked), "the checkbox")
}

// clickMark clicks the marked element as a person would, at the centre of
// its box, once nothing covers it there: a click on a covered element goes
// to the cover, and the call it should start would be missing from the
// recording. Gradio's toasts over the element are closed; any other cover
// is waited for until ctx ends, and then named in an ErrCovered error.
func clickMark(ctx context.Context, mark string) error {
	var last clickPoint // where the target was last seen covered
	covered := func() error {
		return &targetError{kind: ErrCovered, msg: fmt.Sprintf("%s covers the target at (%.0f, %.0f) and did not go in time "+
			"(a click would reach it instead); close or remove it with a step before this one, "+
			"or give the step a longer timeout if it goes by itself", last.Cover, last.X, last.Y)}
	}
	for {
		p, err := pageCall[clickPoint](ctx, "point", map[string]any{"tok": mark, "close": true})
		if err != nil {
			if last.Cover != nil && ctx.Err() != nil {
				return covered() // the time ran out while asking again
			}
			return fmt.Errorf("find where to click: %w", err)
		}
		if p.Gone {
			return errors.New("the element went away (the page changed)")
		}
		if p.Cover == nil {
			return chromedp.Do(ctx, chromedp.MouseClickXY(p.X, p.Y))
		}
		last = p
		if err := pause.For(ctx, 100*time.Millisecond); err != nil {
			return covered()
		}
	}
}

// clickPoint is where a click on a marked element goes, and what covers
// it there.
type clickPoint struct {
	X      float64    `json:"x"`
	Y      float64    `json:"y"`
	Gone   bool       `json:"gone"`
	Closed int        `json:"closed"` // toasts closed
	Cover  *coverInfo `json:"cover"`
}

// coverInfo is the element a click would reach instead of its target.
type coverInfo struct {
	Tag       string `json:"tag"`
	ID        string `json:"id"`
	Class     string `json:"cls"`
	Text      string `json:"text"`
	Toast     bool   `json:"toast"`
	Offscreen bool   `json:"offscreen"`
}

// String names the cover for a message, every part of it from the page
// escaped: <div id="…" class="…"> showing "…", and whether it is a toast.
func (c *coverInfo) String() string {
	if c.Offscreen {
		return "the edge of the window (the target's centre is outside it)"
	}
	tag := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, c.Tag)
	s := "<" + tag
	if c.ID != "" {
		s += " id=" + strconv.Quote(c.ID)
	}
	if c.Class != "" {
		s += " class=" + strconv.Quote(c.Class)
	}
	s += ">"
	if c.Text != "" {
		s += " showing " + strconv.Quote(c.Text)
	}
	if c.Toast {
		s += " (a Gradio toast that would not close)"
	}
	return s
}
