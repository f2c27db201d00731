import { afterEach, describe, expect, it, vi } from 'vitest';
import { MovePacer, type PointerPosition } from '../../../renderer/viewer/move-pacer';

/** A pacer on fake time (4 ms apart at most), and what it sent. */
function setup() {
  vi.useFakeTimers();
  const sent: number[] = [];
  const pacer = new MovePacer(
    (at: PointerPosition) => sent.push(at.clientX),
    4,
    () => Date.now(),
  );
  const at = (x: number) => pacer.offer({ clientX: x, clientY: 0 });
  return { sent, pacer, at };
}

afterEach(() => vi.useRealTimers());

describe('MovePacer: moves go out at once, at most one per interval', () => {
  it('sends the first move, and one after a quiet interval, without waiting', () => {
    const { sent, at } = setup();
    at(1);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(4);
    at(2);
    expect(sent).toEqual([1, 2]);
  });

  it('moves inside the interval wait for its end, and only the newest goes', () => {
    const { sent, at } = setup();
    at(1);
    vi.advanceTimersByTime(1);
    at(2);
    at(3);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(2);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 3]);
    // The interval starts again from that send: a move right after it waits too.
    at(4);
    expect(sent).toEqual([1, 3]);
    vi.advanceTimersByTime(4);
    expect(sent).toEqual([1, 3, 4]);
  });

  it('a thousand raw updates a second leave as at most 250 moves', () => {
    const { sent, at } = setup();
    for (let ms = 0; ms < 1000; ms++) {
      at(ms);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(4);
    expect(sent.length).toBeLessThanOrEqual(251);
    expect(sent.length).toBeGreaterThanOrEqual(240);
    expect(sent.at(-1)).toBe(999);
  });

  it('cancel drops the waiting move (a click carries its own, newer position)', () => {
    const { sent, at, pacer } = setup();
    at(1);
    at(2);
    pacer.cancel();
    vi.advanceTimersByTime(10);
    expect(sent).toEqual([1]);
  });
});
