package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// fill types the step's text into its textbox, replacing what the box
// holds; for submit it then presses Enter.
func fill(ctx context.Context, st Step) error {
	t, err := uiResolve(ctx, st, "textbox")
	if err != nil {
		return err
	}
	if err := typeInto(ctx, t.Mark, st.Text, false); err != nil {
		return err
	}
	if st.Verb == Submit {
		return chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter))
	}
	return nil
}

// set types the step's number into its number field or slider.
func set(ctx context.Context, st Step) error {
	t, err := uiResolve(ctx, st, "number")
	if err != nil {
		return err
	}
	return typeInto(ctx, t.Mark, st.Text, true)
}

// press presses the step's key or chord on the focused element.
func press(ctx context.Context, st Step) error {
	keys, mods, err := chord(st.Text)
	if err != nil {
		return err
	}
	return chromedp.Do(ctx, chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...)))
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
