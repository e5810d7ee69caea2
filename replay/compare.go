package replay

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gradiorec/gradiorec/internal/edit"
)

// Diff is one difference between a recorded output and the live one.
type Diff struct {
	// Path is a JSON Pointer into the call's outputs ("/0" is the first
	// output), prefixed by the update for a generator's intermediate
	// outputs ("update 3: /0").
	Path string `json:"path"`
	// Want is the recorded value and Got the live one, as short JSON.
	Want string `json:"want"`
	Got  string `json:"got"`
	// Note says why they differ when the values alone do not show it
	// ("content hash differs", "similarity 0.62 < 0.90").
	Note string `json:"note,omitempty"`
}

func (d Diff) String() string {
	s := fmt.Sprintf("%s: want %s, got %s", d.Path, d.Want, d.Got)
	if d.Note != "" {
		s += " (" + d.Note + ")"
	}
	return s
}

// comparer compares the decoded JSON of one call's outputs: recorded values
// (want) against live ones (got), both decoded with json.Number, and files
// as fileValue on both sides.
type comparer struct {
	rules []Rule // the rules that apply to this call
	diffs []Diff
	where string // "" or "update 3: "
	files func(want, got fileValue, r Rule) (note string, err error)
	err   error // a file that could not be read: the comparison is not a verdict
}

// compare appends to c.diffs every difference under the JSON Pointer ptr.
func (c *comparer) compare(ptr string, want, got any) {
	r := c.rule(ptr)
	if r.Match == MatchIgnore {
		return
	}
	switch w := want.(type) {
	case fileValue:
		g, ok := got.(fileValue)
		if !ok {
			c.add(ptr, want, got, "want a file")
			return
		}
		note, err := c.files(w, g, r)
		if err != nil {
			c.err = err
			return
		}
		if note != "" {
			c.add(ptr, want, got, note)
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			c.add(ptr, want, got, "")
			return
		}
		for _, k := range unionKeys(w, g) {
			p := ptr + "/" + escapePointer(k)
			wv, inW := w[k]
			gv, inG := g[k]
			switch {
			case !inG:
				if c.rule(p).Match != MatchIgnore {
					c.diffs = append(c.diffs, Diff{Path: c.where + p, Want: show(wv), Got: "(missing)"})
				}
			case !inW:
				if c.rule(p).Match != MatchIgnore {
					c.diffs = append(c.diffs, Diff{Path: c.where + p, Want: "(missing)", Got: show(gv)})
				}
			default:
				c.compare(p, wv, gv)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			c.add(ptr, want, got, "")
			return
		}
		if len(w) != len(g) {
			c.add(ptr, want, got, fmt.Sprintf("%d items, want %d", len(g), len(w)))
			return
		}
		for i := range w {
			c.compare(ptr+"/"+strconv.Itoa(i), w[i], g[i])
		}
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			c.add(ptr, want, got, "")
			return
		}
		if note, same := sameNumber(w, g, r); !same {
			c.add(ptr, want, got, note)
		}
	case string:
		g, ok := got.(string)
		if !ok {
			c.add(ptr, want, got, "")
			return
		}
		if note, same := sameText(w, g, r); !same {
			c.add(ptr, want, got, note)
		}
	default: // bool, nil
		if want != got {
			c.add(ptr, want, got, "")
		}
	}
}

func (c *comparer) add(ptr string, want, got any, note string) {
	c.diffs = append(c.diffs, Diff{Path: c.where + ptr, Want: show(want), Got: show(got), Note: note})
}

// rule returns the most specific rule for ptr: the one with the longest
// path that is ptr or one of its ancestors. Without one, values match
// exactly.
func (c *comparer) rule(ptr string) Rule {
	best, found := Rule{Match: MatchExact}, -1
	for _, r := range c.rules {
		if r.Match != MatchFinal && covers(r.Path, ptr) && len(r.Path) >= found { // MatchFinal is about updates, not values
			best, found = r, len(r.Path)
		}
	}
	return best
}

// covers reports whether the pointer ptr is at or under the pointer path
// ("" covers everything).
func covers(path, ptr string) bool {
	return path == "" || ptr == path || strings.HasPrefix(ptr, path+"/")
}

// sameNumber compares two JSON numbers exactly, or within the rule's
// tolerance (absolute, or relative to the recorded value, whichever is
// larger).
func sameNumber(want, got json.Number, r Rule) (string, bool) {
	if want == got {
		return "", true
	}
	w, err1 := strconv.ParseFloat(string(want), 64)
	g, err2 := strconv.ParseFloat(string(got), 64)
	if err1 != nil || err2 != nil {
		return "", false
	}
	if w == g {
		return "", true // 2 and 2.0
	}
	if r.Match != MatchNumeric {
		return "", false
	}
	tol := max(r.Tolerance, r.Relative*math.Abs(w))
	if d := math.Abs(w - g); d <= tol {
		return "", true
	} else {
		return fmt.Sprintf("off by %.3g, tolerance %.3g", d, tol), false
	}
}

// sameText compares two strings exactly, or by similarity for MatchText.
func sameText(want, got string, r Rule) (string, bool) {
	if want == got {
		return "", true
	}
	if r.Match != MatchText {
		return "", false
	}
	s := similarity(want, got)
	if s >= r.Similarity {
		return "", true
	}
	return fmt.Sprintf("similarity %.2f < %.2f", s, r.Similarity), false
}

// similarity is 1 minus the Levenshtein distance between a and b (in
// runes) over the longer one's length: 1 for equal texts, 0 for texts with
// nothing in common.
func similarity(a, b string) float64 {
	n := max(utf8.RuneCountInString(a), utf8.RuneCountInString(b))
	if n == 0 {
		return 1
	}
	return 1 - float64(edit.Distance(a, b))/float64(n)
}

func unionKeys(a, b map[string]any) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// escapePointer escapes a key for a JSON Pointer (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// maxShown is how much of a value a Diff shows.
const maxShown = 120

// show renders a value as short JSON for a Diff.
func show(v any) string {
	var s string
	switch t := v.(type) {
	case fileValue:
		s = t.String()
	default:
		b, err := json.Marshal(v)
		if err != nil {
			s = fmt.Sprint(v)
		} else {
			s = string(b)
		}
	}
	if len(s) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}
