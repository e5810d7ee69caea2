import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { createApi } from '../lib/api';
import { createController } from '../lib/controller';
import { call, fakeBackend } from '../test/fake';
import CodePanel from './CodePanel.svelte';

function setup(calls = [call(1)]) {
  const fake = fakeBackend();
  const ctl = createController(createApi(fake.backend));
  ctl.win.calls = calls.map((c) => ({ phase: 'completed' as const, call: c }));
  const view = render(CodePanel, { ctl });
  return { ...view, ctl, go: fake.backend.go.app };
}

describe('CodePanel', () => {
  it('generates the chosen language and flavour and highlights it', async () => {
    const { container, go } = setup();
    go.Code.Generate.mockResolvedValue({
      lang: 'go',
      flavour: 'script',
      filename: 'main.go',
      code: 'package main\n\nfunc main() { println("<b>") }\n',
    });
    await fireEvent.click(screen.getByRole('tab', { name: 'Go' }));
    expect(go.Code.Generate).toHaveBeenLastCalledWith('go', 'script', false);
    await waitFor(() => expect(container.querySelector('pre.source')).toBeTruthy());
    expect(screen.getByText('main.go')).toBeTruthy();
    const keywords = [...container.querySelectorAll('pre.source .hljs-keyword')].map((k) => k.textContent);
    expect(keywords).toEqual(expect.arrayContaining(['package', 'func']));
    // The code is text, not markup.
    expect(container.querySelector('pre.source b')).toBeNull();
    expect(container.querySelector('pre.source')!.textContent).toContain('println("<b>")');
    expect(screen.getByRole('tab', { name: 'Go' }).getAttribute('aria-selected')).toBe('true');

    await fireEvent.click(screen.getByRole('radio', { name: 'Test' }));
    expect(go.Code.Generate).toHaveBeenLastCalledWith('go', 'test', false);
    await fireEvent.click(screen.getByRole('tab', { name: 'cURL' }));
    expect(go.Code.Generate).toHaveBeenLastCalledWith('curl', 'test', false);
  });

  it('shows the intent form by default, and the trace on demand, for the code and its export', async () => {
    const { container, go } = setup();
    const intent = screen.getByRole('radio', { name: 'Intent' });
    const trace = screen.getByRole('radio', { name: 'Trace' });
    expect(intent.getAttribute('title')).toBe("the calls a person would make through the app's public API");
    expect(trace.getAttribute('title')).toBe('every call the page made, as it made it');
    expect(intent.getAttribute('aria-checked')).toBe('true');
    expect(trace.getAttribute('aria-checked')).toBe('false');

    await fireEvent.click(screen.getByRole('tab', { name: 'Go' }));
    expect(go.Code.Generate).toHaveBeenLastCalledWith('go', 'script', false);

    await fireEvent.click(trace);
    expect(go.Code.Generate).toHaveBeenLastCalledWith('go', 'script', true);
    expect(trace.getAttribute('aria-checked')).toBe('true');
    expect(intent.getAttribute('aria-checked')).toBe('false');
    await waitFor(() => expect(container.querySelector('pre.source')!.textContent).toContain('/_submit_fn'));
    // The other choices keep the form.
    await fireEvent.click(screen.getByRole('radio', { name: 'Test' }));
    expect(go.Code.Generate).toHaveBeenLastCalledWith('go', 'test', true);
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    expect(go.Code.Export).toHaveBeenLastCalledWith('go', 'test', true);

    await fireEvent.click(intent);
    expect(go.Code.Generate).toHaveBeenLastCalledWith('go', 'test', false);
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    expect(go.Code.Export).toHaveBeenLastCalledWith('go', 'test', false);
  });

  it('shows why the code could not be generated', async () => {
    const { go } = setup();
    go.Code.Generate.mockRejectedValue(new Error('codegen: endpoint /x has no parameters'));
    await fireEvent.click(screen.getByRole('tab', { name: 'JavaScript' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not generate the code');
    expect(alert.textContent).toContain('codegen: endpoint /x has no parameters');
  });

  it('exports, and says where', async () => {
    const { go } = setup();
    go.Code.Export.mockResolvedValue({ dir: '/home/me/app-tests', files: ['test_app.py', 'fixtures/cat.png'] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    expect(go.Code.Export).toHaveBeenCalledWith('python', 'script', false);
    expect((await screen.findByRole('status')).textContent).toBe('Exported 2 files to /home/me/app-tests');
  });

  it('waits for calls before generating anything', () => {
    const { go } = setup([]);
    expect(screen.getByText(/once the recording has calls/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Export…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Copy' }) as HTMLButtonElement).disabled).toBe(true);
    expect(go.Code.Generate).not.toHaveBeenCalled();
  });
});
