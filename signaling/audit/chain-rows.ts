import type { AuditEntry } from './audit-sink';
import { appendHash, canonicalJson } from './canonical';
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

/** The event's own fields (its `type` has a column of its own). */
function fieldsOf(entry: AuditEntry): Record<string, unknown> {
  const { type: _type, ...fields } = entry.event;
  return fields;
}

function technicianOf(entry: AuditEntry): string | null {
  return 'identity' in entry.event && entry.event.identity ? entry.event.identity.email : null;
}

/**
 * The entries as rows chained onto `head`: canonical JSON and hashes are made here, once per batch as it is written
 * (in the SQLite writer thread, or before PostgreSQL's one statement), never on the path that records an event.
 */
export function chainRows(head: ChainHead, entries: AuditEntry[]): ChainedBatch {
  let seq = head.seq;
  let prevHash = head.hash;
  const rows = entries.map((entry): AuditRecordTable => {
    const record = {
      seq: ++seq,
      at: new Date(entry.at).toISOString(),
      session: entry.session?.id ?? null,
      code: entry.session?.code ?? null,
      type: entry.event.type,
      reportedBy: entry.reportedBy,
      technician: technicianOf(entry),
      fields: canonicalJson(fieldsOf(entry)),
    };
    const hash = appendHash(prevHash, record);
    const { reportedBy, ...rest } = record;
    const row = { ...rest, reported_by: reportedBy, prev_hash: prevHash, hash };
    prevHash = hash;
    return row;
  });
  return { rows, head: { seq, hash: prevHash } };
}
