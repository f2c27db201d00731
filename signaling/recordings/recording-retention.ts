import type { Logger } from 'pino';
import type { RecordingStore } from './recording-store';

const DAY_MS = 24 * 60 * 60_000;
/** The audit trail's schedule (audit-service.ts): once at start, then hourly. */
export const RETENTION_EVERY_MS = 60 * 60_000;

export interface RetentionOptions {
  days: number;
  log: Logger;
  /** Injected in tests; `Date.now` otherwise. */
  now?: () => number;
  everyMs?: number;
}

/**
 * Deletes recordings older than `days`, at start and then every `everyMs`. Returns `purge` (what a tick does, for
 * tests and shutdown) and `stop`. A failed purge is logged and tried again at the next tick.
 */
export function startRecordingRetention(store: RecordingStore, o: RetentionOptions) {
  const now = o.now ?? Date.now;
  let running: Promise<number> | undefined;
  const purge = (): Promise<number> =>
    (running ??= store
      .purgeBefore(new Date(now() - o.days * DAY_MS))
      .then((n) => {
        if (n > 0) o.log.info({ purged: n, days: o.days }, 'recordings past retention deleted');
        return n;
      })
      .catch((err: unknown) => {
        o.log.warn({ err }, 'recordings retention purge failed; next try at the next tick');
        return 0;
      })
      .finally(() => (running = undefined)));
  void purge();
  const timer = setInterval(() => void purge(), o.everyMs ?? RETENTION_EVERY_MS);
  timer.unref();
  return { purge, stop: () => clearInterval(timer) };
}
