package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/gradiorec/gradiorec/internal/pause"
)

// choose picks the step's choices in its dropdown, radio or checkbox
// group.
func choose(ctx context.Context, st Step) error {
	t, err := uiResolve(ctx, st, "choice")
	if err != nil {
		return err
	}
	switch t.Kind {
	case "radio", "group":
		return selectBoxes(ctx, t, st.Choices)
	default:
		return selectDropdown(ctx, t.Mark, st.Choices)
	}
}

// optionWait is how long a dropdown may take to list the option typed.
const optionWait = 2 * time.Second

type uiChoice struct {
	Text    string `json:"text"`
	Value   string `json:"value"`
	Checked bool   `json:"checked"`
	Mark    string `json:"mark"`
}

// pickChoice returns the index of the option that want names: by its text,
// then its value, then loosely (case, emoji).
func pickChoice(opts []uiChoice, want string) int {
	for _, eq := range []func(uiChoice) bool{
		func(c uiChoice) bool { return c.Text == want },
		func(c uiChoice) bool { return c.Value != "" && c.Value == want },
		func(c uiChoice) bool { return looseEqual(c.Text, want) },
	} {
		for i, c := range opts {
			if eq(c) {
				return i
			}
		}
	}
	return -1
}

func looseEqual(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

func choiceTexts(opts []uiChoice) []string {
	var s []string
	for _, c := range opts {
		s = append(s, c.Text)
	}
	return s
}

// selectBoxes picks the choice of a radio group, or makes exactly the
// given choices checked in a checkbox group, by clicking their labels.
func selectBoxes(ctx context.Context, t uiTarget, want []string) error {
	if t.Kind == "radio" && len(want) != 1 {
		return fmt.Errorf("a radio group takes one choice, got %d", len(want))
	}
	opts, err := pageCall[[]uiChoice](ctx, "choices", map[string]string{"tok": t.Mark, "kind": t.Kind})
	if err != nil {
		return err
	}
	wanted := make([]bool, len(opts))
	for _, w := range want {
		i := pickChoice(opts, w)
		if i < 0 {
			return fmt.Errorf("no choice %q; the choices are %s", w, quoteList(choiceTexts(opts)))
		}
		wanted[i] = true
	}
	for i, c := range opts {
		if c.Checked == wanted[i] || t.Kind == "radio" && !wanted[i] {
			continue
		}
		if err := clickMark(ctx, c.Mark); err != nil {
			return fmt.Errorf("click choice %q: %w", c.Text, err)
		}
	}
	// Check the outcome: Svelte updates the inputs when it has the value.
	for {
		now, err := pageCall[[]uiChoice](ctx, "choices", map[string]string{"tok": t.Mark, "kind": t.Kind})
		if err != nil {
			return err
		}
		done := len(now) == len(opts)
		for i := range now {
			if i < len(wanted) && now[i].Checked != wanted[i] {
				done = false
			}
		}
		if done {
			return nil
		}
		if err := pause.For(ctx, 50*time.Millisecond); err != nil {
			return fmt.Errorf("the choices did not change: %w", err)
		}
	}
}

// selectDropdown picks choices in a dropdown as a person does: click it,
// type the choice to filter the list and click the option. For a
// multiselect dropdown it first removes the chosen values not wanted.
func selectDropdown(ctx context.Context, mark string, want []string) error {
	tokens, err := pageCall[[]uiChoice](ctx, "tokens", map[string]string{"tok": mark})
	if err != nil {
		return err
	}
	multi := len(tokens) > 0 || len(want) != 1
	// Remove the values not wanted, one at a time: the list re-renders.
	for multi {
		i := slices.IndexFunc(tokens, func(tok uiChoice) bool { return !containsLoose(want, tok.Text) })
		if i < 0 {
			break
		}
		tok := tokens[i]
		if tok.Mark == "" {
			return fmt.Errorf("cannot remove %q: its remove button is missing", tok.Text)
		}
		if err := clickMark(ctx, tok.Mark); err != nil {
			return fmt.Errorf("remove %q: %w", tok.Text, err)
		}
		for {
			now, err := pageCall[[]uiChoice](ctx, "tokens", map[string]string{"tok": mark})
			if err != nil {
				return err
			}
			if len(now) < len(tokens) {
				tokens = now
				break
			}
			if err := pause.For(ctx, 50*time.Millisecond); err != nil {
				return fmt.Errorf("remove %q: it stays: %w", tok.Text, err)
			}
		}
	}
	var picked []string
	for _, w := range want {
		if multi && containsLoose(choiceTexts(tokens), w) {
			picked = append(picked, w)
			continue
		}
		text, err := pickOption(ctx, mark, w)
		if err != nil {
			return err
		}
		picked = append(picked, text)
	}
	// Close the list as a person would, by leaving the field.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		return err
	}
	if _, err := pageCall[bool](ctx, "blur", map[string]string{"tok": mark}); err != nil {
		return err
	}
	if !multi {
		return waitValue(ctx, mark, picked[0], "the dropdown")
	}
	for {
		now, err := pageCall[[]uiChoice](ctx, "tokens", map[string]string{"tok": mark})
		if err != nil {
			return err
		}
		got := choiceTexts(now)
		done := len(got) == len(picked)
		for _, p := range picked {
			done = done && containsLoose(got, p)
		}
		if done {
			return nil
		}
		if err := pause.For(ctx, 50*time.Millisecond); err != nil {
			return fmt.Errorf("the dropdown shows %s, want %s", quoteList(got), quoteList(picked))
		}
	}
}

func containsLoose(list []string, s string) bool {
	for _, x := range list {
		if x == s || looseEqual(x, s) {
			return true
		}
	}
	return false
}

// pickOption opens the dropdown, filters it with the choice and clicks the
// matching option. It returns the option's text.
func pickOption(ctx context.Context, mark, want string) (string, error) {
	if err := clickMark(ctx, mark); err != nil {
		return "", fmt.Errorf("open the dropdown: %w", err)
	}
	if _, err := pageCall[bool](ctx, "focus", map[string]string{"tok": mark}); err != nil {
		return "", err
	}
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: want}); err != nil {
		return "", fmt.Errorf("type the choice: %w", err)
	}
	// The list filters as the choice is typed; give it optionWait.
	octx, cancel := context.WithTimeout(ctx, optionWait)
	defer cancel()
	var opts []uiChoice
	for {
		o, err := pageCall[[]uiChoice](octx, "options", map[string]string{"tok": mark})
		if err == nil {
			opts = o
		}
		if i := pickChoice(opts, want); i >= 0 {
			if err := clickMark(ctx, opts[i].Mark); err != nil {
				return "", fmt.Errorf("click option %q: %w", want, err)
			}
			return opts[i].Text, nil
		}
		if err := pause.For(octx, 50*time.Millisecond); err != nil {
			break
		}
	}
	// Show every option in the message: clear the filter.
	all := opts
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), optionWait)
	defer cancel()
	if _, err := pageCall[bool](mctx, "focus", map[string]string{"tok": mark}); err == nil {
		if chromedp.Do(mctx, chromedp.KeyEvent(kb.Delete)) == nil {
			if o, err := pageCall[[]uiChoice](mctx, "options", map[string]string{"tok": mark}); err == nil && len(o) > 0 {
				all = o
			}
		}
	}
	if len(all) == 0 {
		return "", fmt.Errorf("no choice %q: the dropdown shows no options", want)
	}
	return "", fmt.Errorf("no choice %q; the choices are %s", want, quoteList(choiceTexts(all)))
}
