import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../test/fake';
import { createApi, errorMessage } from './api';
import { EMPTY_STATE } from './window.svelte';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createApi', () => {
  it('calls the bound services', async () => {
    const { backend } = fakeBackend();
    const api = createApi(backend);
    await expect(api.session.Record('http://127.0.0.1:7860')).resolves.toMatchObject({ mode: 'recording' });
    expect(backend.go.app.Session.Record).toHaveBeenCalledWith('http://127.0.0.1:7860');
    await api.code.Generate('go', 'test', true);
    expect(backend.go.app.Code.Generate).toHaveBeenCalledWith('go', 'test', true);
    await api.session.Resize({ x: 0, y: 48, width: 800, height: 600 });
    expect(backend.go.app.Session.Resize).toHaveBeenCalledWith({ x: 0, y: 48, width: 800, height: 600 });
  });

  it('finds the services when it is used, not when it is made', async () => {
    const backend = { go: {}, runtime: {} } as unknown as ReturnType<typeof fakeBackend>['backend'];
    const api = createApi(backend);
    const late = fakeBackend().backend;
    Object.assign(backend, late);
    await api.files.RecentURLs();
    expect(late.go.app.Files.RecentURLs).toHaveBeenCalled();
  });

  it('passes events on until unsubscribed', () => {
    const fake = fakeBackend();
    const api = createApi(fake.backend);
    const seen: string[] = [];
    const off = api.on('state', (s) => seen.push(s.mode));
    fake.emit('state', { ...EMPTY_STATE, mode: 'opening' });
    off();
    fake.emit('state', { ...EMPTY_STATE, mode: 'browsing' });
    expect(seen).toEqual(['opening']);
    expect(fake.backend.runtime.EventsOn).toHaveBeenCalledWith('state', expect.any(Function));
  });

  it('unsubscribes with EventsOff when EventsOn returns nothing', () => {
    const fake = fakeBackend();
    fake.backend.runtime.EventsOn.mockImplementation(() => undefined as never);
    const off = createApi(fake.backend).on('frame', () => {});
    off();
    expect(fake.backend.runtime.EventsOff).toHaveBeenCalledWith('frame');
  });

  it('copies with the browser clipboard', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const fake = fakeBackend();
    await createApi(fake.backend).copy('print(1)');
    expect(writeText).toHaveBeenCalledWith('print(1)');
    expect(fake.backend.runtime.ClipboardSetText).not.toHaveBeenCalled();
  });

  it('copies with the runtime when the browser clipboard is missing or refuses', async () => {
    vi.stubGlobal('navigator', {});
    const fake = fakeBackend();
    await createApi(fake.backend).copy('a');
    expect(fake.backend.runtime.ClipboardSetText).toHaveBeenCalledWith('a');

    vi.stubGlobal('navigator', { clipboard: { writeText: () => Promise.reject(new Error('not allowed')) } });
    fake.backend.runtime.ClipboardSetText.mockResolvedValueOnce(false);
    await expect(createApi(fake.backend).copy('b')).rejects.toThrow('the clipboard refused the text');
  });
});

describe('errorMessage', () => {
  it('reads what Wails rejects with', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('save recording: disk full')).toBe('save recording: disk full');
    expect(errorMessage({ code: 1 })).toBe('{"code":1}');
  });
});
