import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { CallEntry } from '../lib/window.svelte';
import { call } from '../test/fake';
import Timeline from './Timeline.svelte';

const entries: CallEntry[] = [
  {
    phase: 'completed',
    call: call(1, {
      api_name: '/invert',
      duration: 0.42,
      outputs: [
        { fixture: 'ab/out.webp', mime_type: 'image/webp', orig_name: 'out.webp' },
        { fixture: 'cd/voice.wav', mime_type: 'audio/wav' },
      ],
    }),
  },
  {
    phase: 'updated',
    call: call(2, {
      api_name: undefined,
      fn_index: 7,
      status: 'incomplete',
      outputs: undefined,
      updates: [['a'], ['ab'], ['abc']],
      progress: [{ bars: [{ desc: 'Denoising', index: 3, length: 20 }] }],
    }),
  },
  {
    phase: 'completed',
    call: call(3, { status: 'error', outputs: undefined, error: { message: 'CUDA out of memory', title: 'Error' } }),
  },
];

function rows() {
  return screen.getAllByRole('listitem');
}

describe('Timeline', () => {
  it('shows one row per call with its endpoint, status and duration', () => {
    render(Timeline, { entries, selected: null, recording: true, onselect: () => {} });
    expect(rows()).toHaveLength(3);
    const [first, second, third] = rows();
    expect(first.textContent).toContain('#1');
    expect(first.textContent).toContain('/invert');
    expect(first.textContent).toContain('Completed');
    expect(first.textContent).toContain('420 ms');
    expect(second.textContent).toContain('fn 7');
    expect(second.textContent).toContain('running');
    expect(third.textContent).toContain('Failed');
  });

  it('shows the streaming progress and the error', () => {
    render(Timeline, { entries, selected: null, recording: true, onselect: () => {} });
    const second = rows()[1];
    expect(second.textContent).toContain('3 updates');
    expect(second.textContent).toContain('Denoising 3/20');
    expect(rows()[2].textContent).toContain('CUDA out of memory');
  });

  it('calls an unfinished call Incomplete once the recording has ended', () => {
    render(Timeline, { entries, selected: null, recording: false, onselect: () => {} });
    expect(rows()[1].textContent).toContain('Incomplete');
    expect(rows()[1].textContent).not.toContain('running');
  });

  it('previews output images and sounds from the fixtures', () => {
    const { container } = render(Timeline, { entries, selected: null, recording: false, onselect: () => {} });
    const img = rows()[0].querySelector('img')!;
    expect(img.getAttribute('src')).toBe('/fixture/ab/out.webp');
    expect(img.getAttribute('alt')).toBe('out.webp');
    const audio = rows()[0].querySelector('audio')!;
    expect(audio.getAttribute('src')).toBe('/fixture/cd/voice.wav');
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(container.querySelectorAll('img')).toHaveLength(1);
  });

  it('selects a call when its row is clicked', async () => {
    const onselect = vi.fn();
    render(Timeline, { entries, selected: 3, recording: false, onselect });
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'false', 'true']);
    await fireEvent.click(buttons[1]);
    expect(onselect).toHaveBeenCalledWith(2);
  });

  it('dims the calls the intent code makes otherwise or leaves out, and says why', async () => {
    const onselect = vi.fn();
    const changes = [
      { call: 1, into: 9, reason: 'part of a ChatInterface turn, made by one call to the public chat endpoint' },
      { call: 3, into: 0, reason: 'it only changed how the page looks (no value)' },
    ];
    render(Timeline, { entries, selected: null, recording: false, onselect, changes });
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.classList.contains('changed'))).toEqual([true, false, true]);
    expect(buttons[0].getAttribute('title')).toBe(
      'Made by call 9 in the intent code: part of a ChatInterface turn, made by one call to the public chat endpoint',
    );
    expect(buttons[1].hasAttribute('title')).toBe(false);
    expect(buttons[2].getAttribute('title')).toBe(
      'Left out of the intent code: it only changed how the page looks (no value)',
    );
    // Still selectable.
    await fireEvent.click(buttons[2]);
    expect(onselect).toHaveBeenCalledWith(3);
  });

  it('dims nothing without changes', () => {
    render(Timeline, { entries, selected: null, recording: false, onselect: () => {} });
    const buttons = screen.getAllByRole('button');
    expect(buttons.some((b) => b.classList.contains('changed') || b.hasAttribute('title'))).toBe(false);
  });

  it('says what to do when there are no calls', () => {
    render(Timeline, { entries: [], selected: null, recording: true, onselect: () => {} });
    expect(screen.getByText(/Use the app: its API calls appear here/)).toBeTruthy();
  });
});
