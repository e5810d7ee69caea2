// A fake of what Wails puts on window, and sample data, for the tests.

import { vi } from 'vitest';
import type { Backend } from '../lib/api';
import { EMPTY_STATE } from '../lib/window.svelte';
import type { Call, Change, Events, ExtensionStatus, PairingCode, State, Unsaved } from '../lib/types';

export function fakeBackend() {
  const listeners = new Map<string, Set<(data: never) => void>>();
  const state = (over: Partial<State> = {}) => vi.fn(async () => ({ ...EMPTY_STATE, ...over }));
  const backend = {
    go: {
      app: {
        Session: {
          State: state(),
          Open: state({ mode: 'opening' }),
          Record: state({ mode: 'recording' }),
          Stop: state({ mode: 'stopped' }),
          Calls: vi.fn(async (): Promise<Call[]> => []),
          Recording: vi.fn(),
          Resize: vi.fn(async () => {}),
          SetLive: vi.fn(async () => {}),
          Mouse: vi.fn(async () => {}),
          Wheel: vi.fn(async () => {}),
          Key: vi.fn(async () => {}),
        },
        Files: {
          Save: state(),
          SaveAs: state(),
          SaveTo: state(),
          OpenRecording: state(),
          ExportHAR: vi.fn(async () => '/tmp/session.har'),
          Load: state(),
          RecentURLs: vi.fn(async () => [] as string[]),
          Unsaved: vi.fn(async (): Promise<Unsaved[]> => []),
          Recover: state(),
        },
        Code: {
          Generate: vi.fn(async (lang: string, flavour: string, trace: boolean) => ({
            lang,
            flavour,
            filename: 'main.py',
            code: trace ? 'client.predict(api_name="/_submit_fn")\n' : 'print("hi")\n',
          })),
          Export: vi.fn(async () => ({ dir: '', files: [] as string[] })),
          ExportTo: vi.fn(),
          Changes: vi.fn(async (): Promise<Change[]> => []),
        },
        Replay: {
          Run: vi.fn(),
        },
        Extension: {
          Status: vi.fn(async (): Promise<ExtensionStatus> => extensionStatus()),
          Listen: vi.fn(async (): Promise<ExtensionStatus> => extensionStatus()),
          NewCode: vi.fn(
            async (): Promise<PairingCode> => ({
              code: '7KQ2M-4XVZP-0HJWR-9C3AB-TN6YE-D',
              expires: new Date(Date.now() + 5 * 60_000).toISOString(),
              port: 17860,
            }),
          ),
          Revoke: vi.fn(async () => {}),
        },
      },
    },
    runtime: {
      EventsOn: vi.fn((name: string, callback: (data: never) => void) => {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name)!.add(callback);
        return () => listeners.get(name)!.delete(callback);
      }),
      EventsOff: vi.fn((name: string) => listeners.delete(name)),
      ClipboardSetText: vi.fn(async () => true),
    },
  };
  return {
    backend: backend as typeof backend & Backend,
    /** Sends an event as the Go side would. */
    emit<E extends keyof Events>(name: E, payload: Events[E]): void {
      listeners.get(name)?.forEach((callback) => (callback as (data: Events[E]) => void)(payload));
    },
    listening: (name: string) => listeners.get(name)?.size ?? 0,
  };
}

/** A call of the recording, with what a test sets. */
export function call(id: number, over: Partial<Call> = {}): Call {
  return {
    id,
    session: 's1',
    fn_index: 2,
    api_name: '/predict',
    via: 'queue',
    inputs: [{ name: 'text', value: 'hello' }],
    data: ['hello'],
    status: 'completed',
    outputs: ['HELLO'],
    started: '2026-03-01T12:00:03Z',
    duration: 0.42,
    ...over,
  };
}

/** Lets pending promises settle. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The extension's backend's status, listening with nothing paired, with what a test sets. */
export function extensionStatus(over: Partial<ExtensionStatus> = {}): ExtensionStatus {
  return {
    port: 17860,
    listening: true,
    off: false,
    busy: false,
    dir: '/home/me/.local/share/gradiorec/browser',
    paired: [],
    connected: 0,
    recordings: [],
    ...over,
  };
}
