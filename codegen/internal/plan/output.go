package plan

import (
	"fmt"
	"slices"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
)

// Check says how an output is verified.
type Check int

// The ways to check an output.
const (
	Equal    Check = iota // the value equals the recorded one
	FileHash              // the file's SHA-256 equals the recorded one
	Skipped               // not checked (Reason says why)
)

// Output is what a call's output is checked against.
type Output struct {
	Name   string      // how a failure names it: "output 0 (result)", with the label /info gives
	Value  value.Value // the expected value: the recorded one, with null at each Masked path
	Check  Check
	SHA256 string // FileHash: the expected hash
	Reason string // Skipped: why
	Masked []Path // Equal: the parts that are not compared (masked in the recording)
	Raw    []byte // the recorded JSON text
}

// output returns how output i of c, recorded as raw, is checked.
func (b *builder) output(c *Call, i int, raw []byte) (Output, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return Output{}, err
	}
	o := Output{Name: outputName(c, i), Value: v, Raw: raw}
	whole, parts := b.masks(c, i)
	if whole != "" {
		o.Check, o.Reason = Skipped, "masked at "+whole
		return o, nil
	}
	if !b.p.Opts.Trace && uiUpdate(v) {
		// How the page shows a component, which a Gradio upgrade changes.
		o.Check, o.Reason = Skipped, "an update of how the page shows it, without a value"
		return o, nil
	}
	if IsFileData(v) {
		fx, _ := v.Get("fixture")
		if f := b.files[fx.Str()]; f != nil && f.SHA256 != "" {
			o.Check, o.SHA256 = FileHash, f.SHA256
			return o, nil
		}
		o.Check, o.Reason = Skipped, "a file whose bytes were not recorded"
		return o, nil
	}
	if hasFileData(v) {
		o.Check, o.Reason = Skipped, "holds files, whose paths differ between runs"
		return o, nil
	}
	for _, ptr := range parts {
		if p, ok := resolve(o.Value, ptr); ok && !slices.ContainsFunc(o.Masked, func(q Path) bool { return slices.Equal(p, q) }) {
			o.Value = setNull(o.Value, p)
			o.Masked = append(o.Masked, p)
		}
	}
	return o, nil
}

// uiUpdate reports whether v is a component update without a value:
// {"__type__": "update", "interactive": false}.
func uiUpdate(v value.Value) bool {
	t, _ := v.Get("__type__")
	_, hasValue := v.Get("value")
	return v.Kind == value.Object && t.Str() == "update" && !hasValue
}

// outputName names output i of c for failure messages: "output 0", with the
// label of the return value in the recorded schema when there is one.
func outputName(c *Call, i int) string {
	name := fmt.Sprintf("output %d", i)
	if c.Endpoint != nil && i < len(c.Endpoint.Returns) && c.Endpoint.Returns[i].Label != "" {
		name += " (" + Text(c.Endpoint.Returns[i].Label, 40) + ")"
	}
	return name
}

// hasFileData reports whether v is or holds a FileData object.
func hasFileData(v value.Value) bool {
	if IsFileData(v) {
		return true
	}
	for _, it := range v.Items {
		if hasFileData(it) {
			return true
		}
	}
	for _, f := range v.Fields {
		if hasFileData(f.Value) {
			return true
		}
	}
	return false
}
