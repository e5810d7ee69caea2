package app

import (
	"fmt"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// MouseInput is a mouse event in the live view, at page coordinates.
type MouseInput struct {
	Type      string  `json:"type"` // mousePressed, mouseReleased or mouseMoved
	X         float64 `json:"x"`
	Y         float64 `json:"y"`
	Button    string  `json:"button"` // left, middle, right or none
	Clicks    int     `json:"clicks"`
	Modifiers int     `json:"modifiers"` // Alt 1, Ctrl 2, Meta 4, Shift 8
}

// KeyInput is a key event in the live view, as the browser's
// KeyboardEvent tells it.
type KeyInput struct {
	Type      string `json:"type"` // keyDown, keyUp or char
	Key       string `json:"key"`
	Code      string `json:"code"`
	Text      string `json:"text"` // what the key types, "" for none
	KeyCode   int    `json:"keyCode"`
	Modifiers int    `json:"modifiers"`
}

var mouseTypes = map[string]input.DispatchMouseEventType{
	"mousePressed":  input.DispatchMouseEventTypeMousePressed,
	"mouseReleased": input.DispatchMouseEventTypeMouseReleased,
	"mouseMoved":    input.DispatchMouseEventTypeMouseMoved,
}

var buttons = map[string]input.MouseButton{
	"": input.MouseButtonNone, "none": input.MouseButtonNone, "left": input.MouseButtonLeft,
	"middle": input.MouseButtonMiddle, "right": input.MouseButtonRight,
}

func (m MouseInput) params() (input.DispatchMouseEventParams, error) {
	typ, ok := mouseTypes[m.Type]
	if !ok {
		return input.DispatchMouseEventParams{}, fmt.Errorf("mouse event type %q: want mousePressed, mouseReleased or mouseMoved", m.Type)
	}
	button, ok := buttons[m.Button]
	if !ok {
		return input.DispatchMouseEventParams{}, fmt.Errorf("mouse button %q: want left, middle, right or none", m.Button)
	}
	return input.DispatchMouseEventParams{
		Type: typ, X: m.X, Y: m.Y, Button: button, ClickCount: int64(m.Clicks),
		Modifiers: int64(m.Modifiers),
	}, nil
}

// editing are the commands headless Chromium does not derive from a
// shortcut by itself.
var editing = map[string]string{
	"a": "selectAll", "c": "copy", "x": "cut", "v": "paste", "z": "undo", "y": "redo",
}

const modCtrl = 2

func (k KeyInput) params() (input.DispatchKeyEventParams, error) {
	p := input.DispatchKeyEventParams{
		Key: k.Key, Code: k.Code, Text: k.Text, UnmodifiedText: k.Text,
		WindowsVirtualKeyCode: int64(k.KeyCode), NativeVirtualKeyCode: int64(k.KeyCode),
		Modifiers: int64(k.Modifiers),
	}
	switch k.Type {
	case "keyDown":
		p.Type = input.DispatchKeyEventTypeKeyDown
		if k.Text == "" {
			p.Type = input.DispatchKeyEventTypeRawKeyDown
		}
		if cmd, ok := editing[k.Key]; ok && k.Modifiers&modCtrl != 0 {
			p.Type, p.Text, p.UnmodifiedText, p.Commands = input.DispatchKeyEventTypeRawKeyDown, "", "", []string{cmd}
		}
	case "keyUp":
		p.Type = input.DispatchKeyEventTypeKeyUp
	case "char":
		p.Type = input.DispatchKeyEventTypeChar
	default:
		return p, fmt.Errorf("key event type %q: want keyDown, keyUp or char", k.Type)
	}
	return p, nil
}

func (v *view) mouse(m MouseInput) error {
	p, err := m.params()
	if err != nil {
		return err
	}
	_, err = chromedp.Call(v.tab, input.DispatchMouseEvent, p)
	return err
}

func (v *view) wheel(x, y, dx, dy float64) error {
	_, err := chromedp.Call(v.tab, input.DispatchMouseEvent, input.DispatchMouseEventParams{
		Type: input.DispatchMouseEventTypeMouseWheel, X: x, Y: y, DeltaX: dx, DeltaY: dy,
	})
	return err
}

func (v *view) key(k KeyInput) error {
	p, err := k.params()
	if err != nil {
		return err
	}
	_, err = chromedp.Call(v.tab, input.DispatchKeyEvent, p)
	return err
}
