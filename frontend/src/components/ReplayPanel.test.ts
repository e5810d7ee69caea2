import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { createApi } from '../lib/api';
import { availability } from '../lib/availability';
import { createController } from '../lib/controller';
import { EMPTY_STATE, replayFinished, replayStarted } from '../lib/window.svelte';
import type { Report } from '../lib/types';
import { fakeBackend } from '../test/fake';
import ReplayPanel from './ReplayPanel.svelte';

const report: Report = {
  url: 'http://127.0.0.1:7861',
  started: '2026-03-01T12:00:00Z',
  duration_ns: 3.2e9,
  outcome: 'drift',
  drift: [{ fn_index: 3, endpoint: '/classify', kind: 'parameter renamed', detail: 'image is now photo' }],
  calls: [
    { id: 1, session: 's1', endpoint: '/predict', status: 'pass', duration_ns: 120e6, server_time_ns: 0 },
    {
      id: 2,
      session: 's1',
      endpoint: '/predict',
      status: 'fail',
      duration_ns: 95e6,
      server_time_ns: 0,
      diffs: [{ path: '/0/label', want: '"cat"', got: '"dog"', note: 'string differs' }],
    },
    { id: 3, session: 's1', endpoint: '/classify', status: 'drift', duration_ns: 0, server_time_ns: 0, error: 'parameter image is gone' },
    { id: 4, session: 's1', endpoint: 'fn_index 9', status: 'skipped', duration_ns: 0, server_time_ns: 0, reason: 'UI only' },
  ],
};

function setup() {
  const fake = fakeBackend();
  const ctl = createController(createApi(fake.backend));
  const can = availability({ ...EMPTY_STATE, mode: 'stopped' }, 4, '', false);
  const view = render(ReplayPanel, { ctl, can });
  return { ...view, ctl, go: fake.backend.go.app };
}

describe('ReplayPanel', () => {
  it('runs against the URL in the box', async () => {
    const { ctl, go } = setup();
    go.Replay.Run.mockResolvedValue(report);
    ctl.win.replayUrl = 'http://127.0.0.1:7860';
    await tick();
    const input = screen.getByRole('textbox', { name: 'Replay against' }) as HTMLInputElement;
    expect(input.value).toBe('http://127.0.0.1:7860');
    await fireEvent.input(input, { target: { value: 'http://127.0.0.1:7861' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(go.Replay.Run).toHaveBeenCalledWith('http://127.0.0.1:7861');
    await waitFor(() => expect(screen.getByRole('list', { name: 'Replayed calls' }).children).toHaveLength(4));
  });

  it('shows the summary, the drift apart above the calls, and each call', async () => {
    const { ctl, container } = setup();
    ctl.win.replay = replayFinished(replayStarted(), report);
    await tick();

    expect(container.querySelector('.summary')!.textContent).toContain('1 passed, 1 failed, 1 drifted, 1 skipped');
    const drift = screen.getByRole('region', { name: 'API drift' });
    expect(drift.textContent).toContain('/classify');
    expect(drift.textContent).toContain('parameter renamed');
    expect(drift.textContent).toContain('image is now photo');
    const results = screen.getByRole('list', { name: 'Replayed calls' });
    expect(drift.compareDocumentPosition(results) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(drift.contains(results)).toBe(false);

    const items = results.querySelectorAll(':scope > li');
    expect([...items].map((li) => li.querySelector('.badge')!.textContent)).toEqual(['pass', 'fail', 'drift', 'skipped']);
    expect(items[0].textContent).toContain('120 ms');
    expect(items[2].textContent).toContain('parameter image is gone');
    expect(items[3].textContent).toContain('UI only');
  });

  it('opens a failed call into a table of differences', async () => {
    const { ctl } = setup();
    ctl.win.replay = replayFinished(replayStarted(), report);
    const toggle = await screen.findByRole('button', { name: '1 difference' });
    expect(screen.queryByRole('table')).toBeNull();
    await fireEvent.click(toggle);
    const rows = screen.getByRole('table').querySelectorAll('tbody tr');
    expect([...rows[0].querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      '/0/label',
      '"cat"',
      '"dog"',
      'string differs',
    ]);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
  });

  it("shows each endpoint's latency, recorded → replayed, the too slow marked", async () => {
    const { ctl } = setup();
    const timing = (ms: number) => ({ p50_ns: ms * 1e6, p95_ns: 2 * ms * 1e6, max_ns: 3 * ms * 1e6 });
    ctl.win.replay = replayFinished(replayStarted(), {
      ...report,
      outcome: 'slower',
      max_slowdown: 2,
      latency: [
        { endpoint: '/predict', calls: 2, recorded: timing(100), replayed: timing(300), slowdown: 3, too_slow: true },
        { endpoint: '/classify', calls: 1, recorded: timing(50), replayed: timing(55), slowdown: 1.1 },
      ],
    });
    const table = within(await screen.findByRole('region', { name: 'Latency' })).getByRole('table');
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['/predict', '2', '100 ms → 300 ms', '200 ms → 600 ms', '300 ms → 900 ms', '3.0x'],
      ['/classify', '1', '50 ms → 55 ms', '100 ms → 110 ms', '150 ms → 165 ms', '1.1x'],
    ]);
    expect(rows[0].classList.contains('too-slow')).toBe(true);
    expect(rows[0].getAttribute('title')).toBe('slower than the limit of 2x');
    expect(rows[1].classList.contains('too-slow')).toBe(false);
    expect(screen.getByText('slower')).toBeTruthy();
  });

  it('says clearly when the app could not be reached', async () => {
    const { ctl } = setup();
    ctl.win.replay = replayFinished(replayStarted(), {
      ...report,
      outcome: 'unreachable',
      error: 'connection refused',
      drift: [],
      calls: [],
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not replay against http://127.0.0.1:7861');
    expect(alert.textContent).toContain('connection refused');
  });
});
