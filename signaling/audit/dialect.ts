import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AuditDatabase, AuditRecordTable } from './database';

/** The last record of the chain, as the `head` anchor names it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** A batch chained onto a head: its rows in order, and the head after them. */
export type ChainBatch = (head: ChainHead) => { rows: AuditRecordTable[]; head: ChainHead };

/** The stored columns in insert order (the same order on both databases). */
const COLUMNS = ['seq', 'at', 'session', 'code', 'type', 'reported_by', 'technician', 'fields', 'prev_hash', 'hash'] as const;
const rowValues = (r: AuditRecordTable) => COLUMNS.map((c) => r[c]);

/** Everything that differs between SQLite and PostgreSQL lives in this file. */
export interface AuditDb {
  db: Kysely<AuditDatabase>;
  kind: 'sqlite' | 'postgres';
  /**
   * Taken first in every transaction that appends or purges, held until it ends: one writer at a time across
   * every node sharing the database, so the chain never forks.
   */
  lockChain(trx: Transaction<AuditDatabase>): Promise<void>;
  /**
   * Appends one batch right after the head, atomically: the rows and the moved head commit together or not at all,
   * and never onto a head another writer has moved meanwhile. The hot path of the trail, so it bypasses the query
   * builder: prepared statements on SQLite, one statement (one round trip) on PostgreSQL.
   */
  appendBatch(batch: ChainBatch): Promise<void>;
  close(): Promise<void>;
}

/** Any fixed number: the key of the advisory lock that serializes writers of the chain. */
const CHAIN_LOCK_KEY = 0x70656572; // "peer"

/** `sqlite:<path>` (the file and its directory are created) or `postgres://…` / `postgresql://…`. */
export function openAuditDb(url: string, log?: Logger): AuditDb {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, log);
  throw new Error(`unsupported audit database URL (use sqlite:<path> or postgres://…): ${url.replace(/\/\/[^@]*@/, '//…@')}`);
}

function openSqlite(path: string): AuditDb {
  if (!path) throw new Error('sqlite: needs a file path');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new Database(path);
  // WAL: readers (verify, export) never block the server's writer; the timeout lets two processes share a file.
  file.pragma('journal_mode = WAL');
  file.pragma('busy_timeout = 5000');
  // better-sqlite3 commits on the server's event loop: with FULL every commit waits for the disk and relayed signals
  // queue behind it (bench/audit-trail.ts: SQLite relay p99 5.4 s against 0.33 s off). NORMAL under WAL still never
  // corrupts the file or breaks the chain; a power cut may lose the last commits, not an application crash.
  file.pragma('synchronous = NORMAL');
  const db = new Kysely<AuditDatabase>({ dialect: new SqliteDialect({ database: file }) });
  // Prepared once, after the migrations made the tables (Kysely would compile and prepare every statement anew).
  let statements: ReturnType<typeof prepareAppend> | undefined;
  return {
    db,
    kind: 'sqlite',
    appendBatch: (batch) =>
      // Through Kysely's one connection, so a purge's transaction (awaiting between its statements) never has our
      // statements run inside it. BEGIN IMMEDIATE takes the file's write lock first: the chain lock.
      db.connection().execute(async () => {
        statements ??= prepareAppend(file);
        statements.append.immediate(batch);
      }),
    // Kysely opens SQLite transactions deferred; writing first takes the file's write lock before anything is
    // read, so no other process can append between our reading the head and writing after it.
    lockChain: async (trx) =>
      void (await trx
        .updateTable('audit_anchors')
        .set({ seq: sql`seq` })
        .where('name', '=', 'head')
        .execute()),
    close: () => db.destroy(),
  };
}

function prepareAppend(file: Database.Database) {
  const head = file.prepare<[], { seq: number; hash: string }>("select seq, hash from audit_anchors where name = 'head'");
  const insert = file.prepare(`insert into audit_records (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
  const moveHead = file.prepare("update audit_anchors set seq = ?, hash = ? where name = 'head'");
  const append = file.transaction((batch: ChainBatch) => {
    const current = head.get()!;
    const out = batch({ seq: Number(current.seq), hash: current.hash });
    for (const row of out.rows) insert.run(rowValues(row));
    moveHead.run(out.head.seq, out.head.hash);
  });
  return { append };
}

function openPostgres(url: string, log?: Logger): AuditDb {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
  // An idle client whose server went away emits here; unhandled, it would end the process.
  pool.on('error', (err) => log?.warn({ err: err.message }, 'audit database connection lost'));
  const db = new Kysely<AuditDatabase>({ dialect: new PostgresDialect({ pool }) });
  let head: ChainHead | undefined;
  return {
    db,
    kind: 'postgres',
    lockChain: async (trx) => void (await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx)),
    appendBatch: async (batch) => {
      try {
        for (let attempt = 1; ; attempt++) {
          head ??= await readHead(pool);
          const out = batch(head);
          if (await appendOnto(pool, head, out)) return void (head = out.head);
          // Another node appended since we last saw the head: chain onto theirs.
          head = undefined;
          if (attempt >= MAX_HEAD_RACES) throw new Error(`the audit chain's head moved under ${attempt} appends in a row`);
        }
      } catch (err) {
        head = undefined; // whether the last statement committed is unknown: read the head again
        throw err;
      }
    },
    close: () => db.destroy(),
  };
}

/** Appends lost to other writers before one gives up (and the trail retries the batch a second later). */
const MAX_HEAD_RACES = 100;

async function readHead(pool: pg.Pool): Promise<ChainHead> {
  const { rows } = await pool.query<{ seq: string; hash: string }>("select seq, hash from audit_anchors where name = 'head'");
  if (!rows[0]) throw new Error('the audit database has no head anchor');
  return { seq: Number(rows[0].seq), hash: rows[0].hash };
}

/**
 * One statement, so one round trip and its own transaction: move the head from where we saw it, and insert the rows
 * only if that worked. A concurrent append holds the head row until it commits; ours then re-checks the row, finds it
 * moved, updates nothing and inserts nothing (false). The `seq` primary key would refuse a fork even so.
 */
async function appendOnto(pool: pg.Pool, from: ChainHead, out: ReturnType<ChainBatch>): Promise<boolean> {
  const params: unknown[] = [out.head.seq, out.head.hash, from.seq, from.hash];
  const tuples = out.rows.map((row) => {
    const first = params.length + 1;
    params.push(...rowValues(row));
    return `(${COLUMNS.map((c, i) => `$${first + i}${c === 'seq' ? '::bigint' : '::text'}`).join(', ')})`;
  });
  const text =
    `with moved as (update audit_anchors set seq = $1, hash = $2 where name = 'head' and seq = $3 and hash = $4 returning 1) ` +
    `insert into audit_records (${COLUMNS.join(', ')}) select * from (values ${tuples.join(', ')}) as v (${COLUMNS.join(', ')}) ` +
    `where exists (select 1 from moved)`;
  const result = await pool.query(text, params);
  return result.rowCount === out.rows.length;
}
