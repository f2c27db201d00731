import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AuditEntry } from './audit-sink';
import { type ChainedBatch, type ChainHead, chainRows, COLUMNS } from './chain-rows';
import type { AuditDatabase } from './database';
import { openSqliteFile, prepareAppend } from './sqlite-append';
import { SqliteWriter } from './sqlite-writer';

export type { ChainHead } from './chain-rows';

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
   * builder: prepared statements in a writer thread on SQLite, one statement (one round trip) on PostgreSQL.
   */
  appendBatch(entries: AuditEntry[]): Promise<void>;
  close(): Promise<void>;
}

/** Any fixed number: the key of the advisory lock that serializes writers of the chain. */
const CHAIN_LOCK_KEY = 0x70656572; // "peer"

/** `sqlite:<path>` (the file and its directory are created) or `postgres://…` / `postgresql://…`. */
export function openAuditDb(url: string, log?: Logger): AuditDb {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), log);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, log);
  throw new Error(`unsupported audit database URL (use sqlite:<path> or postgres://…): ${url.replace(/\/\/[^@]*@/, '//…@')}`);
}

function openSqlite(path: string, log?: Logger): AuditDb {
  const file = openSqliteFile(path);
  const db = new Kysely<AuditDatabase>({ dialect: new SqliteDialect({ database: file }) });
  // Only where no writer thread can start: through Kysely's one connection, so a purge's transaction (awaiting
  // between its statements) never has our statements run inside it.
  let append: ReturnType<typeof prepareAppend> | undefined;
  const inThread = (entries: AuditEntry[]) =>
    db.connection().execute(async () => {
      append ??= prepareAppend(file);
      append(entries);
    });
  // The relay's event loop never waits on an SQLite commit: appends go to a thread of their own (its own connection;
  // an in-memory database is one connection's alone, so it stays here).
  const writer = path === ':memory:' ? undefined : new SqliteWriter(path, inThread, log);
  return {
    db,
    kind: 'sqlite',
    appendBatch: (entries) => (writer ? writer.append(entries) : inThread(entries)),
    // Kysely opens SQLite transactions deferred; writing first takes the file's write lock before anything is
    // read, so no other connection can append between our reading the head and writing after it.
    lockChain: async (trx) =>
      void (await trx
        .updateTable('audit_anchors')
        .set({ seq: sql`seq` })
        .where('name', '=', 'head')
        .execute()),
    close: async () => {
      await writer?.close();
      await db.destroy();
    },
  };
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
    appendBatch: async (entries) => {
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
