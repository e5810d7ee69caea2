// The window's keyboard shortcuts. They work wherever the focus is, the
// live view included; every other key reaches the page.

export type Command =
  | 'focusUrl'
  | 'record'
  | 'stop'
  | 'save'
  | 'saveAs'
  | 'openRecording'
  | 'exportCode'
  | 'runReplay'
  | 'showCalls'
  | 'showCode'
  | 'showReplay'
  | 'showBrowser';

/** The keys of each command, as tooltips and the help line show them. */
export const KEYS: Record<Command, string> = {
  focusUrl: 'Ctrl+L',
  record: 'Ctrl+R',
  stop: 'Ctrl+Shift+X',
  save: 'Ctrl+S',
  saveAs: 'Ctrl+Shift+S',
  openRecording: 'Ctrl+O',
  exportCode: 'Ctrl+E',
  runReplay: 'Ctrl+Enter',
  showCalls: 'Ctrl+1',
  showCode: 'Ctrl+2',
  showReplay: 'Ctrl+3',
  showBrowser: 'Ctrl+4',
};

const BINDINGS: Record<string, Command> = Object.fromEntries(
  (Object.entries(KEYS) as [Command, string][]).map(([command, keys]) => [keys.toLowerCase(), command]),
);

type Keys = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

/** The command a key press asks for, if any. */
export function commandFor(e: Keys): Command | undefined {
  if (!e.ctrlKey || e.altKey || e.metaKey) return undefined;
  const prefix = e.shiftKey ? 'ctrl+shift+' : 'ctrl+';
  // The key's character, or its place (KeyR, Digit1) when the layout's
  // letters are not Latin.
  const latin = /^[\x00-\x7f]*$/.test(e.key);
  const key = latin ? e.key : e.code.replace(/^(Key|Digit)/, '');
  return BINDINGS[(prefix + key).toLowerCase()];
}

/**
 * Runs the command a key press asks for. It returns whether there was one,
 * and then keeps the key from the page and from WebKit's own bindings.
 */
export function handleShortcut(e: KeyboardEvent, run: (command: Command) => void): boolean {
  const command = commandFor(e);
  if (!command) return false;
  e.preventDefault();
  e.stopPropagation();
  run(command);
  return true;
}
