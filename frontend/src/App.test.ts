import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { createApi } from './lib/api';
import { createController } from './lib/controller';
import { EMPTY_STATE } from './lib/window.svelte';
import { call, fakeBackend, settle } from './test/fake';

async function setup() {
  const fake = fakeBackend();
  fake.backend.go.app.Files.RecentURLs.mockResolvedValue(['http://127.0.0.1:7860']);
  const ctl = createController(createApi(fake.backend));
  render(App, { ctl, session: fake.backend.go.app.Session });
  await settle();
  return { fake, ctl, go: fake.backend.go.app };
}

const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;
const ctrl = (key: string, code: string, more: KeyboardEventInit = {}) =>
  new KeyboardEvent('keydown', { key, code, ctrlKey: true, bubbles: true, cancelable: true, ...more });

describe('App', () => {
  it('starts empty: a welcome, and only what makes sense enabled', async () => {
    await setup();
    expect(screen.getByRole('heading', { name: 'Record a Gradio app' })).toBeTruthy();
    expect(button('Open').disabled).toBe(true);
    expect(button('Record').disabled).toBe(true);
    expect(button('Stop').disabled).toBe(true);
    expect(button('Save').disabled).toBe(true);
    expect(button('Open recording').disabled).toBe(false);
    expect(button('Export HAR').disabled).toBe(true);
    expect(screen.getByText('no app open')).toBeTruthy();
  });

  it('exports the recording as a HAR file and says it did', async () => {
    const { fake, go } = await setup();
    fake.emit('state', { ...EMPTY_STATE, mode: 'loaded', url: 'http://a', saved: true, calls: 1 });
    fake.emit('call', { kind: 'completed', call: call(1) });
    await tick();
    await fireEvent.click(button('Export HAR'));
    await tick();
    expect(go.Files.ExportHAR).toHaveBeenCalled();
    expect(screen.getByText('HAR written').getAttribute('title')).toBe('/tmp/session.har');
    fake.emit('state', { ...EMPTY_STATE, mode: 'loaded', url: 'http://b', saved: true, calls: 1 });
    await tick();
    expect(screen.queryByText('HAR written')).toBeNull(); // another recording is open
  });

  it('fills the URL bar from a recent URL and opens it with Enter', async () => {
    const { go } = await setup();
    await fireEvent.click(screen.getByRole('button', { name: 'http://127.0.0.1:7860' }));
    const input = screen.getByRole('combobox', { name: 'App URL' }) as HTMLInputElement;
    expect(input.value).toBe('http://127.0.0.1:7860');
    await fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
    expect(go.Session.Open).toHaveBeenCalledWith('http://127.0.0.1:7860');
  });

  it('records with Ctrl+R even while the live view has the focus, and keeps the key from the page', async () => {
    const { fake, ctl, go } = await setup();
    ctl.win.url = 'http://127.0.0.1:7860';
    fake.emit('state', { ...EMPTY_STATE, mode: 'browsing', url: 'http://127.0.0.1:7860' });
    fake.emit('frame', { data: 'AAAA', width: 800, height: 600 });
    await tick();
    const live = screen.getByRole('application');
    live.focus();
    const press = ctrl('r', 'KeyR');
    live.dispatchEvent(press);
    expect(press.defaultPrevented).toBe(true);
    expect(go.Session.Record).toHaveBeenCalledWith('http://127.0.0.1:7860');
    expect(go.Session.Key).not.toHaveBeenCalled();
    await fireEvent.keyDown(live, { key: 'Escape', code: 'Escape', keyCode: 27 });
    expect(go.Session.Key).toHaveBeenCalledWith(expect.objectContaining({ type: 'keyDown', key: 'Escape' }));
  });

  it('shows the recording and stops it with Ctrl+Shift+X', async () => {
    const { fake, go } = await setup();
    fake.emit('state', { ...EMPTY_STATE, mode: 'recording', url: 'http://a', saved: false, calls: 1 });
    fake.emit('call', { kind: 'completed', call: call(1) });
    await tick();
    expect(screen.getByText('recording · 1 call')).toBeTruthy();
    expect(screen.getByText('unsaved')).toBeTruthy();
    expect(button('Stop').disabled).toBe(false);
    expect(button('Save').disabled).toBe(false);
    expect(button('Record').disabled).toBe(true);
    window.dispatchEvent(ctrl('X', 'KeyX', { shiftKey: true }));
    expect(go.Session.Stop).toHaveBeenCalled();
  });

  it('does nothing for a shortcut whose action does not apply', async () => {
    const { go } = await setup();
    window.dispatchEvent(ctrl('X', 'KeyX', { shiftKey: true }));
    window.dispatchEvent(ctrl('s', 'KeyS'));
    expect(go.Session.Stop).not.toHaveBeenCalled();
    expect(go.Files.Save).not.toHaveBeenCalled();
  });

  it('switches panels with Ctrl+1/2/3/4 and focuses the URL bar with Ctrl+L', async () => {
    await setup();
    window.dispatchEvent(ctrl('4', 'Digit4'));
    await tick();
    expect(screen.getByRole('tab', { name: /Browser/ }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('region', { name: 'Browser extension' })).toBeTruthy();
    window.dispatchEvent(ctrl('3', 'Digit3'));
    await tick();
    expect(screen.getByRole('tab', { name: 'Replay' }).getAttribute('aria-selected')).toBe('true');
    window.dispatchEvent(ctrl('2', 'Digit2'));
    await tick();
    expect(screen.getByRole('tab', { name: 'Code' }).getAttribute('aria-selected')).toBe('true');
    window.dispatchEvent(ctrl('l', 'KeyL'));
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'App URL' }));
  });

  it('shows a fault until it is dismissed', async () => {
    const { fake } = await setup();
    fake.emit('state', { ...EMPTY_STATE, fault: { kind: 'app-gone', title: 'The app went away', detail: 'EOF', hint: 'Start it again' } });
    await tick();
    expect(screen.getByRole('alert').textContent).toContain('The app went away');
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
