/**
 * The SQLite trail's writer thread (`sqlite-writer.ts` starts it): better-sqlite3 commits synchronously, so on the
 * server's event loop every commit (and WAL checkpoint) held up the signals relayed meanwhile. Here it holds up
 * nothing but this thread. One batch at a time, in the order they come; each answered `{ id, error? }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditEntry } from './audit-sink';
import { openSqliteFile, prepareAppend } from './sqlite-append';

const file = openSqliteFile((workerData as { path: string }).path);
let append: ((entries: AuditEntry[]) => void) | undefined;

parentPort!.on('message', ({ id, entries }: { id: number; entries: AuditEntry[] }) => {
  try {
    append ??= prepareAppend(file);
    append(entries);
    parentPort!.postMessage({ id });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort!.postMessage({ ready: true });
