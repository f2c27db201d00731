import type { AuditStore } from './audit-store';
import { toChainRecord } from './audit-store';
import type { SelectQueryBuilder } from 'kysely';
import type { AuditDatabase, ChainRecord } from './database';

export interface ExportOptions {
  /** Records at or after this time… */
  from?: Date;
  /** …and before this one. */
  to?: Date;
  format: 'csv' | 'jsonl';
  /** Set for a technician: only the sessions one of their joins reached. Unset (an admin): every record. */
  technicianEmail?: string;
}

const CSV_COLUMNS = ['seq', 'at', 'session', 'code', 'type', 'reported_by', 'technician', 'fields', 'prev_hash', 'hash'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const csvField = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function csvLine(r: ChainRecord): string {
  const values = [r.seq, r.at, r.session, r.code, r.type, r.reportedBy, r.technician, r.fields, r.prevHash, r.hash];
  return `${values.map(csvField).join(',')}\r\n`;
}

function jsonLine(r: ChainRecord): string {
  const { fields, ...rest } = r;
  return `${JSON.stringify({ ...rest, fields: JSON.parse(fields) as unknown })}\n`;
}

/** Which records: a time window, and (for a technician) only the sessions one of their joins reached. */
export interface RecordFilter extends Omit<ExportOptions, 'format'> {
  /** Only these sessions' records (the sessions list reads a page of sessions). */
  sessions?: string[];
}

type RecordsQuery = SelectQueryBuilder<AuditDatabase, 'audit_records', object>;

/** The one visibility rule export and sessions share, as WHERE clauses. */
export function whereMatches<Q extends RecordsQuery>(query: Q, filter: RecordFilter): Q {
  let q = query;
  if (filter.from) q = q.where('at', '>=', filter.from.toISOString()) as Q;
  if (filter.to) q = q.where('at', '<', filter.to.toISOString()) as Q;
  if (filter.technicianEmail !== undefined) {
    const email = filter.technicianEmail;
    q = q.where('session', 'in', (sub) =>
      sub.selectFrom('audit_records').select('session').where('technician', '=', email).where('session', 'is not', null),
    ) as Q;
  }
  // No sessions at all selects nothing (an empty IN list is not valid SQL).
  if (filter.sessions) q = (filter.sessions.length ? q.where('session', 'in', filter.sessions) : q.where('seq', '<', 0)) as Q;
  return q;
}

/** The records a filter selects, in chain order, `pageSize` at a time. */
export async function* filteredRecords(store: AuditStore, filter: RecordFilter, pageSize = 1000): AsyncGenerator<ChainRecord> {
  await store.ready();
  const { db } = store.audit;
  let after = -1;
  for (;;) {
    const query = whereMatches(db.selectFrom('audit_records').selectAll().where('seq', '>', after), filter);
    const rows = await query.orderBy('seq').limit(pageSize).execute();
    for (const row of rows) yield toChainRecord(row);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/**
 * The records in a time window as CSV or JSON lines, in chain order, a chunk at a time (for stdout or an HTTP
 * response). Hashes are included, so an export can be checked against the chain later.
 */
export async function* exportAudit(store: AuditStore, opts: ExportOptions & RecordFilter, pageSize = 1000): AsyncGenerator<string> {
  await store.ready();
  if (opts.format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const r of filteredRecords(store, opts, pageSize)) yield opts.format === 'csv' ? csvLine(r) : jsonLine(r);
}
