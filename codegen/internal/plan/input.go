package plan

import (
	"fmt"
	"strings"

	"github.com/gradiorec/gradiorec/codegen/internal/value"
	"github.com/gradiorec/gradiorec/recording"
)

// args returns the arguments of rc: its named inputs, or when it has none,
// its recorded data without the inputs ep skips, named param_0, param_1...
func (b *builder) args(rc *recording.Call, ep *recording.Endpoint) ([]Arg, error) {
	if len(rc.Inputs) == 0 && len(rc.Data) > 0 {
		// No named inputs: take the raw data without the skipped slots.
		var out []Arg
		for i, raw := range rc.Data {
			if ep != nil && i < len(ep.Inputs) && ep.Inputs[i].Skip {
				continue
			}
			v, err := b.input(raw)
			if err != nil {
				return nil, fmt.Errorf("data %d: %w", i, err)
			}
			out = append(out, Arg{Name: fmt.Sprintf("param_%d", len(out)), Value: v})
		}
		return out, nil
	}
	out := make([]Arg, 0, len(rc.Inputs))
	for _, in := range rc.Inputs {
		v, err := b.input(in.Value)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", in.Name, err)
		}
		out = append(out, Arg{Name: in.Name, Value: v})
	}
	return out, nil
}

// slots returns the values of every input of ep as the queue takes them
// (see Call.Slots), or args when the schema does not fit the arguments.
func (b *builder) slots(rc *recording.Call, ep *recording.Endpoint, args []Arg) ([]value.Value, error) {
	if ep == nil {
		return values(args), nil
	}
	all := make([]value.Value, 0, len(ep.Inputs))
	k := 0
	for i, in := range ep.Inputs {
		if !in.Skip {
			if k >= len(args) {
				return values(args), nil
			}
			all = append(all, args[k].Value)
			k++
			continue
		}
		var v value.Value // null: the server holds a State's value
		if in.Type != "state" && i < len(rc.Data) {
			var err error
			if v, err = b.input(rc.Data[i]); err != nil {
				return nil, fmt.Errorf("data %d: %w", i, err)
			}
		}
		all = append(all, v)
	}
	if k != len(args) {
		return values(args), nil
	}
	return all, nil
}

// values returns the value of each of args.
func values(args []Arg) []value.Value {
	out := make([]value.Value, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

// input parses an input value, turns its FileData objects into files and
// its strings that hold named secrets into Secret values.
func (b *builder) input(raw []byte) (value.Value, error) {
	v, err := value.Parse(raw)
	if err != nil {
		return v, err
	}
	return b.withSecrets(b.withFiles(v)), nil
}

// withSecrets returns v with each string that holds a named secret's
// placeholder made a Secret value, noting the names, and notes the
// anonymous placeholder recording.Redacted. Object keys stay literal. It
// changes v's arrays and objects in place: v is a value input has just
// parsed, which nothing else holds.
func (b *builder) withSecrets(v value.Value) value.Value {
	switch v.Kind {
	case value.String:
		if strings.Contains(v.Text, recording.Redacted) {
			b.redacted = true
		}
		parts := recording.SplitSecrets(v.Text)
		if len(parts) == 1 && parts[0].Secret == "" {
			return v
		}
		out := value.Value{Kind: value.Secret}
		for _, part := range parts {
			if part.Secret != "" {
				b.secrets[part.Secret] = true
			}
			out.Parts = append(out.Parts, value.Part{Text: part.Text, Secret: part.Secret})
		}
		return out
	case value.Array:
		for i, it := range v.Items {
			v.Items[i] = b.withSecrets(it)
		}
	case value.Object:
		for i, f := range v.Fields {
			if strings.Contains(f.Key, recording.Redacted) {
				b.redacted = true
			}
			v.Fields[i].Value = b.withSecrets(f.Value)
		}
	}
	return v
}
