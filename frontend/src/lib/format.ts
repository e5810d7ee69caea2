// How values are written for people.

import type { CallEntry } from './window.svelte';
import type { Call, CallResult, Change, ResultStatus, State } from './types';

export function endpointName(call: Call): string {
  return call.api_name || `fn ${call.fn_index}`;
}

const CALL_STATUS: Record<Call['status'], string> = {
  completed: 'Completed',
  error: 'Failed',
  cancelled: 'Cancelled',
  incomplete: 'Incomplete',
};

/** Why the intent code does not make a call as recorded, for its row's tooltip. */
export function changeTitle(change: Change): string {
  if (!change.into) return `Left out of the intent code: ${change.reason}`;
  return `Made by call ${change.into} in the intent code: ${change.reason}`;
}

/** A call's status badge: "running" while the recording still waits for it. */
export function callStatus(entry: CallEntry, recording: boolean): { label: string; tone: string } {
  if (recording && entry.phase !== 'completed') return { label: 'running', tone: 'running' };
  return { label: CALL_STATUS[entry.call.status] ?? entry.call.status, tone: entry.call.status };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

export function formatNanoseconds(ns: number): string {
  return formatSeconds(ns / 1e9);
}

/** The innermost bar of a call's last progress update: "desc 3/10", "desc 40%". */
export function lastProgress(call: Call): string {
  const bars = call.progress?.at(-1)?.bars ?? [];
  const bar = bars.at(-1);
  if (!bar) return '';
  let done = '';
  if (bar.index !== undefined && bar.length !== undefined) done = `${bar.index}/${bar.length}`;
  else if (bar.progress !== undefined) done = `${Math.round(bar.progress * 100)}%`;
  else if (bar.index !== undefined) done = `${bar.index}`;
  if (done && bar.unit) done += ` ${bar.unit}`;
  return [bar.desc, done].filter(Boolean).join(' ');
}

/** JSON indented for reading, cut when very long. */
export function prettyJSON(value: unknown, max = 4000): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… ${text.length - max} more characters`;
}

export function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The mode, as the header shows it. */
export function modeLabel(state: State): string {
  switch (state.mode) {
    case 'empty':
      return 'no app open';
    case 'opening':
      return 'opening…';
    case 'browsing':
      return 'browsing, not recording';
    case 'recording':
      return `recording · ${state.calls} ${state.calls === 1 ? 'call' : 'calls'}`;
    case 'stopped':
      return 'stopped';
    case 'loaded':
      return `loaded ${basename(state.path)}`;
  }
}

/** The recording exists only in the autosave folder. */
export function unsaved(state: State): boolean {
  return !state.saved && state.calls > 0;
}

const RESULT_WORDS: [ResultStatus, string][] = [
  ['pass', 'passed'],
  ['fail', 'failed'],
  ['drift', 'drifted'],
  ['error', 'errors'],
  ['skipped', 'skipped'],
];

/** "3 passed, 1 failed": the counts that are not zero. */
export function replaySummary(results: CallResult[]): string {
  return RESULT_WORDS.map(([status, word]) => [results.filter((r) => r.status === status).length, word] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`)
    .join(', ');
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
