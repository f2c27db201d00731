import type { AuditEntry } from './audit-sink';
import { AppendHasher, canonicalObject } from './canonical';
import type { AuditRecordTable } from './database';

/** The last record of the chain, as the `head` anchor names it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** A batch chained onto a head: its rows in order, and the head after them. */
export interface ChainedBatch {
  rows: AuditRecordTable[];
  head: ChainHead;
}

/** The stored columns in insert order (the same order on both databases). */
export const COLUMNS = ['seq', 'at', 'session', 'code', 'type', 'reported_by', 'technician', 'fields', 'prev_hash', 'hash'] as const;
export const rowValues = (r: AuditRecordTable) => COLUMNS.map((c) => r[c]);

function technicianOf(entry: AuditEntry): string | null {
  return 'identity' in entry.event && entry.event.identity ? entry.event.identity.email : null;
}

/**
 * The entries as rows chained onto `head`: canonical JSON and hashes are made here, once per batch as it is written
 * (in the writer thread), never on the path that records an event. A record is made once, as the hash reads it,
 * and the row is that record with its hashes: no intermediate objects per record.
 */
export function chainRows(head: ChainHead, entries: AuditEntry[]): ChainedBatch {
  const hasher = new AppendHasher(Buffer.from(head.hash, 'hex'));
  let prevHash = head.hash;
  const rows = new Array<AuditRecordTable>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const record = {
      seq: head.seq + i + 1,
      at: new Date(entry.at).toISOString(),
      session: entry.session?.id ?? null,
      code: entry.session?.code ?? null,
      type: entry.event.type,
      reportedBy: entry.reportedBy,
      technician: technicianOf(entry),
      // The event's own fields: its `type` has a column of its own.
      fields: canonicalObject(entry.event, 'type'),
    };
    const hash = hasher.next(record).toString('hex');
    rows[i] = {
      seq: record.seq,
      at: record.at,
      session: record.session,
      code: record.code,
      type: record.type,
      reported_by: record.reportedBy,
      technician: record.technician,
      fields: record.fields,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
  }
  return { rows, head: { seq: head.seq + entries.length, hash: prevHash } };
}
