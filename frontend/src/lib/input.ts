// Turns the live view's DOM events into the inputs the Go side gives the
// page (CDP's Input.dispatchMouseEvent and Input.dispatchKeyEvent).

import type { Frame, KeyInput, MouseButton, MouseInput } from './types';

type Modifiers = Pick<MouseEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** CDP's modifier bits: Alt 1, Ctrl 2, Meta 4, Shift 8. */
export function modifiers(e: Modifiers): number {
  return (e.altKey ? 1 : 0) | (e.ctrlKey ? 2 : 0) | (e.metaKey ? 4 : 0) | (e.shiftKey ? 8 : 0);
}

const BUTTONS: MouseButton[] = ['left', 'middle', 'right'];

/** The button a press or release is about (MouseEvent.button). */
function pressedButton(button: number): MouseButton {
  return BUTTONS[button] ?? 'none';
}

/** The button held during a move (MouseEvent.buttons: left 1, right 2, middle 4). */
function heldButton(buttons: number): MouseButton {
  if (buttons & 1) return 'left';
  if (buttons & 4) return 'middle';
  if (buttons & 2) return 'right';
  return 'none';
}

/** A point of the shown image, in the page's CSS pixels. */
export function toPage(
  offsetX: number,
  offsetY: number,
  frame: Pick<Frame, 'width' | 'height'>,
  shown: { width: number; height: number },
): { x: number; y: number } {
  return {
    x: Math.round((offsetX * frame.width) / shown.width),
    y: Math.round((offsetY * frame.height) / shown.height),
  };
}

export function mouseInput(
  type: MouseInput['type'],
  e: Modifiers & Pick<MouseEvent, 'button' | 'buttons' | 'detail'>,
  at: { x: number; y: number },
): MouseInput {
  const moved = type === 'mouseMoved';
  return {
    type,
    x: at.x,
    y: at.y,
    button: moved ? heldButton(e.buttons) : pressedButton(e.button),
    clicks: moved ? 0 : e.detail,
    modifiers: modifiers(e),
  };
}

/** What a key types: itself when it is one printable character, a return for Enter. */
function typed(key: string): string {
  if (key === 'Enter') return '\r';
  return [...key].length === 1 ? key : '';
}

export function keyInput(
  type: 'keyDown' | 'keyUp',
  e: Modifiers & Pick<KeyboardEvent, 'key' | 'code' | 'keyCode'>,
): KeyInput {
  const printable = !e.ctrlKey && !e.altKey && !e.metaKey;
  return {
    type,
    key: e.key,
    code: e.code,
    text: type === 'keyDown' && printable ? typed(e.key) : '',
    keyCode: e.keyCode,
    modifiers: modifiers(e),
  };
}

const LINE = 16; // pixels a wheel "line" scrolls

/** A wheel event's deltas in CSS pixels, whatever unit it came in. */
export function wheelDelta(
  e: Pick<WheelEvent, 'deltaX' | 'deltaY' | 'deltaMode'>,
  pageHeight: number,
): { dx: number; dy: number } {
  const unit = e.deltaMode === 1 ? LINE : e.deltaMode === 2 ? pageHeight : 1;
  return { dx: e.deltaX * unit, dy: e.deltaY * unit };
}

/**
 * Sends the live view's input to the page one event at a time, in the order
 * the person made them. The desktop's bridge runs every call in a goroutine
 * of its own, so events sent at once can reach the page in another order: on
 * a busy machine a click overtook the keys typed before it, and a number
 * field got "1" of "15". A mouse move still waiting is replaced by a newer
 * one, so a quick pointer does not build a backlog.
 */
export class InputQueue {
  private waiting: { send: () => Promise<void>; move: boolean }[] = [];
  private sending = false;

  /** Queues an event; move marks a mouse move, which a later move replaces. */
  push(send: () => Promise<void>, move = false): void {
    const last = this.waiting[this.waiting.length - 1];
    if (move && last?.move) last.send = send;
    else this.waiting.push({ send, move });
    if (!this.sending) void this.drain();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      // Input to a page that just went away fails; the next state event says why.
      await next.send().catch(() => {});
    }
    this.sending = false;
  }
}
