import { describe, expect, it } from 'vitest';
import { SessionLog } from '../../../renderer/session/session-log';

/** A log on a clock the test moves. */
function logAt(start = 1_000_000) {
  let now = start;
  const log = new SessionLog(() => now);
  return { log, advance: (ms: number) => (now += ms), at: () => now };
}

describe('session log', () => {
  it('keeps the timeline in time order when something is recorded after a later event', () => {
    const { log, advance, at } = logAt();
    const allowedAt = at();
    advance(500);
    log.record('source', 'Sharing Screen 1');
    advance(300);
    log.record('joined', 'Tina joined', { viewer: 'Tina' }, allowedAt);
    expect(log.events.map((e) => e.kind)).toEqual(['joined', 'source']);
  });

  it('ends the JSON lines export with the summary the text export has', () => {
    const { log, advance } = logAt();
    log.record('joined', 'Tina joined');
    log.record('control', 'Control granted', { state: 'granted' });
    advance(4000);
    log.record('control', 'Control taken back', { state: 'revoked' });
    log.record('file-received', 'Received notes.txt', { name: 'notes.txt', size: 22, sha256: 'ab' });
    const lines = log
      .toJsonLines()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ event: 'summary', durationMs: 4000, controlMs: 4000, filesSent: 0, filesReceived: 1 });
    expect(log.toText()).toContain('Duration 4 s · control 4 s · files sent 0, received 1');
  });

  it('a summary after the end counts up to the end, not to now', () => {
    const { log, advance } = logAt();
    advance(2000);
    log.record('ended', 'Session ended');
    advance(60_000);
    expect(log.summary().durationMs).toBe(2000);
  });
});
