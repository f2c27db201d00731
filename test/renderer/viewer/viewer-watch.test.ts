import { describe, expect, it } from 'vitest';
import { modeButtonLabel, sessionLabel, showsReconnecting } from '../../../renderer/viewer/viewer-watch';

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
});
