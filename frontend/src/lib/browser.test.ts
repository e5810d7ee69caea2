// The browser extension's part of the window: its pure state functions and
// the controller's actions.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, extensionStatus, fakeBackend, settle } from '../test/fake';
import { createApi } from './api';
import { createController } from './controller';
import { browserCall, browserRecording, browserStatus, EMPTY_STATE, INITIAL_BROWSER } from './window.svelte';
import type { BrowserRecording } from './types';

function rec(id: string, over: Partial<BrowserRecording> = {}): BrowserRecording {
  return {
    rec: id,
    url: `http://127.0.0.1:7860/?${id}`,
    path: `/data/browser/${id}.json`,
    started: '2026-12-06T10:00:00Z',
    active: true,
    calls: 0,
    ok: false,
    ...over,
  };
}

const pairedBrowser = (install: string) => ({ install, browser: 'Chromium 156', paired: '2026-12-06T10:00:00Z', connected: true });

describe('browser state', () => {
  it('shows a recording that starts, unless another still records', () => {
    let b = browserRecording(INITIAL_BROWSER, rec('a'));
    expect(b.selected).toBe('a');
    b = browserRecording(b, rec('b'));
    expect(b.selected).toBe('a');
    expect(b.recordings.map((r) => r.rec)).toEqual(['b', 'a']);
    b = browserRecording(b, rec('a', { active: false, ok: true, calls: 2 }));
    b = browserRecording(b, rec('c'));
    expect(b.selected).toBe('c');
  });

  it('keeps a stopped recording when an older copy arrives after it', () => {
    let b = browserRecording(INITIAL_BROWSER, rec('a', { active: false, ok: true, calls: 1 }));
    b = browserStatus(b, extensionStatus({ recordings: [rec('a')] }));
    expect(b.recordings).toEqual([rec('a', { active: false, ok: true, calls: 1 })]);
  });

  it('takes the recordings of a status newest first, after those it knew', () => {
    const b = browserStatus(
      browserRecording(INITIAL_BROWSER, rec('a')),
      extensionStatus({ recordings: [rec('c'), rec('b'), rec('a', { active: false, ok: true })] }),
    );
    expect(b.recordings.map((r) => [r.rec, r.active])).toEqual([
      ['c', true],
      ['b', true],
      ['a', false],
    ]);
  });

  it('tolerates the nulls of Go nil slices', () => {
    const b = browserStatus(INITIAL_BROWSER, extensionStatus({ recordings: null, paired: null }));
    expect(b.recordings).toEqual([]);
  });

  it('drops the pairing code once a new browser is paired, or the backend stops listening', () => {
    const code = { code: 'X', expires: '', port: 17860 };
    let b = browserStatus(INITIAL_BROWSER, extensionStatus({ paired: [pairedBrowser('one')] }));
    b = { ...b, code };
    expect(browserStatus(b, extensionStatus({ paired: [pairedBrowser('one')], connected: 1 })).code).toBe(code);
    expect(browserStatus(b, extensionStatus({ paired: [pairedBrowser('one'), pairedBrowser('two')] })).code).toBeNull();
    expect(browserStatus(b, extensionStatus({ listening: false, busy: true })).code).toBeNull();
  });

  it('keeps the calls of each recording apart', () => {
    let b = browserCall(INITIAL_BROWSER, { rec: 'a', url: '', kind: 'started', call: call(1, { status: 'incomplete' }) });
    b = browserCall(b, { rec: 'b', url: '', kind: 'completed', call: call(1) });
    b = browserCall(b, { rec: 'a', url: '', kind: 'completed', call: call(1) });
    b = browserCall(b, { rec: 'a', url: '', kind: 'updated', call: call(1, { status: 'incomplete' }) });
    expect(b.calls.a).toEqual([{ phase: 'completed', call: call(1) }]);
    expect(b.calls.b).toHaveLength(1);
  });
});

function setup() {
  const fake = fakeBackend();
  const ctl = createController(createApi(fake.backend));
  return { fake, ctl, win: ctl.win, go: fake.backend.go.app };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the controller and the browser extension', () => {
  it('reads the status at start and follows the events', async () => {
    const { fake, ctl, win, go } = setup();
    go.Extension.Status.mockResolvedValue(extensionStatus({ paired: [pairedBrowser('one')], connected: 1 }));
    const stop = ctl.start();
    await settle();
    expect(win.browser.status?.connected).toBe(1);

    fake.emit('browser-recording', rec('a'));
    fake.emit('browser-call', { rec: 'a', url: 'http://127.0.0.1:7860/', kind: 'started', call: call(1, { status: 'incomplete' }) });
    fake.emit('browser-call', { rec: 'a', url: 'http://127.0.0.1:7860/', kind: 'completed', call: call(1) });
    fake.emit('extension', extensionStatus({ connected: 0 }));
    const b = win.browser;
    expect(b.selected).toBe('a');
    expect(b.calls.a).toEqual([{ phase: 'completed', call: call(1) }]);
    expect(b.status?.connected).toBe(0);
    // The window's own recording is another.
    expect(win.calls).toEqual([]);

    stop();
    expect(['extension', 'browser-call', 'browser-recording'].map(fake.listening)).toEqual([0, 0, 0]);
  });

  it('shows a pairing code until it expires', async () => {
    vi.useFakeTimers();
    const { ctl, win, go } = setup();
    const expires = new Date(Date.now() + 5 * 60_000).toISOString();
    go.Extension.NewCode.mockResolvedValue({ code: 'AAAAA-BBBBB', expires, port: 17860 });
    await ctl.pairBrowser();
    expect(win.browser.code).toEqual({ code: 'AAAAA-BBBBB', expires, port: 17860 });
    expect(await ctl.copyPairingCode()).toBe(true);
    vi.advanceTimersByTime(5 * 60_000 - 1000);
    expect(win.browser.code).not.toBeNull();
    vi.advanceTimersByTime(1000);
    expect(win.browser.code).toBeNull();
  });

  it('shows why a code could not be made', async () => {
    const { ctl, win, go } = setup();
    go.Extension.NewCode.mockRejectedValue('the window is not listening for the browser extension: press Retry');
    await ctl.pairBrowser();
    expect(win.browser.error).toContain('press Retry');
    expect(win.browser.code).toBeNull();
  });

  it('retries a busy port, and the status tells how it went', async () => {
    const { ctl, win, go } = setup();
    go.Extension.Listen.mockRejectedValue('Port 17860 is in use');
    go.Extension.Status.mockResolvedValue(extensionStatus({ listening: false, busy: true, error: 'Port 17860 is in use' }));
    await ctl.retryExtension();
    expect(go.Extension.Listen).toHaveBeenCalled();
    expect(win.browser.status?.busy).toBe(true);
    expect(win.browser.error).toBe('');

    go.Extension.Listen.mockResolvedValue(extensionStatus());
    go.Extension.Status.mockResolvedValue(extensionStatus());
    await ctl.retryExtension();
    expect(win.browser.status?.listening).toBe(true);
  });

  it('revokes a browser and reads the status again', async () => {
    const { ctl, win, go } = setup();
    await ctl.revokeBrowser('one');
    expect(go.Extension.Revoke).toHaveBeenCalledWith('one');
    expect(go.Extension.Status).toHaveBeenCalled();
    go.Extension.Revoke.mockRejectedValue('no browser "one" is paired: refresh the Browser panel');
    await ctl.revokeBrowser('one');
    expect(win.browser.error).toContain('refresh');
  });

  it('opens a recording saved by the browser in the window', async () => {
    const { ctl, win, go } = setup();
    go.Files.Load.mockResolvedValue({ ...EMPTY_STATE, mode: 'loaded', path: '/data/browser/a.json', calls: 1 });
    win.tab = 'browser';
    await ctl.openBrowserRecording('/data/browser/a.json');
    expect(go.Files.Load).toHaveBeenCalledWith('/data/browser/a.json');
    expect(win.state.mode).toBe('loaded');
    expect(win.tab).toBe('calls');
  });

  it('selects a recording and a call', () => {
    const { ctl, win } = setup();
    ctl.selectBrowserRecording('a');
    ctl.selectBrowserCall(3);
    expect(win.browser).toMatchObject({ selected: 'a', call: 3 });
    ctl.selectBrowserCall(3);
    expect(win.browser.call).toBeNull();
  });
});
