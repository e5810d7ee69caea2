import { describe, expect, it } from 'vitest';
import { call } from '../test/fake';
import {
  basename,
  callStatus,
  changeTitle,
  endpointName,
  formatNanoseconds,
  formatSeconds,
  lastProgress,
  modeLabel,
  prettyJSON,
  replaySummary,
  unsaved,
} from './format';
import { previews } from './previews';
import { EMPTY_STATE } from './window.svelte';
import type { CallResult } from './types';

describe('calls', () => {
  it('names the endpoint, or the function when it has no API name', () => {
    expect(endpointName(call(1))).toBe('/predict');
    expect(endpointName(call(1, { api_name: undefined, fn_index: 4 }))).toBe('fn 4');
  });

  it('shows a call as running while the recording waits for it', () => {
    const running = { call: call(1, { status: 'incomplete' }), phase: 'updated' as const };
    expect(callStatus(running, true)).toEqual({ label: 'running', tone: 'running' });
    expect(callStatus(running, false)).toEqual({ label: 'Incomplete', tone: 'incomplete' });
    expect(callStatus({ call: call(1, { status: 'error' }), phase: 'completed' }, true).label).toBe('Failed');
    expect(callStatus({ call: call(1, { status: 'cancelled' }), phase: 'completed' }, false).label).toBe('Cancelled');
    expect(callStatus({ call: call(1), phase: 'completed' }, false).label).toBe('Completed');
  });

  it('shows the innermost bar of the last progress update', () => {
    expect(lastProgress(call(1))).toBe('');
    const progress = [
      { bars: [{ desc: 'Loading', index: 1, length: 10 }] },
      { bars: [{ desc: 'Epoch', index: 1, length: 3 }, { desc: 'Step', index: 4, length: 10, unit: 'steps' }] },
    ];
    expect(lastProgress(call(1, { progress }))).toBe('Step 4/10 steps');
    expect(lastProgress(call(1, { progress: [{ bars: [{ progress: 0.42 }] }] }))).toBe('42%');
  });
});

describe('changes', () => {
  it('says what the intent code made of a call', () => {
    expect(changeTitle({ call: 3, into: 0, reason: 'it only changed how the page looks (no value)' })).toBe(
      'Left out of the intent code: it only changed how the page looks (no value)',
    );
    expect(changeTitle({ call: 10, into: 9, reason: 'part of a ChatInterface turn' })).toBe(
      'Made by call 9 in the intent code: part of a ChatInterface turn',
    );
  });
});

describe('numbers and text', () => {
  it('writes durations', () => {
    expect(formatSeconds(0.0421)).toBe('42 ms');
    expect(formatSeconds(1.5)).toBe('1.50 s');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatNanoseconds(250e6)).toBe('250 ms');
  });

  it('cuts long JSON', () => {
    expect(prettyJSON({ a: 1 })).toBe('{\n  "a": 1\n}');
    const long = prettyJSON('x'.repeat(100), 10);
    expect(long.startsWith('"xxxxxxxxx')).toBe(true);
    expect(long).toContain('… 92 more characters');
  });

  it('says the mode', () => {
    expect(modeLabel(EMPTY_STATE)).toBe('no app open');
    expect(modeLabel({ ...EMPTY_STATE, mode: 'recording', calls: 1 })).toBe('recording · 1 call');
    expect(modeLabel({ ...EMPTY_STATE, mode: 'recording', calls: 3 })).toBe('recording · 3 calls');
    expect(modeLabel({ ...EMPTY_STATE, mode: 'loaded', path: '/home/me/session.json' })).toBe('loaded session.json');
    expect(basename('C:\\x\\y.json')).toBe('y.json');
  });

  it('marks a recording with calls that is not saved', () => {
    expect(unsaved({ ...EMPTY_STATE, saved: false, calls: 2 })).toBe(true);
    expect(unsaved({ ...EMPTY_STATE, saved: false, calls: 0 })).toBe(false);
    expect(unsaved({ ...EMPTY_STATE, saved: true, calls: 2 })).toBe(false);
  });

  it('sums up a replay', () => {
    const r = (status: CallResult['status']): CallResult => ({
      id: 1,
      session: 's1',
      endpoint: '/p',
      status,
      duration_ns: 0,
      server_time_ns: 0,
    });
    expect(replaySummary([r('pass'), r('pass'), r('fail'), r('skipped')])).toBe('2 passed, 1 failed, 1 skipped');
    expect(replaySummary([r('drift'), r('error')])).toBe('1 drifted, 1 errors');
    expect(replaySummary([])).toBe('');
  });
});

describe('previews', () => {
  it('finds images and sounds at any depth, by MIME type or else by name', () => {
    const value = [
      { fixture: 'aa/cat.png', mime_type: 'image/png', orig_name: 'cat.png' },
      { gallery: [{ image: { fixture: 'bb/dog photo.webp', orig_name: 'dog photo.webp' } }] },
      { fixture: 'cc/voice.wav', mime_type: 'audio/wav' },
      { fixture: 'dd/report.pdf', mime_type: 'application/pdf' },
      { path: '/tmp/x.png', meta: { _type: 'gradio.FileData' } },
      'text',
      null,
    ];
    expect(previews(value)).toEqual([
      { kind: 'image', src: '/fixture/aa/cat.png', name: 'cat.png' },
      { kind: 'image', src: '/fixture/bb/dog%20photo.webp', name: 'dog photo.webp' },
      { kind: 'audio', src: '/fixture/cc/voice.wav', name: 'cc/voice.wav' },
    ]);
  });
});
