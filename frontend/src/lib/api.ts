// The TypeScript half of docs/desktop.md: the Go services Wails binds under
// window.go.app, and the runtime's events and clipboard. The backend is
// injectable so that tests can pass a fake.

import type {
  Call,
  Change,
  Code,
  Events,
  Export,
  ExtensionStatus,
  Flavour,
  KeyInput,
  Lang,
  MouseInput,
  PairingCode,
  Recording,
  Report,
  State,
  Unsaved,
  ViewRect,
} from './types';

export interface SessionService {
  State(): Promise<State>;
  Open(url: string): Promise<State>;
  Record(url: string): Promise<State>;
  Stop(): Promise<State>;
  Calls(): Promise<Call[]>;
  Recording(): Promise<Recording>;
  Resize(rect: ViewRect): Promise<void>;
  SetLive(on: boolean): Promise<void>;
  Mouse(input: MouseInput): Promise<void>;
  Wheel(x: number, y: number, dx: number, dy: number): Promise<void>;
  Key(input: KeyInput): Promise<void>;
}

/** What the live view uses of the session. */
export type ViewSession = Pick<SessionService, 'Resize' | 'SetLive' | 'Mouse' | 'Wheel' | 'Key'>;

export interface FilesService {
  Save(): Promise<State>;
  SaveAs(): Promise<State>;
  SaveTo(path: string): Promise<State>;
  OpenRecording(): Promise<State>;
  /** Asks where, writes the recording as a HAR file; its path, or "" when cancelled. */
  ExportHAR(): Promise<string>;
  Load(path: string): Promise<State>;
  RecentURLs(): Promise<string[]>;
  Unsaved(): Promise<Unsaved[]>;
  Recover(path: string): Promise<State>;
}

/** trace: every call the page made, as it made it; else the intent form. */
export interface CodeService {
  Generate(lang: Lang, flavour: Flavour, trace: boolean): Promise<Code>;
  Export(lang: Lang, flavour: Flavour, trace: boolean): Promise<Export>;
  ExportTo(dir: string, lang: Lang, flavour: Flavour, trace: boolean): Promise<Export>;
  Changes(): Promise<Change[]>;
}

export interface ReplayService {
  Run(url: string): Promise<Report>;
}

export interface ExtensionService {
  Status(): Promise<ExtensionStatus>;
  Listen(): Promise<ExtensionStatus>;
  NewCode(): Promise<PairingCode>;
  Revoke(install: string): Promise<void>;
}

/** What the Wails runtime puts on window: the bound services and the runtime. */
export interface Backend {
  go: {
    app: {
      Session: SessionService;
      Files: FilesService;
      Code: CodeService;
      Replay: ReplayService;
      Extension: ExtensionService;
    };
  };
  runtime: {
    EventsOn(name: string, callback: (data: never) => void): (() => void) | void;
    EventsOff(name: string): void;
    ClipboardSetText(text: string): Promise<boolean>;
  };
}

export interface Api {
  readonly session: SessionService;
  readonly files: FilesService;
  readonly code: CodeService;
  readonly replay: ReplayService;
  readonly extension: ExtensionService;
  /** Listens to an event until the returned function is called. */
  on<E extends keyof Events>(name: E, callback: (payload: Events[E]) => void): () => void;
  /** Puts text on the clipboard: the browser's, or else the runtime's. */
  copy(text: string): Promise<void>;
}

export function createApi(backend: Backend = window as unknown as Backend): Api {
  return {
    get session() {
      return backend.go.app.Session;
    },
    get files() {
      return backend.go.app.Files;
    },
    get code() {
      return backend.go.app.Code;
    },
    get replay() {
      return backend.go.app.Replay;
    },
    get extension() {
      return backend.go.app.Extension;
    },
    on(name, callback) {
      const off = backend.runtime.EventsOn(name, callback as (data: never) => void);
      return typeof off === 'function' ? off : () => backend.runtime.EventsOff(name);
    },
    async copy(text) {
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        if (!(await backend.runtime.ClipboardSetText(text))) {
          throw new Error('the clipboard refused the text');
        }
      }
    },
  };
}

/** The message of a rejected call: Wails rejects with the Go error's text. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return JSON.stringify(err);
}
