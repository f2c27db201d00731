import { Counter, Gauge, type Registry } from 'prom-client';

/** The trail's counters, on the server's own registry (served at /metrics). */
export function createAuditMetrics(registry: Registry) {
  let buffered = () => 0;
  return {
    /** What `peerdesk_audit_buffered` reads when scraped (the trail's buffer), rather than a gauge set on every record. */
    countBuffered(count: () => number): void {
      buffered = count;
    },
    written: new Counter({ name: 'peerdesk_audit_written_total', help: 'Audit records written to the database', registers: [registry] }),
    dropped: new Counter({
      name: 'peerdesk_audit_dropped_total',
      help: 'Audit records lost: the buffer was full while the database was unreachable, or it never came back before shutdown',
      registers: [registry],
    }),
    buffered: new Gauge({
      name: 'peerdesk_audit_buffered',
      help: 'Audit records waiting to be written',
      registers: [registry],
      collect() {
        this.set(buffered());
      },
    }),
    failures: new Counter({
      name: 'peerdesk_audit_write_failures_total',
      help: 'Failed attempts to write a batch of audit records (each is retried)',
      registers: [registry],
    }),
  };
}
export type AuditMetrics = ReturnType<typeof createAuditMetrics>;
