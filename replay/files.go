package replay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // image formats MatchImage decodes
	_ "image/jpeg"
	_ "image/png"
	"io"
	"slices"

	"github.com/gradiorec/gradiorec/gradio"
	"github.com/gradiorec/gradiorec/recording"
)

// fileValue is a file in an output: a recorded one (fixture and hash from
// the recording) or a live one (a *gradio.FileData to download).
type fileValue struct {
	name    string // the file's name, for people
	fixture string // recorded: the recording's File.Name, "" when none
	sha256  string // recorded: the content hash, "" when unknown
	live    *gradio.FileData
}

func (f fileValue) String() string {
	if f.sha256 != "" {
		return fmt.Sprintf("file %q (sha256 %.12s)", f.name, f.sha256)
	}
	return fmt.Sprintf("file %q", f.name)
}

// decodeRecorded decodes a recorded output value with its FileData objects
// turned into fileValue.
func decodeRecorded(rec *recording.Recording, raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return recordedFiles(rec, v), nil
}

func recordedFiles(rec *recording.Recording, v any) any {
	switch t := v.(type) {
	case map[string]any:
		if recording.IsFileData(t) {
			f := fileValue{name: str(t, "orig_name"), fixture: str(t, "fixture")}
			if f.name == "" {
				f.name = str(t, "path")
			}
			if rf := rec.File(f.fixture); rf != nil {
				f.sha256 = rf.SHA256
			}
			return f
		}
		for k, x := range t {
			t[k] = recordedFiles(rec, x)
		}
	case []any:
		for i, x := range t {
			t[i] = recordedFiles(rec, x)
		}
	}
	return v
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// liveFiles turns the *gradio.FileData values of a live output into
// fileValue.
func liveFiles(v any) any {
	switch t := v.(type) {
	case *gradio.FileData:
		return fileValue{name: t.Name(), live: t}
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = liveFiles(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = liveFiles(x)
		}
		return out
	}
	return v
}

// fileChecker compares a recorded file with a live one: by content hash, or
// for MatchImage by pixels. It downloads each live file once.
type fileChecker struct {
	ctx  context.Context
	rec  *recording.Recording
	live map[*gradio.FileData][]byte
}

func (fc *fileChecker) check(want, got fileValue, r Rule) (string, error) {
	if got.live == nil {
		return "", fmt.Errorf("internal: live file %q has no source", got.name)
	}
	if want.sha256 == "" && r.Match != MatchImage {
		return "", nil // recorded without its bytes or hash: nothing to compare
	}
	data, err := fc.download(got.live)
	if err != nil {
		return "", err
	}
	if r.Match == MatchImage {
		return fc.sameImage(want, data, r.Tolerance)
	}
	if h := hashOf(data); h != want.sha256 {
		return fmt.Sprintf("content differs: sha256 %.12s, want %.12s", h, want.sha256), nil
	}
	return "", nil
}

// hashOf is the lower-case hex SHA-256 of data, as recordings store it.
func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func (fc *fileChecker) download(f *gradio.FileData) ([]byte, error) {
	if b, ok := fc.live[f]; ok {
		return b, nil
	}
	rc, err := f.Open(fc.ctx)
	if err != nil {
		return nil, fmt.Errorf("download the output file %q: %w", f.Name(), err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxLiveFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("download the output file %q: %w", f.Name(), err)
	}
	if int64(len(b)) > maxLiveFileSize {
		return nil, fmt.Errorf("download the output file %q: it is larger than %d MiB, the most replay reads of a file", f.Name(), maxLiveFileSize>>20)
	}
	fc.live[f] = b
	return b, nil
}

// maxLiveFileSize bounds what replay reads of one output file of the live
// app, to compare it with the recorded one: an app cannot make replay hold
// more than this in memory per file.
const maxLiveFileSize = 1 << 30

// sameImage compares the recorded image with the live bytes: same size, and
// a mean absolute difference per channel of at most tolerance (a fraction of
// full scale).
func (fc *fileChecker) sameImage(want fileValue, got []byte, tolerance float64) (string, error) {
	if want.fixture == "" {
		return "", fmt.Errorf("call output %q: an image match needs the recorded image, and the recording kept none", want.name)
	}
	wb, err := fc.rec.FileBytes(want.fixture)
	if err != nil {
		return "", fmt.Errorf("an image match needs the recorded image: %w", err)
	}
	wi, _, err := image.Decode(bytes.NewReader(wb))
	if err != nil {
		return "", fmt.Errorf("recorded image %q: %w (image matching reads PNG, JPEG and GIF)", want.name, err)
	}
	gi, _, err := image.Decode(bytes.NewReader(got))
	if err != nil {
		return "not an image the matcher can read (PNG, JPEG, GIF): " + err.Error(), nil
	}
	wr, gr := wi.Bounds(), gi.Bounds()
	if wr.Dx() != gr.Dx() || wr.Dy() != gr.Dy() {
		return fmt.Sprintf("image is %dx%d, want %dx%d", gr.Dx(), gr.Dy(), wr.Dx(), wr.Dy()), nil
	}
	var sum float64
	for y := range wr.Dy() {
		for x := range wr.Dx() {
			r1, g1, b1, a1 := wi.At(wr.Min.X+x, wr.Min.Y+y).RGBA()
			r2, g2, b2, a2 := gi.At(gr.Min.X+x, gr.Min.Y+y).RGBA()
			sum += absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2) + absDiff(a1, a2)
		}
	}
	mean := sum / float64(4*wr.Dx()*wr.Dy()) / 0xffff
	if mean > tolerance {
		return fmt.Sprintf("pixels differ by %.4f on average, tolerance %.4f", mean, tolerance), nil
	}
	return "", nil
}

func absDiff(a, b uint32) float64 {
	if a > b {
		return float64(a - b)
	}
	return float64(b - a)
}

// inputArg turns a recorded input value into a client argument: FileData
// objects with a fixture become gradio.FileBytes uploads of its bytes (from
// files, read by readInputFiles; at any depth), numbers stay json.Number so
// their exact text is sent.
func inputArg(rec *recording.Recording, files map[string][]byte, raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return inputFiles(rec, files, v)
}

func inputFiles(rec *recording.Recording, files map[string][]byte, v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		if recording.IsFileData(t) {
			name := str(t, "fixture")
			if name == "" {
				return t, nil // a server path the page reused: send it as it was
			}
			data, ok := files[name]
			if !ok {
				return nil, fmt.Errorf("input file %q was not read", name)
			}
			orig := str(t, "orig_name")
			if f := rec.File(name); f != nil && f.OrigName != "" {
				orig = f.OrigName
			}
			return gradio.FileBytes(orig, data), nil
		}
		for k, x := range t {
			nx, err := inputFiles(rec, files, x)
			if err != nil {
				return nil, err
			}
			t[k] = nx
		}
	case []any:
		for i, x := range t {
			nx, err := inputFiles(rec, files, x)
			if err != nil {
				return nil, err
			}
			t[i] = nx
		}
	}
	return v, nil
}

// readInputFiles reads every input fixture the calls upload, once, before
// anything is sent: a missing one is bad input.
func readInputFiles(rec *recording.Recording) (map[string][]byte, error) {
	files := map[string][]byte{}
	for i := range rec.Calls {
		c := &rec.Calls[i]
		// The arguments come from the named inputs, or from the raw data.
		values := slices.Clone(c.Data)
		for _, in := range c.Inputs {
			values = append(values, in.Value)
		}
		for _, v := range values {
			for fd := range recording.FileDatas(v) {
				if _, done := files[fd.Fixture]; done || fd.Fixture == "" {
					continue
				}
				data, err := rec.FileBytes(fd.Fixture)
				if err != nil {
					return nil, fmt.Errorf("%w: call %d (%s), input file %s: %v", ErrBadInput, c.ID, label(c), fd.Fixture, err)
				}
				files[fd.Fixture] = data
			}
		}
	}
	return files, nil
}
