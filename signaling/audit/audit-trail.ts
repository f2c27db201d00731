import type { Logger } from 'pino';
import type { AuditEntry, AuditSink } from './audit-sink';
import type { AuditMetrics } from './audit-metrics';
import type { AuditStore } from './audit-store';

export interface AuditTrailOptions {
  /** Records held while the database is slow or away; beyond this, new ones are counted and logged as dropped. */
  maxBuffered: number;
  /** Records written per transaction, at most; a full batch is written at once. */
  batchSize: number;
  /**
   * How long the first record of a batch waits for others. A transaction per record cost the relay more than the
   * records (bench/audit-trail.ts); gathered for this long, a batch costs one transaction for all of them. A
   * transaction's fixed cost (the commit's writes, the round trip) is most of it: one a second, not four.
   */
  flushMs: number;
  /** Wait after a failed write before trying again. */
  retryMs: number;
  /** How long `close()` keeps trying to write what is left. */
  closeTimeoutMs: number;
}

export const defaultTrailOptions: AuditTrailOptions = {
  maxBuffered: 10_000,
  batchSize: 200,
  flushMs: 1000,
  retryMs: 1000,
  closeTimeoutMs: 5000,
};

/**
 * The sink the server records into. `record` only appends to a bounded buffer (no JSON, no hashing: those are done
 * per batch when it is written); one writer loop drains it in batches, in order, each gathered for up to `flushMs`. A database that goes away (PostgreSQL restarted) holds records back, never the session: they are
 * written once it answers again.
 */
export class AuditTrail implements AuditSink {
  private readonly buffer: AuditEntry[] = [];
  private writing?: Promise<void>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private flushTimer?: ReturnType<typeof setTimeout>;
  private failing = false;
  private droppedSinceWrite = 0;
  private closed = false;
  private readonly opts: AuditTrailOptions;

  constructor(
    private readonly store: AuditStore,
    private readonly metrics: AuditMetrics,
    private readonly log: Logger,
    options: Partial<AuditTrailOptions> = {},
  ) {
    this.opts = { ...defaultTrailOptions, ...options };
    metrics.countBuffered(() => this.buffer.length);
  }

  record(entry: Omit<AuditEntry, 'at'>): void {
    try {
      if (this.closed) return this.drop(entry, 'the audit trail is closed');
      if (this.buffer.length >= this.opts.maxBuffered) return this.drop(entry, 'the audit buffer is full');
      this.buffer.push({ ...entry, at: Date.now() });
      this.kick();
    } catch (err) {
      this.log.error({ err }, 'audit record failed');
    }
  }

  /** Writes what is buffered (waiting up to `closeTimeoutMs` for an unreachable database), then closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.flushTimer);
    this.retryTimer = this.flushTimer = undefined;
    // A batch in flight finishes first: two writers would append it twice.
    await this.writing;
    const deadline = Date.now() + this.opts.closeTimeoutMs;
    while (this.buffer.length > 0 && Date.now() < deadline) {
      await this.drain();
      if (this.buffer.length > 0) await new Promise((r) => setTimeout(r, Math.min(this.opts.retryMs, 200)));
    }
    if (this.buffer.length > 0) {
      this.metrics.dropped.inc(this.buffer.length);
      this.log.error({ lost: this.buffer.length }, 'audit records could not be written before shutdown');
      this.buffer.length = 0;
    }
    await this.store.close().catch((err: unknown) => this.log.warn({ err }, 'closing the audit database failed'));
  }

  private drop(entry: Omit<AuditEntry, 'at'>, why: string): void {
    this.metrics.dropped.inc();
    if (this.droppedSinceWrite++ === 0) this.log.error({ type: entry.event.type, why }, 'audit record dropped');
    else this.log.debug({ type: entry.event.type, why }, 'audit record dropped');
  }

  /** Starts the writer at once for a full batch, else when the batch's window ends; not while it runs or waits to retry. */
  private kick(): void {
    if (this.writing || this.retryTimer) return;
    if (this.buffer.length < this.opts.batchSize) {
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        this.write();
      }, this.opts.flushMs).unref();
      return;
    }
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.write();
  }

  private write(): void {
    if (this.writing || this.retryTimer || this.closed) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.buffer.length > 0 && !this.closed) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.opts.batchSize);
      try {
        await this.store.append(batch);
      } catch (err) {
        this.metrics.failures.inc();
        if (!this.failing) this.log.warn({ err, waiting: this.buffer.length }, 'audit database unreachable; records wait in memory');
        this.failing = true;
        if (!this.closed) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.write();
          }, this.opts.retryMs);
          this.retryTimer.unref();
        }
        return;
      }
      this.buffer.splice(0, batch.length);
      this.metrics.written.inc(batch.length);
      if (this.failing || this.droppedSinceWrite > 0)
        this.log.info({ dropped: this.droppedSinceWrite }, 'audit database reachable again; buffered records written');
      this.failing = false;
      this.droppedSinceWrite = 0;
      // What came in meanwhile waits for its own window, unless it fills a batch (or the trail is closing).
      if (!this.closed && this.buffer.length < this.opts.batchSize) return;
    }
  }
}
