// The window's actions: each calls the Go side and puts what comes back, or
// arrives as an event, into the window's state (window.svelte.ts).

import { errorMessage, type Api } from './api';
import {
  applyCall,
  applyResult,
  browserCall,
  browserRecording,
  browserStatus,
  chooseCode,
  chooseTrace,
  codeExported,
  codeFailed,
  codeGenerated,
  codeRequested,
  dismissFault,
  INITIAL_REPLAY,
  mergeCalls,
  newRecording,
  recordingChanged,
  replayFailed,
  replayFinished,
  replayStarted,
  withFault,
  WindowState,
  type Tab,
} from './window.svelte';
import type { Flavour, Lang, State } from './types';

/** How long code generation waits for more calls before it runs. */
export const CODE_DELAY_MS = 250;

export type Controller = ReturnType<typeof createController>;

export function createController(api: Api, win = new WindowState()) {
  // ---- State and faults --------------------------------------------------

  /** Shows the new state; returns whether that reloads the recording's calls. */
  function setState(next: State): boolean {
    const prev = win.state;
    win.state = next;
    if (next.url && next.url !== prev.url) win.url = next.url;
    if (!recordingChanged(prev, next)) return false;
    if (next.mode === 'empty' || next.mode === 'opening') win.frame = null;
    if (newRecording(prev, next)) {
      // Events of the new recording may come before its calls are read: they are kept.
      win.calls = [];
      win.changes = [];
      win.selected = null;
      win.replay = INITIAL_REPLAY;
      win.replayUrl = next.url;
    }
    void reloadCalls();
    void refreshFiles();
    return true;
  }

  /** Shows what went wrong, unless the Go side already told it as a fault. */
  function fail(title: string, err: unknown): void {
    if (win.state.fault) return;
    win.state = withFault(win.state, { kind: 'internal', title, detail: errorMessage(err), hint: '' });
  }

  /** Runs an action that answers with the new state. */
  async function act(title: string, action: () => Promise<State>): Promise<void> {
    win.state = dismissFault(win.state);
    try {
      setState(await action());
    } catch (err) {
      fail(title, err);
    }
  }

  // ---- The recording -----------------------------------------------------

  async function reloadCalls(): Promise<void> {
    try {
      const list = (await api.session.Calls()) ?? [];
      win.calls = mergeCalls(win.calls, list);
      codeChanged();
    } catch (err) {
      fail('Could not read the calls', err);
    }
  }

  async function refreshFiles(): Promise<void> {
    try {
      const [recent, unsaved] = await Promise.all([api.files.RecentURLs(), api.files.Unsaved()]);
      win.files = { recent: recent ?? [], unsaved: unsaved ?? [] };
    } catch (err) {
      fail('Could not read the recent files', err);
    }
  }

  // ---- Code --------------------------------------------------------------

  let codeStale = true;
  let codeTimer: ReturnType<typeof setTimeout> | undefined;
  let codeRequest = 0;

  /** The recording changed: the code is regenerated soon if it is shown, else when it is. */
  function codeChanged(): void {
    codeStale = true;
    if (win.tab !== 'code') return;
    clearTimeout(codeTimer);
    codeTimer = setTimeout(generateCode, CODE_DELAY_MS);
  }

  async function generateCode(): Promise<void> {
    clearTimeout(codeTimer);
    codeStale = false;
    if (win.calls.length === 0) return;
    const request = ++codeRequest;
    win.code = codeRequested(win.code);
    await Promise.all([readCode(request), readChanges(request)]);
  }

  /** Generates the code chosen; only the answer to the last request is shown. */
  async function readCode(request: number): Promise<void> {
    const { lang, flavour, trace } = win.code;
    try {
      const result = await api.code.Generate(lang, flavour, trace);
      if (request === codeRequest) win.code = codeGenerated(win.code, result);
    } catch (err) {
      if (request === codeRequest) win.code = codeFailed(win.code, errorMessage(err));
    }
  }

  /** Reads what the intent form makes of the calls, for the timeline; nothing is marked when that fails. */
  async function readChanges(request: number): Promise<void> {
    try {
      const list = (await api.code.Changes()) ?? [];
      if (request === codeRequest) win.changes = list;
    } catch {
      // The code panel says why the code could not be generated.
      if (request === codeRequest) win.changes = [];
    }
  }

  function showTab(next: Tab): void {
    win.tab = next;
    if (next === 'code' && codeStale) void generateCode();
  }

  // ---- The browser extension ---------------------------------------------

  let codeExpiry: ReturnType<typeof setTimeout> | undefined;

  async function refreshBrowser(): Promise<void> {
    try {
      const status = await api.extension.Status();
      win.browser = browserStatus(win.browser, status);
    } catch (err) {
      win.browser = { ...win.browser, error: errorMessage(err) };
    }
  }

  /** Runs an action of the Browser panel: its failure is shown there. */
  async function browserAction(action: () => Promise<void>): Promise<void> {
    win.browser = { ...win.browser, error: '' };
    try {
      await action();
    } catch (err) {
      win.browser = { ...win.browser, error: errorMessage(err) };
    }
  }

  const browserActions = {
    /** Listens again, as after the port was busy. */
    retryExtension: () =>
      browserAction(async () => {
        try {
          const status = await api.extension.Listen();
          win.browser = browserStatus(win.browser, status);
        } catch {
          // The status says why it does not listen, and what to do.
        }
        await refreshBrowser();
      }),

    /** Shows a new one-time pairing code until it expires. */
    pairBrowser: () =>
      browserAction(async () => {
        const paired = await api.extension.NewCode();
        win.browser = { ...win.browser, code: paired };
        clearTimeout(codeExpiry);
        const left = new Date(paired.expires).getTime() - Date.now();
        codeExpiry = setTimeout(() => {
          if (win.browser.code?.code === paired.code) win.browser = { ...win.browser, code: null };
        }, Math.max(left, 0));
      }),

    revokeBrowser: (install: string) =>
      browserAction(async () => {
        try {
          await api.extension.Revoke(install);
        } finally {
          await refreshBrowser();
        }
      }),

    /** Copies the pairing code shown; returns whether it worked. */
    async copyPairingCode(): Promise<boolean> {
      const shown = win.browser.code;
      if (!shown) return false;
      try {
        await api.copy(shown.code);
        return true;
      } catch (err) {
        win.browser = { ...win.browser, error: errorMessage(err) };
        return false;
      }
    },

    selectBrowserRecording(rec: string): void {
      win.browser = { ...win.browser, selected: rec, call: null };
    },

    /** Shows a call's details, or hides them when it is shown. */
    selectBrowserCall(id: number): void {
      win.browser = { ...win.browser, call: win.browser.call === id ? null : id };
    },

    /** Opens a recording the browser saved in the window, as Open recording does. */
    async openBrowserRecording(path: string): Promise<void> {
      await act('Could not open the recording', () => api.files.Load(path));
      if (!win.state.fault) showTab('calls');
    },
  };

  // ---- Events ------------------------------------------------------------

  /** Listens to the Go side and reads where it stands; returns the function that stops listening. */
  function start(): () => void {
    const offs = [
      api.on('state', setState),
      api.on('call', (event) => {
        win.calls = applyCall(win.calls, event.kind, event.call);
        if (event.kind === 'completed') codeChanged();
      }),
      api.on('frame', (f) => (win.frame = f)),
      api.on('replay', (result) => {
        if (win.replay.running) win.replay = applyResult(win.replay, result);
      }),
      api.on('extension', (status) => (win.browser = browserStatus(win.browser, status))),
      api.on('browser-recording', (rec) => (win.browser = browserRecording(win.browser, rec))),
      api.on('browser-call', (event) => (win.browser = browserCall(win.browser, event))),
    ];
    void refreshBrowser();
    void (async () => {
      try {
        if (!setState(await api.session.State())) await Promise.all([reloadCalls(), refreshFiles()]);
      } catch (err) {
        fail('Could not read the window state', err);
      }
    })();
    return () => {
      offs.forEach((off) => off());
      clearTimeout(codeTimer);
      clearTimeout(codeExpiry);
    };
  }

  return {
    win,
    start,
    showTab,
    generateCode,
    ...browserActions,

    open: () => {
      const target = win.url.trim();
      return target ? act(`Could not open ${target}`, () => api.session.Open(target)) : Promise.resolve();
    },
    record: () => act('Could not start recording', () => api.session.Record(win.url.trim())),
    stop: () => act('Could not stop recording', () => api.session.Stop()),
    save: () => act('Could not save the recording', () => api.files.Save()),
    saveAs: () => act('Could not save the recording', () => api.files.SaveAs()),
    openRecording: () => act('Could not open the recording', () => api.files.OpenRecording()),

    /** Writes the recording as a HAR file; returns its path ("" when cancelled or failed). */
    async exportHAR(): Promise<string> {
      try {
        return await api.files.ExportHAR();
      } catch (err) {
        fail('Could not export the HAR file', err);
        return '';
      }
    },
    recover: (path: string) => act('Could not recover the recording', () => api.files.Recover(path)),
    dismissFault: () => {
      win.state = dismissFault(win.state);
    },

    chooseCode(lang: Lang, flavour: Flavour): Promise<void> {
      win.code = chooseCode(win.code, lang, flavour);
      return generateCode();
    },

    /** Shows the trace form (every call the page made) or the intent form. */
    chooseTrace(trace: boolean): Promise<void> {
      win.code = chooseTrace(win.code, trace);
      return generateCode();
    },

    async exportCode(): Promise<void> {
      const { lang, flavour, trace } = win.code;
      try {
        const result = await api.code.Export(lang, flavour, trace);
        win.code = codeExported(win.code, { ...result, files: result.files ?? [] });
      } catch (err) {
        fail('Could not export the code', err);
      }
    },

    /** Copies the code shown; returns whether it worked. */
    async copyCode(): Promise<boolean> {
      const text = win.code.code?.code;
      if (!text) return false;
      try {
        await api.copy(text);
        return true;
      } catch (err) {
        fail('Could not copy the code', err);
        return false;
      }
    },

    async runReplay(): Promise<void> {
      if (win.replay.running) return;
      win.tab = 'replay';
      win.replay = replayStarted();
      try {
        const report = await api.replay.Run(win.replayUrl.trim());
        win.replay = replayFinished(win.replay, report);
      } catch (err) {
        win.replay = replayFailed(win.replay, errorMessage(err));
      }
    },
  };
}
