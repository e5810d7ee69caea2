package replay

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/gradiorec/gradiorec/recording"
)

// pngOf encodes a w×h image of one grey level, with one pixel of another.
func pngOf(t *testing.T, w, h int, grey, spot uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = grey
	}
	img.SetGray(0, 0, color.Gray{Y: spot})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSameImage(t *testing.T) {
	rec := &recording.Recording{}
	f := rec.AddFile(pngOf(t, 10, 10, 100, 100), "out.png", "image/png", recording.RoleOutput)
	want := fileValue{name: "out.png", fixture: f.Name, sha256: f.SHA256}
	fc := &fileChecker{rec: rec}
	for _, tc := range []struct {
		name      string
		got       []byte
		tolerance float64
		note      string // "" when the images match
	}{
		{"the same", pngOf(t, 10, 10, 100, 100), 0, ""},
		// One pixel of 100 off by 100 in R, G and B, none in alpha: a mean
		// difference of 3·100/255 / 400 = 0.0029 per channel.
		{"one pixel within tolerance", pngOf(t, 10, 10, 100, 0), 0.01, ""},
		{"one pixel", pngOf(t, 10, 10, 100, 0), 0.001, "pixels differ by 0.0029"},
		{"all pixels", pngOf(t, 10, 10, 110, 110), 0.01, "pixels differ by 0.0294"},
		{"size", pngOf(t, 10, 11, 100, 100), 1, "image is 10x11, want 10x10"},
		{"not an image", []byte("GIF89a?"), 1, "not an image"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			note, err := fc.sameImage(want, tc.got, tc.tolerance)
			if err != nil {
				t.Fatal(err)
			}
			if tc.note == "" && note != "" || tc.note != "" && !strings.Contains(note, tc.note) {
				t.Errorf("note %q, want %q", note, tc.note)
			}
		})
	}
	if _, err := fc.sameImage(fileValue{name: "gone.png"}, pngOf(t, 1, 1, 0, 0), 0); err == nil {
		t.Error("an image match without the recorded image is not an error")
	}
}
