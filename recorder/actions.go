package recorder

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Errors a step can fail with, for errors.Is.
var (
	// ErrNoTarget is a step whose target is not on the page (within the
	// step's timeout). Its message lists the labels, buttons and
	// placeholders that are.
	ErrNoTarget = errors.New("no element matches the target")
	// ErrAmbiguousTarget is a step whose target matches more than one
	// element. Its message lists them.
	ErrAmbiguousTarget = errors.New("the target matches more than one element")
	// ErrCovered is a click whose target stayed covered by another element
	// (an overlay, a dialog) for the step's timeout: the click would go to
	// the cover. Its message names the cover.
	ErrCovered = errors.New("another element covers the target")
)

// StepError is a step that failed while running.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string {
	line := ""
	if e.Step.Line > 0 {
		line = fmt.Sprintf("line %d, ", e.Step.Line)
	}
	return fmt.Sprintf("step %d (%s%s): %v", e.Step.N, line, e.Step, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// Run performs the steps in order in the page of ctx, a chromedp context of
// a tab that shows the Gradio app, and stops at the first step that fails,
// with a *StepError.
//
// waitIdle waits until the app has no call in flight; Run calls it after
// every click, submit and press (unless the step says idle: false) and for
// "wait: idle". If it is nil, Run watches the page instead: it waits until no
// component shows a progress or pending status, which misses calls whose
// outputs hide their progress.
func (s Steps) Run(ctx context.Context, waitIdle func(context.Context) error) error {
	if len(s) > 0 {
		if err := waitAppReady(ctx, s[0].Timeout); err != nil {
			return &StepError{Step: s[0], Err: err}
		}
	}
	for _, st := range s {
		if err := st.Run(ctx, waitIdle); err != nil {
			return err
		}
	}
	return nil
}

// Run performs one step in the page of ctx, as Steps.Run does, within the
// step's timeout. It fails with a *StepError.
func (st Step) Run(ctx context.Context, waitIdle func(context.Context) error) error {
	limit := st.Timeout
	if st.Delay > 0 {
		limit += st.Delay
	}
	sctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err := st.perform(sctx, waitIdle)
	if err == nil && st.Idle {
		err = stepIdle(sctx, waitIdle)
	}
	if err == nil {
		return nil
	}
	if ctx.Err() == nil && errors.Is(sctx.Err(), context.DeadlineExceeded) && !errors.Is(err, ErrNoTarget) && !errors.Is(err, ErrCovered) {
		err = fmt.Errorf("timed out after %s: %w", limit, err)
	}
	return &StepError{Step: st, Err: err}
}

// stepIdle waits until the app is idle, with waitIdle or by watching the page.
func stepIdle(ctx context.Context, waitIdle func(context.Context) error) error {
	if waitIdle != nil {
		if err := waitIdle(ctx); err != nil {
			return fmt.Errorf("wait for idle: %w", err)
		}
		return nil
	}
	// Give the click's call time to start and show its status.
	if err := stepSleep(ctx, 300*time.Millisecond); err != nil {
		return fmt.Errorf("wait for idle: %w", err)
	}
	busy := "the page does not answer"
	for quiet := 0; quiet < 3; {
		// A page that does not answer (it navigates after a login) is busy.
		b, err := pageCall[string](ctx, "busy", nil)
		switch {
		case err != nil:
			quiet = 0
		case b != "":
			quiet, busy = 0, b
		default:
			quiet++
		}
		if err := stepSleep(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("wait for idle: %s: %w", busy, err)
		}
	}
	return nil
}

func (st Step) perform(ctx context.Context, waitIdle func(context.Context) error) error {
	switch st.Action {
	case ActionFill, ActionSubmit:
		t, err := uiResolve(ctx, st, "textbox")
		if err != nil {
			return err
		}
		if err := typeInto(ctx, t.Mark, st.Text, false); err != nil {
			return err
		}
		if st.Action == ActionSubmit {
			return chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter))
		}
		return nil
	case ActionSet:
		t, err := uiResolve(ctx, st, "number")
		if err != nil {
			return err
		}
		return typeInto(ctx, t.Mark, st.Text, true)
	case ActionSelect:
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
	case ActionCheck:
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
	case ActionUpload:
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
	case ActionClick:
		t, err := uiResolve(ctx, st, "click")
		if err != nil {
			return err
		}
		if err := clickMark(ctx, t.Mark); err != nil {
			return fmt.Errorf("click: %w", err)
		}
		return nil
	case ActionPress:
		keys, mods, err := chord(st.Text)
		if err != nil {
			return err
		}
		return chromedp.Do(ctx, chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...)))
	case ActionWait:
		switch {
		case st.Delay > 0:
			return stepSleep(ctx, st.Delay)
		case st.Target == (Locator{}):
			return stepIdle(ctx, waitIdle)
		case st.Target.Kind == ByText:
			return waitText(ctx, st.Target.Value)
		default:
			_, err := uiResolve(ctx, st, "present")
			return err
		}
	}
	return fmt.Errorf("unknown action %q", st.Action)
}

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
		if err := stepSleep(ctx, 100*time.Millisecond); err != nil {
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

func quoteTarget(l Locator) string { return strconv.Quote(l.String()) }

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
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
		if err := stepSleep(ctx, 100*time.Millisecond); err != nil {
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

// typeInto replaces the content of the marked field with text, as typing
// would: it focuses the field, selects its content and inserts the text
// (Input.insertText fires the beforeinput and input events that Svelte's
// bindings listen to). A number is checked numerically.
func typeInto(ctx context.Context, mark, text string, number bool) error {
	for attempt := 0; ; attempt++ {
		ok, err := pageCall[bool](ctx, "focus", map[string]string{"tok": mark})
		if err != nil {
			return fmt.Errorf("focus: %w", err)
		}
		if !ok {
			return errors.New("the field cannot take the focus")
		}
		if attempt > 0 {
			// select() does nothing on some inputs; select all as the
			// keyboard does.
			if err := chromedp.Do(ctx, selectAll); err != nil {
				return err
			}
		}
		if text == "" {
			err = chromedp.Do(ctx, chromedp.KeyEvent(kb.Delete))
		} else {
			_, err = chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
		}
		if err != nil {
			return fmt.Errorf("type: %w", err)
		}
		got, err := markValue(ctx, mark)
		if err != nil {
			return err
		}
		if got == text || number && sameNumber(got, text) {
			return nil
		}
		if attempt > 0 {
			return fmt.Errorf("typed %q, but the field shows %q", text, got)
		}
	}
}

// selectAll presses Ctrl+A with the selectAll editing command, which
// headless Chromium does not derive from the key itself.
var selectAll = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: typ, Key: "a", Code: "KeyA", WindowsVirtualKeyCode: 65,
			Modifiers: int64(chromedp.ModifierCtrl)}
		if typ == input.DispatchKeyEventTypeRawKeyDown {
			p.Commands = []string{"selectAll"}
		}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			return err
		}
	}
	return nil
})

// valueMatches reports whether a component's value is the wanted one:
// the same text but for surrounding space, or the same number.
func valueMatches(got, want string) bool {
	return strings.TrimSpace(got) == strings.TrimSpace(want) || sameNumber(got, want)
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return err1 == nil && err2 == nil && x == y
}

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
		if err := stepSleep(ctx, 50*time.Millisecond); err != nil {
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
			if err := stepSleep(ctx, 50*time.Millisecond); err != nil {
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
		if err := stepSleep(ctx, 50*time.Millisecond); err != nil {
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
		if err := stepSleep(octx, 50*time.Millisecond); err != nil {
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

// waitValue waits until the marked control's value is want.
func waitValue(ctx context.Context, mark, want, what string) error {
	var got string
	for {
		var err error
		got, err = markValue(ctx, mark)
		if err != nil {
			return err
		}
		if got == want || looseEqual(got, want) {
			return nil
		}
		if err := stepSleep(ctx, 50*time.Millisecond); err != nil {
			return fmt.Errorf("%s shows %q, want %q", what, got, want)
		}
	}
}

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
		if err := stepSleep(ctx, 100*time.Millisecond); err != nil {
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

// optionWait is how long a dropdown may take to list the option typed.
const optionWait = 2 * time.Second

// uploadStart is how long an upload may take to start after a file input
// got its files.
const uploadStart = 5 * time.Second

// waitText waits until text shows on the page, in its text or its fields.
func waitText(ctx context.Context, text string) error {
	for {
		ok, err := pageCall[bool](ctx, "text", map[string]string{"text": text})
		if err == nil && ok {
			return nil
		}
		if err := stepSleep(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("the text %q did not show", text)
		}
	}
}

// waitAppReady waits until the page shows the rendered Gradio app.
func waitAppReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		ok, err := pageCall[bool](ctx, "ready", nil)
		if err == nil && ok {
			return nil
		}
		if err := stepSleep(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("the page shows no Gradio app after %s", limit)
		}
	}
}

//go:embed actions.js
var actionsJS string

// pageCall runs an operation of actions.js in the page and decodes its
// result.
func pageCall[T any](ctx context.Context, op string, arg any) (T, error) {
	a, err := json.Marshal(arg)
	if err != nil {
		var zero T
		return zero, err
	}
	o, _ := json.Marshal(op)
	return chromedp.Run(ctx, chromedp.Evaluate[T]("("+actionsJS+")("+string(o)+", "+string(a)+")"))
}

func markSel(mark string) chromedp.CSS {
	return chromedp.CSS(`[data-gradiorec="` + mark + `"]`)
}

func stepSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// keyAliases are key names people write that chromedp's kb package names
// otherwise.
var keyAliases = map[string]string{
	"space": " ", "spacebar": " ", "esc": "Escape", "return": "Enter", "del": "Delete",
	"up": "ArrowUp", "down": "ArrowDown", "left": "ArrowLeft", "right": "ArrowRight",
}

var modifierNames = map[string]chromedp.Modifier{
	"shift": chromedp.ModifierShift, "control": chromedp.ModifierCtrl, "ctrl": chromedp.ModifierCtrl,
	"alt": chromedp.ModifierAlt, "option": chromedp.ModifierAlt,
	"meta": chromedp.ModifierMeta, "cmd": chromedp.ModifierMeta, "command": chromedp.ModifierMeta,
}

var modifierOrder = []struct {
	name string
	mod  chromedp.Modifier
}{{"Control", chromedp.ModifierCtrl}, {"Alt", chromedp.ModifierAlt}, {"Meta", chromedp.ModifierMeta}, {"Shift", chromedp.ModifierShift}}

// keyRune returns the kb rune of a key name ("Enter", "ArrowDown", "F5",
// "Space") or of a single character.
func keyRune(name string) (rune, bool) {
	if utf8.RuneCountInString(name) == 1 {
		r, _ := utf8.DecodeRuneInString(name)
		return r, true
	}
	if a, ok := keyAliases[strings.ToLower(name)]; ok {
		name = a
		if utf8.RuneCountInString(name) == 1 {
			r, _ := utf8.DecodeRuneInString(name)
			return r, true
		}
	}
	for r, k := range kb.Keys {
		if utf8.RuneCountInString(k.Key) > 1 && strings.EqualFold(k.Key, name) && k.Key != "Unidentified" {
			return r, true
		}
	}
	return 0, false
}

// parseChord checks a key or chord ("Enter", "Shift+Tab", "Control+a") and
// returns it in canonical form.
func parseChord(s string) (string, error) {
	parts := strings.Split(s, "+")
	if strings.HasSuffix(s, "++") || s == "+" { // the + key itself
		parts = append(parts[:len(parts)-2], "+")
	}
	key := strings.TrimSpace(parts[len(parts)-1])
	var mods chromedp.Modifier
	for _, m := range parts[:len(parts)-1] {
		mod, ok := modifierNames[strings.ToLower(strings.TrimSpace(m))]
		if !ok {
			return "", fmt.Errorf("unknown modifier %q (want Shift, Control, Alt or Meta)", strings.TrimSpace(m))
		}
		mods |= mod
	}
	r, ok := keyRune(key)
	if !ok {
		return "", fmt.Errorf("unknown key %q (want a character or a key name such as Enter, Tab, Escape, Backspace, ArrowDown, F5)", key)
	}
	name := string(r)
	if k, ok := kb.Keys[r]; ok && utf8.RuneCountInString(k.Key) > 1 {
		name = k.Key
	} else if r == ' ' {
		name = "Space"
	}
	var b strings.Builder
	for _, m := range modifierOrder {
		if mods&m.mod != 0 {
			b.WriteString(m.name + "+")
		}
	}
	b.WriteString(name)
	return b.String(), nil
}

// chord turns a canonical chord into the rune and modifiers of a key event.
func chord(s string) (string, []chromedp.Modifier, error) {
	c, err := parseChord(s)
	if err != nil {
		return "", nil, err
	}
	parts := strings.Split(c, "+")
	if strings.HasSuffix(c, "++") || c == "+" {
		parts = append(parts[:len(parts)-2], "+")
	}
	var mods []chromedp.Modifier
	for _, m := range parts[:len(parts)-1] {
		mods = append(mods, modifierNames[strings.ToLower(m)])
	}
	r, _ := keyRune(parts[len(parts)-1])
	return string(r), mods, nil
}
