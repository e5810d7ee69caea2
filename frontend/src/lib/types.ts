// The types of the contract with the Go side (docs/desktop.md), of the
// recording document (docs/recording-format.md) and of the replay report
// (package replay). Each interface mirrors the JSON of a Go type, and each
// union the constants of one: TestTypesTS (app/types_test.go) fails, naming
// the member, when they differ. A member is optional (name?) exactly when
// the Go field is omitempty or omitzero; Json is JSON the window does not
// look into.

/** Free JSON, as the app sent it. */
export type Json = unknown;

// ---- The window -------------------------------------------------------

export type Mode = 'empty' | 'opening' | 'browsing' | 'recording' | 'stopped' | 'loaded';

export interface State {
  mode: Mode;
  url: string;
  title: string;
  path: string;
  saved: boolean;
  calls: number;
  fault?: Fault;
}

export type FaultKind =
  | 'not-gradio'
  | 'unreachable'
  | 'login'
  | 'app-gone'
  | 'chromium-missing'
  | 'chromium-crashed'
  | 'save'
  | 'load'
  | 'export'
  | 'replay'
  | 'internal';

export interface Fault {
  kind: FaultKind;
  title: string;
  detail: string;
  hint: string;
}

export type MouseButton = 'left' | 'middle' | 'right' | 'none';

export interface MouseInput {
  type: 'mousePressed' | 'mouseReleased' | 'mouseMoved';
  x: number;
  y: number;
  button: MouseButton;
  clicks: number;
  modifiers: number;
}

export interface KeyInput {
  type: 'keyDown' | 'keyUp' | 'char';
  key: string;
  code: string;
  text: string;
  keyCode: number;
  modifiers: number;
}

export interface ViewRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Lang = 'python' | 'javascript' | 'go' | 'curl';
export type Flavour = 'script' | 'test';

export interface Code {
  lang: Lang;
  flavour: Flavour;
  filename: string;
  code: string;
}

export interface Export {
  dir: string; // "" when the person cancelled
  files: string[];
  note?: string; // what to know before running it
}

/**
 * What the intent form of the code makes of a recorded call it does not make
 * as recorded (codegen.Change): into is the intent call that makes it, or 0
 * when it is left out; reason says why, for people.
 */
export interface Change {
  call: number;
  into: number;
  reason: string;
}

export interface Unsaved {
  path: string;
  url: string;
  calls: number;
  modified: string;
  crashed: boolean; // only a journal is left: the window ended while recording
}

// ---- The browser extension's backend -----------------------------------

export interface ExtensionStatus {
  port: number;
  listening: boolean;
  off: boolean; // the window does not host it (-extension-port -1)
  busy: boolean; // another program listens on port
  error?: string;
  hint?: string;
  dir: string; // where recordings made in the browser are saved
  paired: PairedBrowser[] | null;
  connected: number;
  recordings: BrowserRecording[] | null; // newest first
}

export interface PairedBrowser {
  install: string;
  browser: string;
  paired: string;
  connected: boolean;
}

export interface PairingCode {
  code: string;
  expires: string;
  port: number;
}

export interface BrowserRecording {
  rec: string;
  url: string; // the tab's URL when it started
  path: string;
  started: string;
  active: boolean;
  calls: number;
  ok: boolean;
  message?: string;
}

export interface BrowserCall {
  rec: string;
  url: string;
  kind: CallEventKind;
  call: Call;
}

// ---- Events -------------------------------------------------------------

export type CallEventKind = 'started' | 'updated' | 'completed';

export interface CallEvent {
  kind: CallEventKind;
  call: Call;
}

export interface Frame {
  data: string; // base64 JPEG
  width: number;
  height: number;
}

export interface Events {
  state: State;
  call: CallEvent;
  frame: Frame;
  replay: CallResult;
  extension: ExtensionStatus;
  'browser-call': BrowserCall;
  'browser-recording': BrowserRecording;
}

// ---- The recording ------------------------------------------------------

export type CallStatus = 'completed' | 'error' | 'cancelled' | 'incomplete';

export interface Call {
  id: number;
  session: string;
  fn_index: number;
  api_name?: string;
  via: 'queue' | 'run';
  event_id?: string;
  inputs: Arg[];
  data: Json[];
  event_data?: Json;
  trigger_id?: number;
  status: CallStatus;
  outputs?: Json[];
  updates?: Json[][];
  log?: Log[];
  progress?: Progress[];
  error?: CallError;
  started: string;
  duration: number; // seconds
  server_time?: number; // seconds
}

export interface Arg {
  name: string;
  value: Json;
}

export interface Log {
  level: 'info' | 'warning' | 'success' | 'error';
  message: string;
  title?: string;
}

export interface Progress {
  bars: Bar[];
}

export interface Bar {
  index?: number;
  length?: number;
  unit?: string;
  progress?: number;
  desc?: string;
}

export interface CallError {
  message: string;
  title?: string;
  http?: number;
}

export interface Recording {
  format: string;
  created: string;
  tool: string;
  app: RecordedApp;
  sessions: Session[];
  calls: Call[];
  files?: Json[];
  masks?: Json[];
}

/** The recorded app (recording.App). */
export interface RecordedApp {
  url: string;
  root: string;
  api_prefix: string;
  gradio_version: string;
  protocol: string;
  space_id?: string;
  auth?: boolean;
  heartbeat?: boolean;
  endpoints: Json[];
}

export interface Session {
  id: string;
  hash: string;
}

// ---- The replay report --------------------------------------------------

export type ResultStatus = 'pass' | 'fail' | 'drift' | 'error' | 'skipped';
export type Outcome = 'pass' | 'mismatch' | 'slower' | 'drift' | 'unreachable';

export interface Diff {
  path: string;
  want: string;
  got: string;
  note?: string;
}

export interface Drift {
  fn_index: number;
  endpoint: string;
  kind: string;
  detail: string;
}

export interface CallResult {
  id: number;
  session: string;
  endpoint: string;
  status: ResultStatus;
  diffs?: Diff[];
  error?: string;
  reason?: string;
  duration_ns: number;
  server_time_ns: number;
}

export interface Report {
  url: string;
  started: string;
  duration_ns: number;
  outcome: Outcome;
  error?: string;
  drift?: Drift[];
  calls: CallResult[];
  latency?: Latency[];
  max_slowdown?: number;
}

/** Percentiles of an endpoint's call durations. */
export interface Timing {
  p50_ns: number;
  p95_ns: number;
  max_ns: number;
}

/** An endpoint's latency in the recording and in the replay. */
export interface Latency {
  endpoint: string;
  calls: number;
  recorded: Timing;
  replayed: Timing;
  slowdown: number;
  too_slow?: boolean;
}
