// Package expect checks what a Gradio app answered, in Go tests: the number
// of outputs, an output against recorded JSON (numbers by value, parts that
// vary masked), a file output by the SHA-256 of its bytes, and a call that
// must fail with a gr.Error. The Go tests that gradiorec generates are made
// of calls and these checks; hand-written tests can use them the same way.
//
//	res, err := c.Predict(ctx, "/report", gradio.Named{"text": "hi"})
//	if err != nil {
//		t.Fatal(err)
//	}
//	expect.Count(t, res, 1)
//	expect.JSON(t, "output 0", res.Data[0], `{"text":"hi","nonce":null}`, expect.Masked("nonce"))
package expect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/gradiorec/gradiorec/gradio"
)

// An Option changes how a check compares.
type Option func(*options)

type options struct {
	masked [][]any
	redact func(any) any
}

// Masked leaves out of the comparison the part of an output at path: object
// keys (strings) and array indexes (ints), as in Masked("meta", "time") or
// Masked(0, "id"). The recorded JSON holds null there.
func Masked(path ...any) Option {
	return func(o *options) { o.masked = append(o.masked, path) }
}

// Redacted passes what a check compares and shows through redact first: the
// output or error message with the recording's secrets replaced by their
// placeholders, so that it compares with the redacted recording and a
// failure shows no secret. redact gets decoded JSON, or a string.
func Redacted(redact func(any) any) Option {
	return func(o *options) { o.redact = redact }
}

func collect(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Count checks the number of outputs, and stops the test when it differs:
// the checks of single outputs would make no sense.
func Count(t testing.TB, res *gradio.Result, n int) {
	t.Helper()
	if len(res.Data) != n {
		t.Fatalf("outputs: got %d, want %d", len(res.Data), n)
	}
}

// JSON checks that an output (name says which, in messages) equals the JSON
// text want: numbers by value (3 equals 3.0), masked parts left out.
func JSON(t testing.TB, name string, got any, want string, opts ...Option) {
	t.Helper()
	o := collect(opts)
	b, err := json.Marshal(got)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	v := Decode(b)
	if o.redact != nil {
		v = o.redact(v)
	}
	for _, path := range o.masked {
		v = mask(v, path)
	}
	if !Equal(v, Decode([]byte(want))) {
		t.Errorf("%s = %s, want %s", name, Text(v), want)
	}
}

// File checks that an output is a file whose bytes have the SHA-256 sum
// (lower-case hex); it downloads the file.
func File(t testing.TB, name string, got any, sum string) {
	t.Helper()
	file, ok := got.(*gradio.FileData)
	if !ok {
		t.Errorf("%s is %T, want a file", name, got)
		return
	}
	h := sha256.New()
	if _, err := file.CopyTo(context.Background(), h); err != nil { // bounded by the client's timeouts
		t.Errorf("%s: %v", name, err)
		return
	}
	if hex := hex.EncodeToString(h.Sum(nil)); hex != sum {
		t.Errorf("%s: file %s has SHA-256 %s, want %s", name, file.Name(), hex, sum)
	}
}

// Error checks that a call failed as recorded: with a gr.Error whose
// message is msg, or with any error when msg is empty.
func Error(t testing.TB, err error, msg string, opts ...Option) {
	t.Helper()
	if err == nil {
		t.Fatal("the call succeeded; the recorded call failed")
	}
	o := collect(opts)
	show := func(s string) string {
		if o.redact != nil {
			s, _ = o.redact(s).(string)
		}
		return s
	}
	var appErr *gradio.AppError
	if msg != "" && !(errors.As(err, &appErr) && show(appErr.Message) == msg) {
		t.Errorf("error %v, want a gr.Error %q", show(err.Error()), msg)
	}
}

// Decode reads JSON with numbers as json.Number, so that they compare
// exactly; what does not decode is returned as the error.
func Decode(b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return v
}

// Equal compares decoded JSON values (as Decode returns them), numbers by
// their exact value.
func Equal(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, okx := new(big.Rat).SetString(string(a))
		y, oky := new(big.Rat).SetString(string(b))
		return a == b || okx && oky && x.Cmp(y) == 0
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !Equal(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, x := range a {
			y, ok := b[k]
			if !ok || !Equal(x, y) {
				return false
			}
		}
		return true
	}
	return a == b
}

// mask returns v with nil at path when v has that part.
func mask(v any, path []any) any {
	if len(path) == 0 {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		if k, ok := path[0].(string); ok {
			if x, ok := v[k]; ok {
				v[k] = mask(x, path[1:])
			}
		}
	case []any:
		if i, ok := path[0].(int); ok && i >= 0 && i < len(v) {
			v[i] = mask(v[i], path[1:])
		}
	}
	return v
}

// Text returns the JSON text of v without escaping <, > and &, so that HTML
// and placeholders read as they are.
func Text(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return string(bytes.TrimSpace(buf.Bytes()))
}
