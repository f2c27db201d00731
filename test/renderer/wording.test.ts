import { describe, expect, it } from 'vitest';
import { count } from '../../renderer/format';
import { failedJoinsText } from '../../renderer/host/failed-joins';
import { summaryLine } from '../../renderer/ui/session-log-panel';
import { joinErrorText } from '../../renderer/viewer/viewer-messages';

describe('words a person reads', () => {
  it('counts in the right number: 1 second, 2 seconds, 0 files', () => {
    expect(count(1, 'second')).toBe('1 second');
    expect(count(2, 'second')).toBe('2 seconds');
    expect(count(0, 'file')).toBe('0 files');
  });

  it('a join backoff of one second says "1 second"', () => {
    const backoff = (code: 'SIG_ERR_JOIN_BACKOFF' | 'SIG_ERR_OPEN_BACKOFF', retryAfterMs: number) =>
      joinErrorText({ type: 'error', code, message: '', retryAfterMs } as Parameters<typeof joinErrorText>[0]);
    expect(backoff('SIG_ERR_JOIN_BACKOFF', 1000)).toContain('Try again in 1 second.');
    expect(backoff('SIG_ERR_OPEN_BACKOFF', 800)).toContain('Try again in 1 second.');
    expect(backoff('SIG_ERR_JOIN_BACKOFF', 4200)).toContain('Try again in 5 seconds.');
  });

  it('the last wrong PIN says the code is locked, not how many remain', () => {
    expect(failedJoinsText(4, 5)).toContain('4 of 5 attempts before it locks');
    const last = failedJoinsText(5, 5);
    expect(last).toContain('now locked');
    expect(last).not.toContain('before it locks');
  });

  it('the end card summary counts files in the right number', () => {
    const line = summaryLine({ durationMs: 61_000, controlMs: 1000, filesSent: 1, filesReceived: 1 });
    expect(line).toBe('Lasted 1 min 1 s · control for 1 s · 1 file sent, 1 received');
  });
});
