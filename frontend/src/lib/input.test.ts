import { describe, expect, it, vi } from 'vitest';
import { InputQueue, keyInput, modifiers, mouseInput, toPage, wheelDelta } from './input';

const none = { altKey: false, ctrlKey: false, metaKey: false, shiftKey: false };

describe('modifiers', () => {
  it('uses the CDP bits', () => {
    expect(modifiers(none)).toBe(0);
    expect(modifiers({ ...none, altKey: true })).toBe(1);
    expect(modifiers({ ...none, ctrlKey: true })).toBe(2);
    expect(modifiers({ ...none, metaKey: true })).toBe(4);
    expect(modifiers({ ...none, shiftKey: true })).toBe(8);
    expect(modifiers({ altKey: true, ctrlKey: true, metaKey: true, shiftKey: true })).toBe(15);
  });
});

describe('toPage', () => {
  it('scales a point of the shown image to the page', () => {
    expect(toPage(100, 50, { width: 1600, height: 1000 }, { width: 800, height: 500 })).toEqual({ x: 200, y: 100 });
    expect(toPage(10, 10, { width: 800, height: 600 }, { width: 800, height: 600 })).toEqual({ x: 10, y: 10 });
    expect(toPage(1, 1, { width: 1000, height: 1000 }, { width: 3, height: 3 })).toEqual({ x: 333, y: 333 });
  });
});

describe('mouseInput', () => {
  it('tells the pressed button and the click count', () => {
    const e = { ...none, button: 2, buttons: 2, detail: 1, shiftKey: true };
    expect(mouseInput('mousePressed', e, { x: 3, y: 4 })).toEqual({
      type: 'mousePressed',
      x: 3,
      y: 4,
      button: 'right',
      clicks: 1,
      modifiers: 8,
    });
    expect(mouseInput('mouseReleased', { ...none, button: 0, buttons: 0, detail: 2 }, { x: 0, y: 0 })).toMatchObject({
      button: 'left',
      clicks: 2,
    });
  });

  it('tells the held button while moving, for drags', () => {
    expect(mouseInput('mouseMoved', { ...none, button: 0, buttons: 0, detail: 0 }, { x: 0, y: 0 })).toMatchObject({
      button: 'none',
      clicks: 0,
    });
    expect(mouseInput('mouseMoved', { ...none, button: 0, buttons: 1, detail: 0 }, { x: 0, y: 0 }).button).toBe('left');
    expect(mouseInput('mouseMoved', { ...none, button: 0, buttons: 4, detail: 0 }, { x: 0, y: 0 }).button).toBe('middle');
  });
});

describe('keyInput', () => {
  const key = (k: string, code: string, keyCode: number, mods = {}) => ({ ...none, key: k, code, keyCode, ...mods });

  it('types a printable key on key down only', () => {
    expect(keyInput('keyDown', key('a', 'KeyA', 65))).toEqual({
      type: 'keyDown',
      key: 'a',
      code: 'KeyA',
      text: 'a',
      keyCode: 65,
      modifiers: 0,
    });
    expect(keyInput('keyUp', key('a', 'KeyA', 65)).text).toBe('');
    expect(keyInput('keyDown', key('A', 'KeyA', 65, { shiftKey: true }))).toMatchObject({ text: 'A', modifiers: 8 });
    expect(keyInput('keyDown', key(' ', 'Space', 32)).text).toBe(' ');
    expect(keyInput('keyDown', key('é', 'KeyE', 69)).text).toBe('é');
  });

  it('types nothing for other keys and for Ctrl combinations', () => {
    expect(keyInput('keyDown', key('Backspace', 'Backspace', 8)).text).toBe('');
    expect(keyInput('keyDown', key('ArrowLeft', 'ArrowLeft', 37)).text).toBe('');
    expect(keyInput('keyDown', key('a', 'KeyA', 65, { ctrlKey: true }))).toMatchObject({ text: '', modifiers: 2 });
  });

  it('types a return for Enter, so that textareas get a new line', () => {
    expect(keyInput('keyDown', key('Enter', 'Enter', 13)).text).toBe('\r');
  });
});

describe('wheelDelta', () => {
  it('converts lines and pages to pixels', () => {
    expect(wheelDelta({ deltaX: 0, deltaY: 120, deltaMode: 0 }, 700)).toEqual({ dx: 0, dy: 120 });
    expect(wheelDelta({ deltaX: 1, deltaY: 3, deltaMode: 1 }, 700)).toEqual({ dx: 16, dy: 48 });
    expect(wheelDelta({ deltaX: 0, deltaY: 1, deltaMode: 2 }, 700)).toEqual({ dx: 0, dy: 700 });
  });
});

describe('InputQueue', () => {
  /** A send that resolves when told, recording when it started. */
  function gate(log: string[], name: string) {
    let open!: () => void;
    const done = new Promise<void>((resolve) => (open = resolve));
    return { send: () => (log.push(name), done), open };
  }

  it('sends one event at a time, in order, even when an earlier one is slow', async () => {
    const log: string[] = [];
    const q = new InputQueue();
    const slow = gate(log, 'key 1');
    q.push(slow.send);
    q.push(async () => void log.push('key 5'));
    q.push(async () => void log.push('click'));
    await Promise.resolve();
    expect(log).toEqual(['key 1']); // the others wait for it
    slow.open();
    await vi.waitFor(() => expect(log).toEqual(['key 1', 'key 5', 'click']));
  });

  it('replaces a waiting mouse move with a newer one, but keeps every other event', async () => {
    const log: string[] = [];
    const q = new InputQueue();
    const first = gate(log, 'press');
    q.push(first.send);
    q.push(async () => void log.push('move 1'), true);
    q.push(async () => void log.push('move 2'), true);
    q.push(async () => void log.push('key'));
    q.push(async () => void log.push('move 3'), true);
    first.open();
    await vi.waitFor(() => expect(log).toEqual(['press', 'move 2', 'key', 'move 3']));
  });

  it('goes on after an event fails (the page went away)', async () => {
    const log: string[] = [];
    const q = new InputQueue();
    q.push(() => Promise.reject(new Error('no page')));
    q.push(async () => void log.push('next'));
    await vi.waitFor(() => expect(log).toEqual(['next']));
  });
});
