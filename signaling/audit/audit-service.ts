import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createAuditMetrics } from './audit-metrics';
import { noAuditSink, type AuditSink } from './audit-sink';
import { AuditStore } from './audit-store';
import { AuditTrail, type AuditTrailOptions } from './audit-trail';
import { openAuditDb } from './dialect';

const DAY_MS = 24 * 60 * 60_000;
const RETENTION_EVERY_MS = 60 * 60_000;

/** The standalone server's default: an SQLite file in the user's data directory (XDG), created when first used. */
export function defaultAuditDbUrl(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return `sqlite:${join(dataHome, 'peerdesk', 'audit.sqlite')}`;
}

export interface AuditSettings {
  /** `sqlite:<path>`, `postgres://…`, or `off` / unset for no trail. */
  auditDb?: string;
  /** Records older than this many days are purged (hourly); unset keeps everything. */
  auditRetentionDays?: number;
}

/** The trail the server records into, and the store its HTTP routes read (none when the trail is off). */
export interface RunningAudit {
  sink: AuditSink;
  store?: AuditStore;
}

/**
 * The server's audit sink: a trail on the configured database (with retention), or nothing. The database is
 * touched only when the first batch is written, so a database that is down at start delays records, not the server.
 */
export function startAudit(settings: AuditSettings, registry: Registry, log: Logger, options?: Partial<AuditTrailOptions>): RunningAudit {
  if (!settings.auditDb || settings.auditDb === 'off') return { sink: noAuditSink };
  const store = new AuditStore(openAuditDb(settings.auditDb, log));
  log.info({ db: settings.auditDb.replace(/\/\/[^@/]*@/, '//…@'), retentionDays: settings.auditRetentionDays }, 'audit trail on');
  const trail = new AuditTrail(store, createAuditMetrics(registry), log.child({ part: 'audit' }), options);
  const days = settings.auditRetentionDays;
  if (!days) return { sink: trail, store };
  const purge = () =>
    store
      .purgeBefore(new Date(Date.now() - days * DAY_MS))
      .then((n) => n > 0 && log.info({ purged: n, days }, 'audit records past retention purged'))
      .catch((err: unknown) => log.warn({ err }, 'audit retention purge failed; next try in an hour'));
  void purge();
  const timer = setInterval(() => void purge(), RETENTION_EVERY_MS);
  timer.unref();
  const sink: AuditSink = {
    record: (entry) => trail.record(entry),
    close: async () => {
      clearInterval(timer);
      await trail.close();
    },
  };
  return { sink, store };
}
