import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry } from './audit-sink';
import { chainRows, COLUMNS, rowValues } from './chain-rows';

/** An SQLite audit file as every connection to it is opened: by the server, its writer thread, `audit verify`. */
export function openSqliteFile(path: string): Database.Database {
  if (!path) throw new Error('sqlite: needs a file path');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new Database(path);
  // WAL: readers (verify, export) never block the writer; the timeout lets two connections (the server's and its
  // writer thread's, or two processes) share the file.
  file.pragma('journal_mode = WAL');
  file.pragma('busy_timeout = 5000');
  // NORMAL under WAL still never corrupts the file or breaks the chain; a power cut may lose the last commits, not an
  // application crash. FULL would wait for the disk on every commit.
  file.pragma('synchronous = NORMAL');
  return file;
}

/** Rows per INSERT statement: 500 parameters, far below SQLite's limit (32,766), and a trail's batch (200) in four. */
const ROWS_PER_INSERT = 50;

/**
 * Appending to the chain with statements prepared once (the tables must exist: the migrations ran first). One
 * transaction per batch; BEGIN IMMEDIATE takes the file's write lock before the head is read — the chain lock — so
 * no other connection appends between our reading the head and writing after it. Rows go up to `ROWS_PER_INSERT` to
 * a statement: one call into the driver (binding, stepping) per 50 rows instead of per row.
 */
export function prepareAppend(file: Database.Database): (entries: AuditEntry[]) => void {
  const head = file.prepare<[], { seq: number; hash: string }>("select seq, hash from audit_anchors where name = 'head'");
  const inserts = new Map<number, Database.Statement>();
  const insert = (rows: number) => {
    let statement = inserts.get(rows);
    if (!statement) {
      const row = `(${COLUMNS.map(() => '?').join(', ')})`;
      statement = file.prepare(`insert into audit_records (${COLUMNS.join(', ')}) values ${Array(rows).fill(row).join(', ')}`);
      inserts.set(rows, statement);
    }
    return statement;
  };
  const moveHead = file.prepare("update audit_anchors set seq = ?, hash = ? where name = 'head'");
  const append = file.transaction((entries: AuditEntry[]) => {
    const current = head.get()!;
    const out = chainRows({ seq: Number(current.seq), hash: current.hash }, entries);
    for (let from = 0; from < out.rows.length; from += ROWS_PER_INSERT) {
      const rows = out.rows.slice(from, from + ROWS_PER_INSERT);
      insert(rows.length).run(rows.flatMap(rowValues));
    }
    moveHead.run(out.head.seq, out.head.hash);
  });
  return (entries) => append.immediate(entries);
}
