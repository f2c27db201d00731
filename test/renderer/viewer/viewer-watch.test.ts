import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { PeerLink } from '../../../renderer/net/peer-link';
import { afterAnswer, modeButtonLabel, sessionLabel, showsReconnecting } from '../../../renderer/viewer/viewer-watch';

/** The watch's wording and banner rule without a page; the watch itself runs in Chromium in the e2e suites. */
describe("the technician's watch", () => {
  it('shows "Reconnecting…" while ICE looks for a path again, not while connected and not once it failed', () => {
    expect(showsReconnecting('disconnected')).toBe(true);
    expect(showsReconnecting('checking')).toBe(true);
    for (const state of ['new', 'connected', 'completed', 'failed', 'closed']) expect(showsReconnecting(state), state).toBe(false);
  });

  it('names the session by its code in groups, or as picked from the queue', () => {
    expect(sessionLabel('123456789')).toBe('Session 123 456 789');
    expect(sessionLabel('')).toBe('Session from the queue');
  });

  it('the size button names the mode a click switches to', () => {
    expect(modeButtonLabel('fit')).toBe('Actual size');
    expect(modeButtonLabel('actual')).toBe('Fit to window');
  });

  it('draws the watch once the answer is out, once, and stops listening to the link’s signals then', () => {
    const peer = new EventEmitter();
    const then = vi.fn();
    afterAnswer({ peer } as unknown as PeerLink, 60_000, then);
    peer.emit('signal', { candidate: {} });
    expect(then).not.toHaveBeenCalled();
    peer.emit('signal', { type: 'answer' });
    peer.emit('signal', { type: 'answer' });
    expect(then).toHaveBeenCalledTimes(1);
    expect(peer.listenerCount('signal')).toBe(0);
  });

  it('draws the watch after the longest wait when no answer comes', () => {
    vi.useFakeTimers();
    try {
      const peer = new EventEmitter();
      const then = vi.fn();
      afterAnswer({ peer } as unknown as PeerLink, 500, then);
      vi.advanceTimersByTime(499);
      expect(then).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(then).toHaveBeenCalledTimes(1);
      expect(peer.listenerCount('signal')).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
