import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, fakeBackend, settle } from '../test/fake';
import { createApi } from './api';
import { CODE_DELAY_MS, createController } from './controller';
import { EMPTY_STATE } from './window.svelte';
import type { Report } from './types';

function setup() {
  const fake = fakeBackend();
  const ctl = createController(createApi(fake.backend));
  return { fake, ctl, win: ctl.win, go: fake.backend.go.app };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('start', () => {
  it('reads the state, the calls and the files, and listens to the events', async () => {
    const { fake, ctl, win, go } = setup();
    go.Session.State.mockResolvedValue({ ...EMPTY_STATE, mode: 'loaded', url: 'http://a', path: '/r/a.json', calls: 2 });
    go.Session.Calls.mockResolvedValue([call(1), call(2)]);
    go.Files.RecentURLs.mockResolvedValue(['http://a', 'http://b']);
    const stop = ctl.start();
    await settle();

    expect(win.state.mode).toBe('loaded');
    expect(win.url).toBe('http://a');
    expect(win.replayUrl).toBe('http://a');
    expect(win.calls.map((e) => e.call.id)).toEqual([1, 2]);
    expect(win.files.recent).toEqual(['http://a', 'http://b']);
    expect(go.Session.Calls).toHaveBeenCalledTimes(1);
    expect(fake.listening('call')).toBe(1);

    stop();
    expect(['state', 'call', 'frame', 'replay'].map(fake.listening)).toEqual([0, 0, 0, 0]);
  });

  it('reads the calls also when the window starts empty', async () => {
    const { ctl, go } = setup();
    go.Files.Unsaved.mockResolvedValue([{ path: '/d/1.json.journal', url: 'http://a', calls: 3, modified: '', crashed: false }]);
    ctl.start();
    await settle();
    expect(go.Session.Calls).toHaveBeenCalledTimes(1);
    expect(ctl.win.files.unsaved).toHaveLength(1);
  });

  it('tolerates the null a Go nil slice becomes', async () => {
    const { ctl, go } = setup();
    go.Session.Calls.mockResolvedValue(null as never);
    go.Files.RecentURLs.mockResolvedValue(null as never);
    ctl.start();
    await settle();
    expect(ctl.win.calls).toEqual([]);
    expect(ctl.win.files.recent).toEqual([]);
    expect(ctl.win.state.fault).toBeUndefined();
  });
});

describe('events', () => {
  it('applies call, frame and state events', async () => {
    const { fake, ctl, win, go } = setup();
    ctl.start();
    await settle();

    fake.emit('call', { kind: 'started', call: call(1, { status: 'incomplete' }) });
    fake.emit('call', { kind: 'completed', call: call(1) });
    fake.emit('call', { kind: 'updated', call: call(1, { status: 'incomplete' }) });
    expect(win.calls).toEqual([{ phase: 'completed', call: call(1) }]);

    fake.emit('frame', { data: 'AAAA', width: 800, height: 600 });
    expect(win.frame).toEqual({ data: 'AAAA', width: 800, height: 600 });

    go.Session.Calls.mockResolvedValue([]);
    fake.emit('state', { ...EMPTY_STATE, mode: 'recording', url: 'http://new' });
    await settle();
    expect(win.calls).toEqual([]);
    expect(win.url).toBe('http://new');
  });

  it('starts a new recording empty, keeping the calls that come before its calls are read', async () => {
    const { fake, ctl, win, go } = setup();
    go.Session.Calls.mockResolvedValue([call(1), call(2)]);
    ctl.start();
    await settle();
    win.selected = 2;

    let answer!: (calls: never[]) => void;
    go.Session.Calls.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    fake.emit('state', { ...EMPTY_STATE, mode: 'recording', url: 'http://a' });
    expect(win.calls).toEqual([]);
    expect(win.selected).toBeNull();
    fake.emit('call', { kind: 'started', call: call(1, { status: 'incomplete' }) });
    answer([]);
    await settle();
    expect(win.calls).toEqual([{ phase: 'started', call: call(1, { status: 'incomplete' }) }]);
  });

  it('keeps the calls when the recording stops or is saved, and reads them again', async () => {
    const { fake, ctl, win, go } = setup();
    ctl.start();
    await settle();
    fake.emit('state', { ...EMPTY_STATE, mode: 'recording', url: 'http://a' });
    fake.emit('call', { kind: 'updated', call: call(1, { status: 'incomplete' }) });
    win.selected = 1;
    go.Session.Calls.mockResolvedValue([call(1, { status: 'incomplete', error: { message: 'stream broke' } })]);
    fake.emit('state', { ...EMPTY_STATE, mode: 'stopped', url: 'http://a', path: '/d/autosave/1.json' });
    expect(win.calls).toHaveLength(1);
    await settle();
    expect(win.calls[0].call.error?.message).toBe('stream broke');
    expect(win.selected).toBe(1);
  });

  it('clears the frame when a new app opens', async () => {
    const { fake, ctl, win } = setup();
    ctl.start();
    await settle();
    fake.emit('frame', { data: 'AAAA', width: 800, height: 600 });
    fake.emit('state', { ...EMPTY_STATE, mode: 'opening', url: 'http://b' });
    expect(win.frame).toBeNull();
  });
});

describe('actions', () => {
  it('opens and records the URL of the URL bar', async () => {
    const { ctl, win, go } = setup();
    win.url = '  http://127.0.0.1:7860 ';
    await ctl.open();
    expect(go.Session.Open).toHaveBeenCalledWith('http://127.0.0.1:7860');
    expect(win.state.mode).toBe('opening');
    await ctl.record();
    expect(go.Session.Record).toHaveBeenCalledWith('http://127.0.0.1:7860');
    expect(win.state.mode).toBe('recording');
  });

  it('does not open an empty URL', async () => {
    const { ctl, go } = setup();
    await ctl.open();
    expect(go.Session.Open).not.toHaveBeenCalled();
  });

  it('shows a rejected action as a fault, unless the Go side told one', async () => {
    const { fake, ctl, win, go } = setup();
    ctl.start();
    await settle();
    go.Files.Save.mockRejectedValueOnce(new Error('disk full'));
    await ctl.save();
    expect(win.state.fault).toEqual({ kind: 'internal', title: 'Could not save the recording', detail: 'disk full', hint: '' });

    const told = { kind: 'unreachable' as const, title: 'http://x does not answer', detail: 'refused', hint: 'Start it' };
    go.Session.Record.mockImplementationOnce(async () => {
      fake.emit('state', { ...EMPTY_STATE, fault: told });
      throw new Error('http://x does not answer: refused');
    });
    await ctl.record();
    expect(win.state.fault).toEqual(told);

    ctl.dismissFault();
    expect(win.state.fault).toBeUndefined();
  });

  it('clears the last fault when an action starts', async () => {
    const { ctl, win } = setup();
    win.state = { ...EMPTY_STATE, fault: { kind: 'load', title: 'old', detail: '', hint: '' } };
    await ctl.stop();
    expect(win.state.fault).toBeUndefined();
  });

  it('recovers an unsaved recording', async () => {
    const { ctl, go } = setup();
    await ctl.recover('/d/autosave/1.json.journal');
    expect(go.Files.Recover).toHaveBeenCalledWith('/d/autosave/1.json.journal');
  });
});

describe('code', () => {
  it('generates when the Code tab is shown, and again shortly after a call completes', async () => {
    vi.useFakeTimers();
    const { fake, ctl, win, go } = setup();
    go.Session.Calls.mockResolvedValue([call(1)]);
    ctl.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(go.Code.Generate).not.toHaveBeenCalled(); // the Calls tab is shown

    ctl.showTab('code');
    await vi.advanceTimersByTimeAsync(0);
    expect(go.Code.Generate).toHaveBeenCalledTimes(1);
    expect(go.Code.Generate).toHaveBeenLastCalledWith('python', 'script', false);
    expect(win.code.code?.code).toBe('print("hi")\n');

    fake.emit('call', { kind: 'completed', call: call(2) });
    fake.emit('call', { kind: 'completed', call: call(3) });
    await vi.advanceTimersByTimeAsync(CODE_DELAY_MS - 10);
    expect(go.Code.Generate).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(go.Code.Generate).toHaveBeenCalledTimes(2);
  });

  it('generates a tab that was hidden when the calls changed once it is shown', async () => {
    const { fake, ctl, go } = setup();
    ctl.start();
    await settle();
    ctl.showTab('code');
    await settle();
    expect(go.Code.Generate).not.toHaveBeenCalled(); // no calls yet

    ctl.showTab('calls');
    fake.emit('call', { kind: 'completed', call: call(1) });
    ctl.showTab('code');
    await settle();
    expect(go.Code.Generate).toHaveBeenCalledTimes(1);
    ctl.showTab('calls');
    ctl.showTab('code');
    expect(go.Code.Generate).toHaveBeenCalledTimes(1); // not stale
  });

  it('keeps only the answer to the last request', async () => {
    const { ctl, win, go } = setup();
    win.calls = [{ phase: 'completed', call: call(1) }];
    let answerFirst!: (code: never) => void;
    go.Code.Generate.mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)));
    const first = ctl.chooseCode('go', 'script');
    await ctl.chooseCode('javascript', 'test');
    answerFirst({ lang: 'go', flavour: 'script', filename: 'main.go', code: 'package main' } as never);
    await first;
    expect(win.code.code?.lang).toBe('javascript');
  });

  it('reads the changes with the code, and keeps only the answer to the last request', async () => {
    const { ctl, win, go } = setup();
    win.calls = [{ phase: 'completed', call: call(1) }, { phase: 'completed', call: call(2) }];
    const first = [{ call: 1, into: 0, reason: 'it only changed how the page looks (no value)' }];
    const second = [{ call: 2, into: 0, reason: 'it only changed how the page looks (no value)' }];
    let answerFirst!: (changes: never) => void;
    go.Code.Changes.mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)));
    go.Code.Changes.mockResolvedValueOnce(second);
    const pending = ctl.chooseTrace(true);
    await ctl.chooseTrace(false);
    answerFirst(first as never);
    await pending;
    expect(go.Code.Changes).toHaveBeenCalledTimes(2);
    expect(go.Code.Generate.mock.calls.map((c) => c[2])).toEqual([true, false]);
    expect(win.changes).toEqual(second);

    // Nothing is marked when they cannot be read; the code is still shown.
    go.Code.Changes.mockRejectedValueOnce(new Error('changes: broken'));
    await ctl.generateCode();
    expect(win.changes).toEqual([]);
    expect(win.code.code?.code).toBe('print("hi")\n');
  });

  it('forgets the changes of a recording that is no longer shown', async () => {
    const { fake, ctl, win } = setup();
    ctl.start();
    await settle();
    win.changes = [{ call: 1, into: 0, reason: 'it only changed how the page looks (no value)' }];
    fake.emit('state', { ...EMPTY_STATE, mode: 'recording', url: 'http://b' });
    expect(win.changes).toEqual([]);
  });

  it('exports and copies', async () => {
    const { ctl, win, go, fake } = setup();
    go.Code.Export.mockResolvedValue({ dir: '/out', files: ['a.py', 'b.py'] });
    win.code = { ...win.code, lang: 'go', flavour: 'test' };
    await ctl.exportCode();
    expect(go.Code.Export).toHaveBeenCalledWith('go', 'test', false);
    expect(win.code.exported).toBe('Exported 2 files to /out');

    expect(await ctl.copyCode()).toBe(false); // nothing to copy
    win.code = { ...win.code, code: { lang: 'go', flavour: 'test', filename: 'x', code: 'package x' } };
    vi.stubGlobal('navigator', {});
    expect(await ctl.copyCode()).toBe(true);
    expect(fake.backend.runtime.ClipboardSetText).toHaveBeenCalledWith('package x');
    vi.unstubAllGlobals();
  });
});

describe('replay', () => {
  const report: Report = {
    url: 'http://a',
    started: '2026-03-01T12:00:00Z',
    duration_ns: 1e9,
    outcome: 'mismatch',
    calls: [
      { id: 1, session: 's1', endpoint: '/p', status: 'pass', duration_ns: 1, server_time_ns: 0 },
      { id: 2, session: 's1', endpoint: '/p', status: 'fail', duration_ns: 1, server_time_ns: 0 },
    ],
  };

  it('shows results as they arrive, then the report', async () => {
    const { fake, ctl, win, go } = setup();
    ctl.start();
    await settle();
    fake.emit('replay', report.calls[0]); // not running: ignored
    expect(win.replay.results).toEqual([]);

    let finish!: (r: Report) => void;
    go.Replay.Run.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    win.replayUrl = ' http://staging ';
    const running = ctl.runReplay();
    expect(go.Replay.Run).toHaveBeenCalledWith('http://staging');
    expect(win.tab).toBe('replay');
    fake.emit('replay', report.calls[0]);
    expect(win.replay).toMatchObject({ running: true, results: [report.calls[0]] });

    await ctl.runReplay(); // one at a time
    expect(go.Replay.Run).toHaveBeenCalledTimes(1);

    finish(report);
    await running;
    expect(win.replay).toMatchObject({ running: false, report, results: report.calls });
  });

  it('keeps why Run failed', async () => {
    const { ctl, win, go } = setup();
    go.Replay.Run.mockRejectedValue(new Error('no recording'));
    await ctl.runReplay();
    expect(win.replay).toMatchObject({ running: false, error: 'no recording' });
  });
});
