import { describe, expect, it, vi } from 'vitest';
import { commandFor, handleShortcut, KEYS } from './shortcuts';

type Press = Partial<Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>>;

const press = (p: Press) => ({ key: '', code: '', ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...p });

describe('commandFor', () => {
  it.each([
    [{ key: 'l', code: 'KeyL', ctrlKey: true }, 'focusUrl'],
    [{ key: 'r', code: 'KeyR', ctrlKey: true }, 'record'],
    [{ key: 'X', code: 'KeyX', ctrlKey: true, shiftKey: true }, 'stop'],
    [{ key: 's', code: 'KeyS', ctrlKey: true }, 'save'],
    [{ key: 'S', code: 'KeyS', ctrlKey: true, shiftKey: true }, 'saveAs'],
    [{ key: 'o', code: 'KeyO', ctrlKey: true }, 'openRecording'],
    [{ key: 'e', code: 'KeyE', ctrlKey: true }, 'exportCode'],
    [{ key: 'Enter', code: 'Enter', ctrlKey: true }, 'runReplay'],
    [{ key: '1', code: 'Digit1', ctrlKey: true }, 'showCalls'],
    [{ key: '2', code: 'Digit2', ctrlKey: true }, 'showCode'],
    [{ key: '3', code: 'Digit3', ctrlKey: true }, 'showReplay'],
    [{ key: '4', code: 'Digit4', ctrlKey: true }, 'showBrowser'],
    [{ key: 'R', code: 'KeyR', ctrlKey: true }, 'record'], // Caps Lock
  ])('maps %o to %s', (p, command) => {
    expect(commandFor(press(p))).toBe(command);
  });

  it.each([
    [{ key: 'r', code: 'KeyR' }],
    [{ key: 'Escape', code: 'Escape' }],
    [{ key: 'x', code: 'KeyX', ctrlKey: true }], // Ctrl+X is the page's cut
    [{ key: 'R', code: 'KeyR', ctrlKey: true, shiftKey: true }],
    [{ key: 'r', code: 'KeyR', ctrlKey: true, altKey: true }],
    [{ key: 'r', code: 'KeyR', metaKey: true }],
    [{ key: 'a', code: 'KeyA', ctrlKey: true }],
    [{ key: 'Enter', code: 'Enter' }],
  ])('leaves %o to the page', (p) => {
    expect(commandFor(press(p))).toBeUndefined();
  });

  it('finds the key by its place when the layout is not Latin', () => {
    expect(commandFor(press({ key: 'к', code: 'KeyR', ctrlKey: true }))).toBe('record');
    // A Latin layout other than QWERTY goes by the letter, not the place.
    expect(commandFor(press({ key: 'p', code: 'KeyR', ctrlKey: true }))).toBeUndefined();
  });

  it('names every command’s keys in a way commandFor reads back', () => {
    for (const [command, keys] of Object.entries(KEYS)) {
      const parts = keys.split('+');
      const key = parts.at(-1)!;
      expect(commandFor(press({ key, ctrlKey: true, shiftKey: parts.includes('Shift') }))).toBe(command);
    }
  });
});

describe('handleShortcut', () => {
  it('runs the command and keeps the key from the page', () => {
    const e = new KeyboardEvent('keydown', { key: 'r', code: 'KeyR', ctrlKey: true, cancelable: true });
    const stop = vi.spyOn(e, 'stopPropagation');
    const run = vi.fn();
    expect(handleShortcut(e, run)).toBe(true);
    expect(run).toHaveBeenCalledWith('record');
    expect(e.defaultPrevented).toBe(true);
    expect(stop).toHaveBeenCalled();
  });

  it('leaves other keys alone', () => {
    const e = new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', cancelable: true });
    const run = vi.fn();
    expect(handleShortcut(e, run)).toBe(false);
    expect(run).not.toHaveBeenCalled();
    expect(e.defaultPrevented).toBe(false);
  });
});
