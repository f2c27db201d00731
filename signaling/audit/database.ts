/**
 * The audit database's shape, one interface for SQLite and PostgreSQL. Times are ISO-8601 UTC text (`toISOString`)
 * on both, so they sort, compare and hash the same whatever the driver.
 */
export interface AuditDatabase {
  audit_records: AuditRecordTable;
  /** Two rows: `head` (the last record appended) and `checkpoint` (the last record purged by retention). */
  audit_anchors: AuditAnchorTable;
}

export interface AuditRecordTable {
  /** 1, 2, 3, … in chain order, with no gaps: a gap is a deleted record. */
  seq: number;
  at: string;
  /** A random id per session (never the code: codes are short-lived secrets); null for a join to no live session. */
  session: string | null;
  /** The code's first digits only (`123******`), to match what the person read out. */
  code: string | null;
  type: string;
  reported_by: string;
  /** The verified technician's email, when the event names one (sign-in); what per-technician export filters on. */
  technician: string | null;
  /** The event's fields as canonical JSON (sorted keys). */
  fields: string;
  prev_hash: string;
  hash: string;
}

export interface AuditAnchorTable {
  name: 'head' | 'checkpoint';
  seq: number;
  hash: string;
}

/** One stored record as the chain code sees it (numbers as numbers, whatever the driver returned). */
export interface ChainRecord {
  seq: number;
  at: string;
  session: string | null;
  code: string | null;
  type: string;
  reportedBy: string;
  technician: string | null;
  fields: string;
  prevHash: string;
  hash: string;
}

/** The `prev_hash` of record 1. */
export const GENESIS_HASH = '0'.repeat(64);
