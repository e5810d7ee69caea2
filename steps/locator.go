package steps

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// LocatorKind says what a Locator's text is matched against.
type LocatorKind string

// The kinds of locator. A locator written without a kind (ByAny) is matched
// against labels first, then button texts, then placeholders.
const (
	ByAny         LocatorKind = ""
	ByLabel       LocatorKind = "label"       // a component's label
	ByText        LocatorKind = "text"        // a button's text (or aria-label); in wait, any text
	ByPlaceholder LocatorKind = "placeholder" // a textbox's placeholder
	ByID          LocatorKind = "id"          // a Gradio elem_id
	ByCSS         LocatorKind = "css"         // a CSS selector
)

var locatorKinds = []LocatorKind{ByLabel, ByText, ByPlaceholder, ByID, ByCSS}

// Locator names the element of the page a step acts on.
type Locator struct {
	Kind  LocatorKind
	Value string
}

// String returns the locator as a steps file writes it, e.g. "Submit" or
// "id=result".
func (l Locator) String() string {
	if l.Kind == ByAny {
		return l.Value
	}
	return string(l.Kind) + "=" + l.Value
}

// quoteTarget quotes a locator for a message.
func quoteTarget(l Locator) string { return strconv.Quote(l.String()) }

// parseLocator reads a target: "text", or "kind=text" for a known kind.
func parseLocator(s string) (Locator, error) {
	if kind, rest, ok := strings.Cut(s, "="); ok {
		k := LocatorKind(strings.TrimSpace(kind))
		if slices.Contains(locatorKinds, k) {
			rest = strings.TrimSpace(rest)
			if rest == "" {
				return Locator{}, fmt.Errorf("nothing after %s=", k)
			}
			if k == ByCSS && !validCSS(rest) {
				return Locator{}, fmt.Errorf("unbalanced brackets or quotes in the CSS selector")
			}
			return Locator{Kind: k, Value: rest}, nil
		}
	}
	return Locator{Value: s}, nil
}

// validCSS catches the selector typos that are visible without a browser:
// unbalanced brackets and quotes. The browser checks the rest.
func validCSS(s string) bool {
	var stack []rune
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '(':
			stack = append(stack, r)
		case r == ']' || r == ')':
			want := '['
			if r == ')' {
				want = '('
			}
			if len(stack) == 0 || stack[len(stack)-1] != want {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return quote == 0 && len(stack) == 0 && !escaped
}
