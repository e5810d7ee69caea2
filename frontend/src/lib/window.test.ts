import { describe, expect, it } from 'vitest';
import { call } from '../test/fake';
import {
  applyCall,
  applyResult,
  changesShown,
  chooseCode,
  chooseTrace,
  codeExported,
  codeFailed,
  codeGenerated,
  codeRequested,
  dismissFault,
  EMPTY_STATE,
  findCall,
  INITIAL_CODE,
  INITIAL_REPLAY,
  recordingChanged,
  mergeCalls,
  newRecording,
  replayFailed,
  replayFinished,
  replayStarted,
  withFault,
  type CallEntry,
} from './window.svelte';
import type { CallResult, Report, State } from './types';

const ids = (entries: CallEntry[]) => entries.map((e) => e.call.id);

function result(id: number, status: CallResult['status'] = 'pass'): CallResult {
  return { id, session: 's1', endpoint: '/predict', status, duration_ns: 1e6, server_time_ns: 0 };
}

describe('state', () => {
  it('reloads the calls when the mode or the file changes, not when the count does', () => {
    const recording = { ...EMPTY_STATE, mode: 'recording' as const, url: 'http://a', calls: 1 };
    expect(recordingChanged(EMPTY_STATE, recording)).toBe(true);
    expect(recordingChanged(recording, { ...recording, calls: 2 })).toBe(false);
    expect(recordingChanged(recording, { ...recording, mode: 'stopped' })).toBe(true);
    expect(recordingChanged(recording, { ...recording, path: '/tmp/a.json' })).toBe(true);
  });

  it('tells a new recording from a change of the one shown', () => {
    const state = (mode: State['mode'], path = '') => ({ ...EMPTY_STATE, mode, path });
    expect(newRecording(state('browsing'), state('recording'))).toBe(true);
    expect(newRecording(state('stopped'), state('recording'))).toBe(true);
    expect(newRecording(state('recording'), state('stopped'))).toBe(false);
    expect(newRecording(state('stopped'), state('stopped', '/r/a.json'))).toBe(false); // saved
    expect(newRecording(state('stopped'), state('loaded', '/r/a.json'))).toBe(true);
    expect(newRecording(state('loaded', '/r/a.json'), state('loaded', '/r/b.json'))).toBe(true);
    expect(newRecording(state('loaded', '/r/a.json'), state('browsing', '/r/a.json'))).toBe(false);
    expect(newRecording(state('stopped'), state('empty'))).toBe(true);
    expect(newRecording(state('empty'), state('opening'))).toBe(false);
  });

  it('sets and dismisses a fault', () => {
    const fault = { kind: 'save' as const, title: 'Could not save', detail: 'disk full', hint: 'Free space' };
    const faulty = withFault(EMPTY_STATE, fault);
    expect(faulty.fault).toEqual(fault);
    expect(dismissFault(faulty).fault).toBeUndefined();
    expect(dismissFault(faulty).mode).toBe('empty');
  });
});

describe('calls', () => {
  it('keeps the calls ordered by id whatever order they start in', () => {
    let entries: CallEntry[] = [];
    entries = applyCall(entries, 'started', call(3));
    entries = applyCall(entries, 'started', call(1));
    entries = applyCall(entries, 'started', call(2));
    expect(ids(entries)).toEqual([1, 2, 3]);
  });

  it('keeps the latest copy of a call', () => {
    let entries = applyCall([], 'started', call(1, { status: 'incomplete', updates: [] }));
    entries = applyCall(entries, 'updated', call(1, { status: 'incomplete', updates: [['a']] }));
    entries = applyCall(entries, 'updated', call(1, { status: 'incomplete', updates: [['a'], ['ab']] }));
    expect(entries).toHaveLength(1);
    expect(entries[0].phase).toBe('updated');
    expect(entries[0].call.updates).toEqual([['a'], ['ab']]);
    entries = applyCall(entries, 'completed', call(1, { outputs: ['abc'] }));
    expect(entries[0]).toMatchObject({ phase: 'completed', call: { status: 'completed', outputs: ['abc'] } });
  });

  it('does not let an update that arrives after the completion undo it', () => {
    let entries = applyCall([], 'started', call(1, { status: 'incomplete' }));
    entries = applyCall(entries, 'completed', call(1, { outputs: ['final'] }));
    const after = applyCall(entries, 'updated', call(1, { status: 'incomplete', outputs: ['partial'] }));
    expect(after).toBe(entries);
    expect(after[0].call.outputs).toEqual(['final']);
    expect(applyCall(entries, 'started', call(1, { status: 'incomplete' }))).toBe(entries);
  });

  it('takes a completion that arrives before the start', () => {
    let entries = applyCall([], 'completed', call(1, { status: 'error', error: { message: 'boom' } }));
    entries = applyCall(entries, 'started', call(1, { status: 'incomplete' }));
    expect(entries[0]).toMatchObject({ phase: 'completed', call: { status: 'error' } });
  });

  it('adds the calls of the recording to those from events, keeping copies that are further along', () => {
    let entries = applyCall([], 'completed', call(2, { outputs: ['live'] }));
    entries = applyCall(entries, 'started', call(9, { status: 'incomplete' }));
    const listed = [call(1), call(2, { status: 'incomplete', outputs: ['snapshot'] }), call(3, { status: 'incomplete' })];
    const merged = mergeCalls(entries, listed);
    expect(ids(merged)).toEqual([1, 2, 3, 9]);
    expect(merged[0].phase).toBe('completed');
    expect(merged[1]).toMatchObject({ phase: 'completed', call: { outputs: ['live'] } });
    expect(merged[2].phase).toBe('updated');
    expect(merged[3].phase).toBe('started');
    // A call the recording finished (when it stopped) replaces its running copy.
    expect(mergeCalls(merged, [call(9, { status: 'incomplete', error: { message: 'stream broke' } })])[3]).toMatchObject({
      phase: 'updated',
      call: { error: { message: 'stream broke' } },
    });
  });

  it('finds the selected call', () => {
    const entries = applyCall(applyCall([], 'started', call(1)), 'started', call(2));
    expect(findCall(entries, 2)?.call.id).toBe(2);
    expect(findCall(entries, null)).toBeUndefined();
    expect(findCall(entries, 7)).toBeUndefined();
  });
});

describe('code', () => {
  it('goes from a request to the code or an error', () => {
    const chosen = chooseCode({ ...INITIAL_CODE, exported: 'Exported 2 files to /x' }, 'go', 'test');
    expect(chosen).toMatchObject({ lang: 'go', flavour: 'test', exported: '' });
    const busy = codeRequested(chosen);
    expect(busy.busy).toBe(true);
    const code = { lang: 'go' as const, flavour: 'test' as const, filename: 'app_test.go', code: 'package main' };
    expect(codeGenerated(busy, code)).toMatchObject({ code, error: '', busy: false });
    expect(codeFailed(codeGenerated(busy, code), 'no calls')).toMatchObject({ code: null, error: 'no calls', busy: false });
  });

  it('shows the intent form by default, and marks its changes only while it is shown', () => {
    expect(INITIAL_CODE.trace).toBe(false);
    const changes = [{ call: 1, into: 0, reason: 'it only changed how the page looks (no value)' }];
    expect(changesShown(INITIAL_CODE, changes)).toEqual(changes);
    const trace = chooseTrace({ ...INITIAL_CODE, exported: 'Exported 2 files to /x' }, true);
    expect(trace).toMatchObject({ trace: true, exported: '' });
    expect(changesShown(trace, changes)).toEqual([]);
    expect(chooseCode(trace, 'go', 'test').trace).toBe(true);
  });

  it('tells what an export wrote, and nothing when it was cancelled', () => {
    expect(codeExported(INITIAL_CODE, { dir: '/home/me/out', files: ['test_app.py', 'fixtures/a.png'] }).exported).toBe(
      'Exported 2 files to /home/me/out',
    );
    expect(codeExported(INITIAL_CODE, { dir: '/o', files: ['a.py'] }).exported).toBe('Exported 1 file to /o');
    expect(codeExported(INITIAL_CODE, { dir: '', files: [] }).exported).toBe('');
    expect(codeExported(INITIAL_CODE, { dir: '/o', files: ['main.go'], note: 'add a replace directive' }).exported).toBe(
      'Exported 1 file to /o. add a replace directive',
    );
  });
});

describe('replay', () => {
  it('fills results as they arrive, by id, then takes the report', () => {
    let s = replayStarted();
    expect(s).toEqual({ ...INITIAL_REPLAY, running: true });
    s = applyResult(s, result(2, 'fail'));
    s = applyResult(s, result(1));
    s = applyResult(s, result(2, 'pass'));
    expect(s.results.map((r) => [r.id, r.status])).toEqual([
      [1, 'pass'],
      [2, 'pass'],
    ]);
    const report: Report = {
      url: 'http://a',
      started: '2026-03-01T12:00:00Z',
      duration_ns: 2e9,
      outcome: 'mismatch',
      calls: [result(1), result(2, 'fail'), result(3, 'skipped')],
    };
    s = replayFinished(s, report);
    expect(s.running).toBe(false);
    expect(s.report).toBe(report);
    expect(s.results.map((r) => r.status)).toEqual(['pass', 'fail', 'skipped']);
  });

  it('keeps why a replay could not run', () => {
    expect(replayFailed(replayStarted(), 'no recording')).toMatchObject({ running: false, error: 'no recording' });
  });
});
