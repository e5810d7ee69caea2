package gradio

import (
	"testing"
)

func TestPyRepr(t *testing.T) {
	for _, tc := range []struct {
		json, want string
	}{
		{`1`, "1"}, {`-0`, "0"}, {`1.0`, "1.0"}, {`1.5`, "1.5"}, {`1e20`, "1e+20"}, {`1e16`, "1e+16"},
		{`123456789012345.6`, "123456789012345.6"}, {`0.0001`, "0.0001"}, {`0.00001`, "1e-05"}, {`-2.5e-7`, "-2.5e-07"},
		{`100000.0`, "100000.0"}, {`null`, "None"}, {`true`, "True"}, {`"a'b"`, `"a'b"`}, {`"a'b\""`, `'a\'b"'`},
		{`"tab\tnl\n"`, `'tab\tnl\n'`}, {`[1, "x", null]`, `[1, 'x', None]`}, {`{"b": 1, "a": [false]}`, `{'b': 1, 'a': [False]}`},
	} {
		v, err := parseOrdered([]byte(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		if got := pyRepr(v); got != tc.want {
			t.Errorf("pyRepr(%s) = %s, want %s", tc.json, got, tc.want)
		}
	}
}
