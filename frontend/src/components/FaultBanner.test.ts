import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import FaultBanner from './FaultBanner.svelte';

describe('FaultBanner', () => {
  it('shows what happened, the error and what to do, until dismissed', async () => {
    const ondismiss = vi.fn();
    render(FaultBanner, {
      fault: {
        kind: 'not-gradio',
        title: 'http://localhost:8000 is not a Gradio app',
        detail: 'GET /config: 404 Not Found',
        hint: 'Give the address of a running Gradio app.',
      },
      ondismiss,
    });
    const alert = screen.getByRole('alert');
    expect(alert.dataset.kind).toBe('not-gradio');
    expect(alert.querySelector('strong')!.textContent).toBe('http://localhost:8000 is not a Gradio app');
    expect(alert.textContent).toContain('GET /config: 404 Not Found');
    expect(alert.textContent).toContain('Give the address of a running Gradio app.');
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(ondismiss).toHaveBeenCalledOnce();
  });
});
