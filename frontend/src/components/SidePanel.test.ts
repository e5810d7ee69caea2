import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { createApi } from '../lib/api';
import { availability } from '../lib/availability';
import { createController } from '../lib/controller';
import { EMPTY_STATE } from '../lib/window.svelte';
import { call, fakeBackend, settle } from '../test/fake';
import SidePanel from './SidePanel.svelte';

function setup(fake = fakeBackend()) {
  const ctl = createController(createApi(fake.backend));
  ctl.win.state = { ...EMPTY_STATE, mode: 'stopped', calls: 2 };
  ctl.win.calls = [
    { phase: 'completed', call: call(1) },
    {
      phase: 'completed',
      call: call(2, {
        api_name: '/chat',
        inputs: [
          { name: 'message', value: 'Hi there' },
          { name: 'photo', value: { fixture: 'aa/cat.png', mime_type: 'image/png', orig_name: 'cat.png' } },
        ],
        outputs: [{ answer: 42 }],
        updates: [[{ answer: 4 }]],
        log: [{ level: 'warning', message: 'slow model', title: 'Heads up' }],
        status: 'error',
        error: { message: 'quota exceeded', title: 'Rate limit', http: 429 },
      }),
    },
  ];
  const can = availability(EMPTY_STATE, 2, '', false);
  render(SidePanel, { ctl, can });
  return ctl;
}

describe('SidePanel', () => {
  it('shows the details of the selected call', async () => {
    setup();
    expect(screen.queryByRole('article')).toBeNull();
    await fireEvent.click(screen.getByText('/chat'));
    const details = screen.getByRole('article');
    expect(details.getAttribute('aria-label')).toBe('Call #2');
    expect(details.textContent).toContain('message');
    expect(details.textContent).toContain('"Hi there"');
    expect(details.querySelector('img')?.getAttribute('src')).toBe('/fixture/aa/cat.png');
    expect(details.textContent).toContain('"answer": 42');
    expect(details.textContent).toContain('1 streamed update');
    expect(details.textContent).toContain('Heads up:');
    expect(details.textContent).toContain('slow model');
    expect(details.textContent).toContain('Rate limit');
    expect(details.textContent).toContain('quota exceeded');
    expect(details.textContent).toContain('HTTP 429');

    await fireEvent.click(screen.getByText('/chat'));
    expect(screen.queryByRole('article')).toBeNull();
  });

  it('marks the Browser tab while the browser records, and shows its panel', async () => {
    const ctl = setup();
    expect(screen.queryByTitle('recording in the browser')).toBeNull();
    ctl.win.browser = {
      ...ctl.win.browser,
      recordings: [{ rec: 'a', url: 'http://a/', path: '/d/a.json', started: '', active: true, calls: 0, ok: false }],
    };
    await tick();
    expect(screen.getByTitle('recording in the browser')).toBeTruthy();
    await fireEvent.click(screen.getByRole('tab', { name: /Browser/ }));
    expect(screen.getByRole('region', { name: 'Browser extension' }).textContent).toContain('http://a/');
  });

  it('dims the calls the intent code does not make as recorded, until the trace is shown', async () => {
    const fake = fakeBackend();
    fake.backend.go.app.Code.Changes.mockResolvedValue([{ call: 2, into: 0, reason: 'it only changed how the page looks (no value)' }]);
    const ctl = setup(fake);
    const rows = () => screen.getAllByRole('listitem').map((li) => li.querySelector('button')!);
    expect(rows().some((b) => b.classList.contains('changed'))).toBe(false); // no code generated yet

    await fireEvent.click(screen.getByRole('tab', { name: 'Code' }));
    await settle();
    expect(fake.backend.go.app.Code.Changes).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole('tab', { name: /Calls/ }));
    expect(rows().map((b) => b.classList.contains('changed'))).toEqual([false, true]);
    expect(rows()[1].title).toBe('Left out of the intent code: it only changed how the page looks (no value)');

    await fireEvent.click(screen.getByRole('tab', { name: 'Code' }));
    await fireEvent.click(screen.getByRole('radio', { name: 'Trace' }));
    await settle();
    ctl.showTab('calls');
    await tick();
    expect(rows().some((b) => b.classList.contains('changed') || b.title)).toBe(false);
  });

  it('switches tabs', async () => {
    const ctl = setup();
    await fireEvent.click(screen.getByRole('tab', { name: 'Replay' }));
    expect(screen.getByRole('button', { name: 'Run' })).toBeTruthy();
    ctl.showTab('calls');
    await tick();
    expect(screen.getByRole('tab', { name: /Calls/ }).getAttribute('aria-selected')).toBe('true');
  });
});
