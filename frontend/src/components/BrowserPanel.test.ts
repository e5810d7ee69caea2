import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { createApi } from '../lib/api';
import { createController } from '../lib/controller';
import { call, extensionStatus, fakeBackend, settle } from '../test/fake';
import BrowserPanel from './BrowserPanel.svelte';

async function setup() {
  const fake = fakeBackend();
  const ctl = createController(createApi(fake.backend));
  ctl.start();
  render(BrowserPanel, { ctl });
  await settle();
  return { fake, ctl, go: fake.backend.go.app };
}

const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;

const recording = {
  rec: 'a',
  url: 'http://127.0.0.1:7860/',
  path: '/data/browser/127.0.0.1-20261206-100000.json',
  started: '2026-12-06T10:00:00Z',
  active: true,
  calls: 0,
  ok: false,
};

describe('BrowserPanel', () => {
  it('says where it listens, and pairs a browser with a one-time code', async () => {
    const { fake, go } = await setup();
    expect(screen.getByText('127.0.0.1:17860')).toBeTruthy();
    expect(screen.getByText(/No browser is paired/)).toBeTruthy();

    await fireEvent.click(button('Pair a browser'));
    await settle();
    expect(go.Extension.NewCode).toHaveBeenCalled();
    expect(screen.getByLabelText('Pairing code').textContent).toContain('7KQ2M-4XVZP-0HJWR-9C3AB-TN6YE-D');
    expect(screen.getByText(/It pairs one browser, once, until/)).toBeTruthy();

    // The extension pastes it: the status lists the browser, and the code is done with.
    fake.emit(
      'extension',
      extensionStatus({
        paired: [{ install: 'inst-1', browser: 'Chromium 156', paired: '2026-12-06T10:00:00Z', connected: true }],
        connected: 1,
      }),
    );
    await tick();
    expect(screen.queryByLabelText('Pairing code')).toBeNull();
    expect(screen.getByText('Chromium 156')).toBeTruthy();
    expect(screen.getByText(/1 browser connected/)).toBeTruthy();

    await fireEvent.click(button('Revoke Chromium 156'));
    expect(go.Extension.Revoke).toHaveBeenCalledWith('inst-1');
  });

  it('tells a busy port, and retries', async () => {
    const { fake, go } = await setup();
    fake.emit(
      'extension',
      extensionStatus({
        listening: false,
        busy: true,
        error: 'Port 17860 is in use: another program listens there, perhaps gradiorec serve.',
        hint: 'To record here, stop it, then press Retry.',
      }),
    );
    await tick();
    expect(screen.getByRole('alert').textContent).toContain('Port 17860 is busy');
    expect(screen.getByRole('alert').textContent).toContain('press Retry');
    expect(button('Pair a browser').disabled).toBe(true);
    await fireEvent.click(button('Retry'));
    expect(go.Extension.Listen).toHaveBeenCalled();
  });

  it('offers no retry when the window hosts no backend', async () => {
    const { fake } = await setup();
    fake.emit('extension', extensionStatus({ listening: false, off: true, error: 'The window does not host it.' }));
    await tick();
    expect(screen.getByRole('alert').textContent).toContain('does not host');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('shows the calls recorded in the browser live, then opens the saved recording', async () => {
    const { fake, go } = await setup();
    fake.emit('browser-recording', recording);
    await tick();
    expect(screen.getByText('recording')).toBeTruthy();
    expect(screen.getByText(/Use the app in the browser/)).toBeTruthy();

    fake.emit('browser-call', {
      rec: 'a',
      url: recording.url,
      kind: 'started',
      call: call(1, { api_name: '/calculate', status: 'incomplete', outputs: undefined }),
    });
    await tick();
    expect(screen.getByText('/calculate')).toBeTruthy();
    expect(screen.getByText('running')).toBeTruthy();

    const photo = { fixture: 'aa/cat.png', mime_type: 'image/png', orig_name: 'cat.png' };
    fake.emit('browser-call', { rec: 'a', url: recording.url, kind: 'completed', call: call(1, { api_name: '/calculate', outputs: [7, photo] }) });
    await tick();
    expect(screen.getByText('Completed')).toBeTruthy();
    await fireEvent.click(screen.getByText('/calculate'));
    const details = screen.getByRole('article');
    expect(details.textContent).toContain('7');
    // The window serves the files of its own recording only: no broken previews.
    expect(document.querySelector('img')).toBeNull();

    expect(screen.queryByRole('button', { name: 'Open' })).toBeNull();
    fake.emit('browser-recording', { ...recording, active: false, ok: true, calls: 1, message: `saved to ${recording.path}` });
    await tick();
    expect(screen.getByText('saved')).toBeTruthy();
    expect(screen.getByText('127.0.0.1-20261206-100000.json')).toBeTruthy();
    await fireEvent.click(button('Open'));
    expect(go.Files.Load).toHaveBeenCalledWith(recording.path);
  });

  it('shows what the browser sent as text', async () => {
    const { fake } = await setup();
    const hostile = '<img src=x onerror="window.pwned=1">';
    fake.emit('browser-recording', { ...recording, url: hostile });
    fake.emit(
      'extension',
      extensionStatus({ paired: [{ install: 'i', browser: hostile, paired: '', connected: false }] }),
    );
    await tick();
    expect(screen.getAllByText(hostile)).toHaveLength(2);
    expect(document.querySelector('img')).toBeNull();
  });

  it('says why a recording was not saved', async () => {
    const { fake } = await setup();
    fake.emit('browser-recording', {
      ...recording,
      active: false,
      message: 'no Gradio app loaded in the tab within 2m0s: nothing was recorded',
    });
    await tick();
    expect(screen.getByText('not saved')).toBeTruthy();
    expect(screen.getByText(/nothing was recorded/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Open' })).toBeNull();
  });
});
