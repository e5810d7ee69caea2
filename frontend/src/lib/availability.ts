// Which actions make sense now: the buttons are disabled, and the
// shortcuts do nothing, when they do not.

import type { State } from './types';

export interface Availability {
  open: boolean;
  record: boolean;
  stop: boolean;
  save: boolean;
  openRecording: boolean;
  exportCode: boolean;
  runReplay: boolean;
}

/**
 * calls is the number of calls the window holds; url is the text of the
 * URL bar; replaying tells whether a replay is under way.
 */
export function availability(state: State, calls: number, url: string, replaying: boolean): Availability {
  const recording = state.mode === 'recording';
  const busy = recording || state.mode === 'opening';
  return {
    open: !busy && url.trim() !== '',
    record: !busy && (url.trim() !== '' || state.url !== ''),
    stop: recording,
    save: calls > 0,
    openRecording: !recording,
    exportCode: calls > 0,
    runReplay: calls > 0 && !recording && !replaying,
  };
}
