import pg from 'pg';
import type { AuditEntry } from './audit-sink';
import { type ChainedBatch, type ChainHead, chainRows, COLUMNS } from './chain-rows';

/** A pool on the audit database as every part of the server opens it (the server's queries, the writer thread). */
export function openPostgresPool(url: string, max: number, onLost: (message: string) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // An idle client whose server went away emits here; unhandled, it would end the process (or the writer thread).
  pool.on('error', (err) => onLost(err.message));
  return pool;
}

/** Appends lost to other writers before one gives up (and the trail retries the batch a second later). */
const MAX_HEAD_RACES = 100;

/**
 * Appending to the chain on PostgreSQL, one statement per batch (the tables must exist: the migrations ran first).
 * The head is remembered between batches; when another node has moved it meanwhile, the batch is chained again onto
 * theirs.
 */
export function preparePostgresAppend(pool: pg.Pool): (entries: AuditEntry[]) => Promise<void> {
  let head: ChainHead | undefined;
  return async (entries) => {
    try {
      for (let attempt = 1; ; attempt++) {
        head ??= await readHead(pool);
        const out = chainRows(head, entries);
        if (await appendOnto(pool, head, out)) return void (head = out.head);
        // Another node appended since we last saw the head: chain onto theirs.
        head = undefined;
        if (attempt >= MAX_HEAD_RACES) throw new Error(`the audit chain's head moved under ${attempt} appends in a row`);
      }
    } catch (err) {
      head = undefined; // whether the last statement committed is unknown: read the head again
      throw err;
    }
  };
}

async function readHead(pool: pg.Pool): Promise<ChainHead> {
  const { rows } = await pool.query<{ seq: string; hash: string }>("select seq, hash from audit_anchors where name = 'head'");
  if (!rows[0]) throw new Error('the audit database has no head anchor');
  return { seq: Number(rows[0].seq), hash: rows[0].hash };
}

/**
 * One statement, so one round trip and its own transaction: move the head from where we saw it, and insert the rows
 * only if that worked. A concurrent append holds the head row until it commits; ours then re-checks the row, finds it
 * moved, updates nothing and inserts nothing (false). The `seq` primary key would refuse a fork even so. The rows go
 * as one array per column: the text never changes, so each connection prepares it once (a VALUES list per batch was
 * parsed and planned anew each second, for every batch size), and the batch is 14 parameters, not 10 a row.
 */
const APPEND_STATEMENT = {
  name: 'peerdesk_audit_append',
  text:
    `with moved as (update audit_anchors set seq = $1, hash = $2 where name = 'head' and seq = $3 and hash = $4 returning 1) ` +
    `insert into audit_records (${COLUMNS.join(', ')}) ` +
    `select * from unnest(${COLUMNS.map((c, i) => `$${i + 5}::${c === 'seq' ? 'bigint' : 'text'}[]`).join(', ')}) ` +
    `where exists (select 1 from moved)`,
};

async function appendOnto(pool: pg.Pool, from: ChainHead, out: ChainedBatch): Promise<boolean> {
  const columns = COLUMNS.map((c) => out.rows.map((row) => row[c]));
  const result = await pool.query({ ...APPEND_STATEMENT, values: [out.head.seq, out.head.hash, from.seq, from.hash, ...columns] });
  return result.rowCount === out.rows.length;
}
