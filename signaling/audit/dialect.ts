import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { AuditEntry } from './audit-sink';
import type { AuditDatabase } from './database';
import { openSqliteFile, prepareAppend } from './sqlite-append';
import { AuditWriter } from './audit-writer';
import { openPostgresPool, preparePostgresAppend } from './postgres-append';

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
   * builder, and runs in a writer thread: prepared statements on SQLite, one statement (one round trip) on PostgreSQL.
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
  const writer = path === ':memory:' ? undefined : new AuditWriter(`sqlite:${path}`, inThread, log);
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
  const pool = openPostgresPool(url, 4, (message) => log?.warn({ err: message }, 'audit database connection lost'));
  const db = new Kysely<AuditDatabase>({ dialect: new PostgresDialect({ pool }) });
  // Only where no writer thread can start: the same statement through this pool.
  const inThread = preparePostgresAppend(pool);
  const writer = new AuditWriter(url, inThread, log);
  return {
    db,
    kind: 'postgres',
    lockChain: async (trx) => void (await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx)),
    appendBatch: (entries) => writer.append(entries),
    close: async () => {
      await writer.close();
      await db.destroy();
    },
  };
}
