// The window's state, as Svelte 5 runes ($state), and the pure functions
// that update it. The controller (controller.ts) feeds it from the Go side;
// the components read it.

import type {
  BrowserCall,
  BrowserRecording,
  Call,
  CallEventKind,
  CallResult,
  Change,
  Code,
  Export,
  ExtensionStatus,
  Fault,
  Flavour,
  Frame,
  Lang,
  PairingCode,
  Report,
  State,
  Unsaved,
} from './types';

// ---- State ----------------------------------------------------------------

export const EMPTY_STATE: State = { mode: 'empty', url: '', title: '', path: '', saved: true, calls: 0 };

/** The recording, or where it stands, changed: its calls must be read again. */
export function recordingChanged(prev: State, next: State): boolean {
  return prev.mode !== next.mode || prev.path !== next.path;
}

/** Another recording is shown: a new one, one opened from a file, or none. */
export function newRecording(prev: State, next: State): boolean {
  switch (next.mode) {
    case 'recording':
      return prev.mode !== 'recording';
    case 'loaded':
      return prev.mode !== 'loaded' || prev.path !== next.path;
    case 'empty':
      return prev.mode !== 'empty';
    default:
      return false;
  }
}

export function withFault(state: State, fault: Fault): State {
  return { ...state, fault };
}

export function dismissFault(state: State): State {
  return { ...state, fault: undefined };
}

// ---- Calls ----------------------------------------------------------------

/** The latest copy of a call, and how far along it was when it was sent. */
export interface CallEntry {
  call: Call;
  phase: CallEventKind;
}

const RANK: Record<CallEventKind, number> = { started: 0, updated: 1, completed: 2 };

/**
 * Applies a call event. Events may arrive out of order: a copy from an
 * earlier phase (an update after the completion) does not replace a later one.
 */
export function applyCall(entries: CallEntry[], phase: CallEventKind, call: Call): CallEntry[] {
  const i = entries.findIndex((e) => e.call.id === call.id);
  if (i < 0) return [...entries, { call, phase }].sort((a, b) => a.call.id - b.call.id);
  if (RANK[phase] < RANK[entries[i].phase]) return entries;
  return entries.map((e, j) => (j === i ? { call, phase } : e));
}

/** The phase of a call read from the recording rather than from an event. */
function phaseOf(call: Call): CallEventKind {
  return call.status === 'incomplete' ? 'updated' : 'completed';
}

/**
 * Adds the calls read from the recording to those the events brought,
 * keeping a copy from an event when it is further along.
 */
export function mergeCalls(entries: CallEntry[], calls: Call[]): CallEntry[] {
  return calls.reduce((merged, call) => applyCall(merged, phaseOf(call), call), entries);
}

export function findCall(entries: CallEntry[], id: number | null): CallEntry | undefined {
  return id === null ? undefined : entries.find((e) => e.call.id === id);
}

// ---- Code -----------------------------------------------------------------

export interface CodeState {
  lang: Lang;
  flavour: Flavour;
  /** Every call the page made, as it made it; else the intent form. */
  trace: boolean;
  code: Code | null;
  error: string;
  busy: boolean;
  /** What the last export did, for people. */
  exported: string;
}

export const INITIAL_CODE: CodeState = {
  lang: 'python',
  flavour: 'script',
  trace: false,
  code: null,
  error: '',
  busy: false,
  exported: '',
};

export function chooseCode(state: CodeState, lang: Lang, flavour: Flavour): CodeState {
  return { ...state, lang, flavour, exported: '' };
}

export function chooseTrace(state: CodeState, trace: boolean): CodeState {
  return { ...state, trace, exported: '' };
}

/** The changes the timeline marks: those of the intent form, while the code panel shows it. */
export function changesShown(state: CodeState, changes: Change[]): Change[] {
  return state.trace ? [] : changes;
}

export function codeRequested(state: CodeState): CodeState {
  return { ...state, busy: true };
}

export function codeGenerated(state: CodeState, code: Code): CodeState {
  return { ...state, code, error: '', busy: false };
}

export function codeFailed(state: CodeState, error: string): CodeState {
  return { ...state, code: null, error, busy: false };
}

/** Tells what an export wrote, and what to know before running it. */
export function codeExported(state: CodeState, result: Export): CodeState {
  if (!result.dir) return { ...state, exported: '' };
  const n = result.files.length;
  const exported = `Exported ${n} ${n === 1 ? 'file' : 'files'} to ${result.dir}`;
  return { ...state, exported: result.note ? `${exported}. ${result.note}` : exported };
}

// ---- Replay ---------------------------------------------------------------

export interface ReplayState {
  running: boolean;
  results: CallResult[];
  report: Report | null;
  /** Why Run itself failed (a rejected call, not a failed replay). */
  error: string;
}

export const INITIAL_REPLAY: ReplayState = { running: false, results: [], report: null, error: '' };

export function replayStarted(): ReplayState {
  return { ...INITIAL_REPLAY, running: true };
}

/** Adds (or replaces) a call's result as it arrives. */
export function applyResult(state: ReplayState, result: CallResult): ReplayState {
  const results = state.results.filter((r) => r.id !== result.id);
  results.push(result);
  results.sort((a, b) => a.id - b.id);
  return { ...state, results };
}

export function replayFinished(state: ReplayState, report: Report): ReplayState {
  return { ...state, running: false, report, results: report.calls ?? [] };
}

export function replayFailed(state: ReplayState, error: string): ReplayState {
  return { ...state, running: false, error };
}

// ---- The browser extension ------------------------------------------------

/** The browser extension's backend, and the recordings it made since the window opened. */
export interface BrowserState {
  status: ExtensionStatus | null;
  /** The pairing code shown, until it is used or expires. */
  code: PairingCode | null;
  /** Why the last action failed. */
  error: string;
  /** Newest first. */
  recordings: BrowserRecording[];
  /** The calls of each recording, by its rec. */
  calls: Record<string, CallEntry[]>;
  /** The recording whose calls are shown. */
  selected: string | null;
  /** The call whose details are shown. */
  call: number | null;
}

export const INITIAL_BROWSER: BrowserState = {
  status: null,
  code: null,
  error: '',
  recordings: [],
  calls: {},
  selected: null,
  call: null,
};

/** Puts a recording in the list; a stopped copy is final, and an active copy never replaces it. */
function putRecording(list: BrowserRecording[], rec: BrowserRecording): BrowserRecording[] {
  const i = list.findIndex((r) => r.rec === rec.rec && r.path === rec.path);
  if (i < 0) return [rec, ...list];
  if (rec.active && !list[i].active) return list;
  return list.map((r, j) => (j === i ? rec : r));
}

/** Shows a recording that started or stopped; one that starts is shown unless another is still recording. */
export function browserRecording(state: BrowserState, rec: BrowserRecording): BrowserState {
  const recordings = putRecording(state.recordings, rec);
  const shown = state.recordings.find((r) => r.rec === state.selected);
  const follow = rec.active && (!shown || !shown.active);
  return follow ? { ...state, recordings, selected: rec.rec, call: null } : { ...state, recordings };
}

/** Shows the new status. A code is done with once a new browser is paired. */
export function browserStatus(state: BrowserState, status: ExtensionStatus): BrowserState {
  const recordings = (status.recordings ?? [])
    .slice()
    .reverse()
    .reduce((list, rec) => putRecording(list, rec), state.recordings);
  const before = new Set((state.status?.paired ?? []).map((p) => p.install));
  const paired = (status.paired ?? []).some((p) => !before.has(p.install));
  const code = state.code && (paired || !status.listening) ? null : state.code;
  return { ...state, status, recordings, code };
}

/** Applies a call of a recording made in the browser. */
export function browserCall(state: BrowserState, event: BrowserCall): BrowserState {
  const entries = applyCall(state.calls[event.rec] ?? [], event.kind, event.call);
  return { ...state, calls: { ...state.calls, [event.rec]: entries } };
}

// ---- The window's state ----------------------------------------------------

export type Tab = 'calls' | 'code' | 'replay' | 'browser';

export interface FilesState {
  recent: string[];
  unsaved: Unsaved[];
}

/**
 * What the window shows. Its objects and arrays are replaced, never changed
 * in place (the functions above return new ones), so they are $state.raw:
 * kept as they are, without a proxy; assigning a new one updates the
 * components.
 */
export class WindowState {
  state = $state.raw<State>(EMPTY_STATE);
  frame = $state.raw<Frame | null>(null);
  calls = $state.raw<CallEntry[]>([]);
  /** The call whose details are shown. */
  selected = $state<number | null>(null);
  code = $state.raw<CodeState>(INITIAL_CODE);
  /** What the intent form made of the recorded calls when the code was last generated. */
  changes = $state.raw<Change[]>([]);
  replay = $state.raw<ReplayState>(INITIAL_REPLAY);
  /** The app to replay against; "" is the recorded one. */
  replayUrl = $state('');
  files = $state.raw<FilesState>({ recent: [], unsaved: [] });
  tab = $state<Tab>('calls');
  /** The text of the URL bar. */
  url = $state('');
  browser = $state.raw<BrowserState>(INITIAL_BROWSER);
}
