import { afterEach, describe, expect, it, vi } from 'vitest';
import { logTime } from '../../../renderer/ui/session-log-panel';

/**
 * The log's times come from one formatter made with the module. `toLocaleTimeString` with options builds a formatter
 * (and loads the locale's date patterns) on every call, and the panel formats every line at every render: that cost
 * 40–115 ms on a busy machine right at a session's start, on the way from Allow to the first frame (issue 28).
 */
describe('session log times', () => {
  afterEach(() => vi.restoreAllMocks());

  it('read as the locale’s time of day, hours to seconds', () => {
    const at = Date.UTC(2026, 11, 7, 9, 5, 7);
    expect(logTime(at)).toBe(new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
  });

  it('make no formatter per line', () => {
    const perCall = vi.spyOn(Date.prototype, 'toLocaleTimeString');
    const made = vi.spyOn(Intl, 'DateTimeFormat');
    for (let s = 0; s < 50; s++) logTime(Date.UTC(2026, 11, 7, 9, 5, s));
    expect(perCall).not.toHaveBeenCalled();
    expect(made).not.toHaveBeenCalled();
  });
});
