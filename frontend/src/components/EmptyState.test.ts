import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import EmptyState from './EmptyState.svelte';

function setup(recent: string[], unsaved = [{ path: '/d/autosave/2026.json.journal', url: 'http://127.0.0.1:7860', calls: 5, modified: '2026-03-01T12:00:00Z', crashed: true }]) {
  const handlers = { onpick: vi.fn(), onrecover: vi.fn(), onopenrecording: vi.fn() };
  render(EmptyState, { recent, unsaved, ...handlers });
  return handlers;
}

describe('EmptyState', () => {
  it('welcomes, with the example URL and the shortcut', () => {
    setup([], []);
    const text = screen.getByRole('heading', { level: 1 }).parentElement!.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('Type the URL of a running Gradio app (for example http://127.0.0.1:7860) and press Record (Ctrl+R).');
    expect(text).toContain('each API call appears on the right and the code that replays it is written as you go.');
    expect(screen.queryByText('Recent apps')).toBeNull();
    expect(screen.queryByText('Unsaved recordings')).toBeNull();
  });

  it('fills the URL bar with a recent URL', async () => {
    const { onpick } = setup(['http://127.0.0.1:7860', 'https://hf.space/x'], []);
    await fireEvent.click(screen.getByRole('button', { name: 'https://hf.space/x' }));
    expect(onpick).toHaveBeenCalledWith('https://hf.space/x');
  });

  it('offers to recover unsaved recordings', async () => {
    const { onrecover } = setup([]);
    const item = screen.getByRole('button', { name: 'Recover' }).closest('li')!;
    expect(item.textContent).toContain('http://127.0.0.1:7860');
    expect(item.textContent).toContain('5 calls');
    expect(item.textContent).toContain('interrupted');
    await fireEvent.click(screen.getByRole('button', { name: 'Recover' }));
    expect(onrecover).toHaveBeenCalledWith('/d/autosave/2026.json.journal');
  });

  it('opens a saved recording', async () => {
    const { onopenrecording } = setup([], []);
    await fireEvent.click(screen.getByRole('button', { name: 'Open a saved recording' }));
    expect(onopenrecording).toHaveBeenCalled();
  });
});
