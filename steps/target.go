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

// uiTarget is an element that uiResolve found and marked.
type uiTarget struct {
	Mark    string `json:"mark"`
	Kind    string `json:"kind"`    // the control: textarea, input, range, radio, group, dropdown, checkbox, file
	What    string `json:"what"`    // how it matched: label, button, placeholder, id, css
	Checked bool   `json:"checked"` // a checkbox's state
	Value   string `json:"value"`   // with need "present" and a wanted value: the value now

	Problem    string       `json:"problem"` // missing, ambiguous, unsuitable, invalid
	Message    string       `json:"message"`
	Matches    []string     `json:"matches"`
	Candidates uiCandidates `json:"candidates"`
}

type uiCandidates struct {
	Labels       []string `json:"labels"`
	Buttons      []string `json:"buttons"`
	Placeholders []string `json:"placeholders"`
}

// uiResolve finds the step's target on the page, waiting for it to appear
// until ctx ends, and marks the element to act on (need says which:
// textbox, number, choice, checkbox, file, click, present).
func uiResolve(ctx context.Context, st Step, need string) (uiTarget, error) {
	arg := map[string]any{"kind": st.Target.Kind, "text": st.Target.Value, "need": need, "value": st.Expect}
	var last uiTarget
	var lastErr error
	for {
		t, err := pageCall[uiTarget](ctx, "resolve", arg)
		switch {
		case err != nil:
			// The page may be navigating (after a login) or too busy to
			// answer in time; try again.
			lastErr = err
		case t.Problem == "ambiguous":
			return t, &targetError{kind: ErrAmbiguousTarget, msg: fmt.Sprintf("%s matches %d elements: %s; tell them apart with id=… or css=…",
				quoteTarget(st.Target), len(t.Matches), strings.Join(t.Matches, ", "))}
		case t.Problem == "unsuitable":
			return t, fmt.Errorf("%s matches a %s, but %s", quoteTarget(st.Target), t.What, t.Message)
		case t.Problem == "invalid":
			return t, fmt.Errorf("%s: %s", quoteTarget(st.Target), t.Message)
		case t.Problem == "missing":
			last, lastErr = t, nil
		case st.Expect && !valueMatches(t.Value, st.Text):
			last, lastErr = t, nil
		default:
			return t, nil
		}
		if err := pause.For(ctx, 100*time.Millisecond); err != nil {
			switch {
			case last.Problem == "missing":
				return last, missingError(st.Target, last.Candidates)
			case last.Mark != "":
				return last, fmt.Errorf("%s shows %q, want %q", quoteTarget(st.Target), last.Value, st.Text)
			case lastErr != nil:
				return last, fmt.Errorf("find %s: %w", quoteTarget(st.Target), lastErr)
			default:
				return last, fmt.Errorf("find %s: %w", quoteTarget(st.Target), err)
			}
		}
	}
}

// targetError is a missing or ambiguous target; errors.Is matches its kind.
type targetError struct {
	kind error
	msg  string
}

func (e *targetError) Error() string          { return e.msg }
func (e *targetError) Is(uiTarget error) bool { return uiTarget == e.kind }

func missingError(l Locator, c uiCandidates) error {
	var what string
	switch l.Kind {
	case ByAny:
		what = "no label, button or placeholder matches"
	case ByLabel:
		what = "no label matches"
	case ByText:
		what = "no button matches"
	case ByPlaceholder:
		what = "no placeholder matches"
	case ByID:
		what = "no visible element has the id"
	case ByCSS:
		what = "no visible element matches"
	}
	msg := fmt.Sprintf("%s %s", what, strconv.Quote(l.Value))
	var parts []string
	for _, p := range []struct {
		name string
		list []string
	}{{"buttons on the page", c.Buttons}, {"labels", c.Labels}, {"placeholders", c.Placeholders}} {
		if len(p.list) > 0 {
			parts = append(parts, p.name+": "+quoteList(p.list))
		}
	}
	if len(parts) == 0 {
		msg += "; the page shows no labels, buttons or placeholders (is the app loaded?)"
	} else {
		msg += "; " + strings.Join(parts, "; ")
	}
	return &targetError{kind: ErrNoTarget, msg: msg}
}

// quoteList quotes each text of list for a message.
func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// markSel selects the element page.js marked mark.
func markSel(mark string) chromedp.CSS {
	return chromedp.CSS(`[data-gradiorec="` + mark + `"]`)
}

// markValue reads the value of the marked element's component.
func markValue(ctx context.Context, mark string) (string, error) {
	v, err := pageCall[struct {
		OK    bool   `json:"ok"`
		Value string `json:"value"`
	}](ctx, "value", map[string]string{"tok": mark})
	if err != nil {
		return "", err
	}
	if !v.OK {
		return "", errors.New("the element went away (the page changed)")
	}
	return v.Value, nil
}

// Value returns the value of the component that target names in the page
// of ctx, as a wait step with a value reads it: a textbox's or dropdown's
// text, "true" or "false" for a checkbox, a radio group's choice, the
// choices of a checkbox group or multiselect dropdown joined with ", ",
// the text anything else shows (JSON, Markdown, a chat). target is written
// as in a steps file ("Result", "id=result", "label=Summary"). Value waits
// for the target to show until ctx ends; a target that does not is an
// ErrNoTarget error, one that matches more than one element an
// ErrAmbiguousTarget error.
func Value(ctx context.Context, target string) (string, error) {
	loc, err := parseLocator(target)
	if err != nil {
		return "", fmt.Errorf("%s: %w", strconv.Quote(target), err)
	}
	t, err := uiResolve(ctx, Step{Target: loc}, "present")
	if err != nil {
		return "", err
	}
	return markValue(ctx, t.Mark)
}
