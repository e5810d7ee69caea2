import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../test/fake';
import LiveView from './LiveView.svelte';

const frame = { data: 'AAAA', width: 1600, height: 1200 };

/** Puts an element on the screen at a place and size (jsdom lays nothing out). */
function place(el: Element, left: number, top: number, width: number, height: number): void {
  el.getBoundingClientRect = () => ({ left, top, width, height, x: left, y: top, right: left + width, bottom: top + height, toJSON: () => ({}) });
}

function setup(withFrame = true) {
  const session = fakeBackend().backend.go.app.Session;
  const view = render(LiveView, {
    frame: withFrame ? frame : null,
    session,
    children: createRawSnippet(() => ({ render: () => '<p>Nothing open</p>' })),
  });
  const image = view.container.querySelector('img');
  if (image) place(image, 10, 60, 800, 600);
  return { ...view, session, image, live: screen.getByRole('application') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveView', () => {
  it('shows the latest frame', () => {
    const { image } = setup();
    expect(image!.getAttribute('src')).toBe('data:image/jpeg;base64,AAAA');
    expect(screen.queryByText('Nothing open')).toBeNull();
  });

  it('shows what it is given while there is no frame, and passes no keys on', async () => {
    const { session, live } = setup(false);
    expect(screen.getByText('Nothing open')).toBeTruthy();
    await fireEvent.keyDown(live, { key: 'a', code: 'KeyA' });
    expect(session.Key).not.toHaveBeenCalled();
  });

  it('maps a click to page coordinates', async () => {
    const { session, image, live } = setup();
    await fireEvent.mouseDown(image!, { clientX: 110, clientY: 110, button: 0, detail: 1 });
    expect(session.Mouse).toHaveBeenLastCalledWith({
      type: 'mousePressed',
      x: 200,
      y: 100,
      button: 'left',
      clicks: 1,
      modifiers: 0,
    });
    expect(document.activeElement).toBe(live);

    await fireEvent.mouseMove(image!, { clientX: 410, clientY: 360, buttons: 1, shiftKey: true });
    expect(session.Mouse).toHaveBeenLastCalledWith({ type: 'mouseMoved', x: 800, y: 600, button: 'left', clicks: 0, modifiers: 8 });

    // Released outside the image: the page still hears of it.
    await fireEvent.mouseUp(window, { clientX: 1000, clientY: 110, button: 0, detail: 1 });
    expect(session.Mouse).toHaveBeenLastCalledWith({ type: 'mouseReleased', x: 1980, y: 100, button: 'left', clicks: 1, modifiers: 0 });
    expect(session.Mouse).toHaveBeenCalledTimes(3);

    await fireEvent.mouseUp(window, { clientX: 0, clientY: 0 });
    expect(session.Mouse).toHaveBeenCalledTimes(3); // no press, no release
  });

  it('forwards keys while it has the focus', async () => {
    const { session, live } = setup();
    live.focus();
    const down = new KeyboardEvent('keydown', { key: 'a', code: 'KeyA', keyCode: 65, bubbles: true, cancelable: true });
    live.dispatchEvent(down);
    expect(down.defaultPrevented).toBe(true);
    expect(session.Key).toHaveBeenLastCalledWith({ type: 'keyDown', key: 'a', code: 'KeyA', text: 'a', keyCode: 65, modifiers: 0 });
    await fireEvent.keyUp(live, { key: 'Tab', code: 'Tab', keyCode: 9 });
    expect(session.Key).toHaveBeenLastCalledWith({ type: 'keyUp', key: 'Tab', code: 'Tab', text: '', keyCode: 9, modifiers: 0 });
  });

  it('scrolls the page at the pointer', async () => {
    const { session, live } = setup();
    const wheel = new WheelEvent('wheel', { clientX: 410, clientY: 60, deltaY: 3, deltaMode: 1, bubbles: true, cancelable: true });
    live.querySelector('img')!.dispatchEvent(wheel);
    expect(wheel.defaultPrevented).toBe(true);
    expect(session.Wheel).toHaveBeenCalledWith(800, 0, 0, 48);
  });

  it('reports its place and size, on mount and after a resize', async () => {
    vi.useFakeTimers();
    const { session, live } = setup(false);
    expect(session.Resize).toHaveBeenCalledTimes(1);
    place(live, 0, 48.4, 799.6, 700.2);
    window.dispatchEvent(new Event('resize'));
    window.dispatchEvent(new Event('resize'));
    await vi.advanceTimersByTimeAsync(100);
    expect(session.Resize).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(session.Resize).toHaveBeenCalledTimes(2);
    expect(session.Resize).toHaveBeenLastCalledWith({ x: 0, y: 48, width: 800, height: 700 });
  });

  it('pauses the screencast while the window is hidden', () => {
    const { session } = setup(false);
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(session.SetLive).toHaveBeenLastCalledWith(false);
    hidden.mockReturnValue(false);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(session.SetLive).toHaveBeenLastCalledWith(true);
  });
});
