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

/**
 * Appending to the chain with statements prepared once (the tables must exist: the migrations ran first). One
 * transaction per batch; BEGIN IMMEDIATE takes the file's write lock before the head is read — the chain lock — so
 * no other connection appends between our reading the head and writing after it.
 */
export function prepareAppend(file: Database.Database): (entries: AuditEntry[]) => void {
  const head = file.prepare<[], { seq: number; hash: string }>("select seq, hash from audit_anchors where name = 'head'");
  const insert = file.prepare(`insert into audit_records (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
  const moveHead = file.prepare("update audit_anchors set seq = ?, hash = ? where name = 'head'");
  const append = file.transaction((entries: AuditEntry[]) => {
    const current = head.get()!;
    const out = chainRows({ seq: Number(current.seq), hash: current.hash }, entries);
    for (const row of out.rows) insert.run(rowValues(row));
    moveHead.run(out.head.seq, out.head.hash);
  });
  return (entries) => append.immediate(entries);
}
