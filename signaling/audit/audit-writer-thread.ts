/**
 * The audit trail's writer thread (`audit-writer.ts` starts it). Chaining a batch (canonical JSON, SHA-256 per
 * record) and committing it cost the relay's event loop: better-sqlite3 commits synchronously (every commit and WAL
 * checkpoint held up the signals relayed meanwhile), and on PostgreSQL the hashing and the query's parameters took
 * ~1 ms of the loop each second, showing in the relay's p99. Here they hold up nothing but this thread. One batch at
 * a time, in the order they come; each answered `{ id, error? }`.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditEntry } from './audit-sink';
import { openPostgresPool, preparePostgresAppend } from './postgres-append';
import { openSqliteFile, prepareAppend } from './sqlite-append';

interface Appender {
  append(entries: AuditEntry[]): void | Promise<void>;
  close(): void | Promise<void>;
}

const port = parentPort!;

/**
 * This thread's nice value: below the relay. The trail's writes wait in memory anyway (a batch a second), while a
 * signal held up by them shows in the relay's p99 — on two cores shared with the load, the thread's ~5 ms of chaining
 * and committing per batch took a core from the relay (p99 2.5 → 2.9 / 3.0 ms with SQLite / PostgreSQL, quiet run of
 * 2026-12-08). Only on Linux, where a thread's nice value is its own (`setpriority` on pid 0 changes the calling
 * thread); elsewhere it would lower the whole server.
 */
const WRITER_NICE = 10;
if (process.platform === 'linux') {
  try {
    setPriority(WRITER_NICE);
  } catch {
    // a container that forbids it: the writer keeps the relay's priority, as before
  }
}

function openAppender(url: string): Appender {
  if (url.startsWith('sqlite:')) {
    const file = openSqliteFile(url.slice('sqlite:'.length));
    let append: ((entries: AuditEntry[]) => void) | undefined;
    return { append: (entries) => (append ??= prepareAppend(file))(entries), close: () => void file.close() };
  }
  const pool = openPostgresPool(url, 1, (message) => port.postMessage({ warn: message }));
  return { append: preparePostgresAppend(pool), close: () => pool.end() };
}

const appender = openAppender((workerData as { url: string }).url);
let queue = Promise.resolve();

port.on('message', (m: { id: number; entries: AuditEntry[] } | { close: true }) => {
  if ('close' in m) {
    queue = queue.then(() => appender.close()).finally(() => port.close());
    return;
  }
  queue = queue.then(async () => {
    try {
      await appender.append(m.entries);
      port.postMessage({ id: m.id });
    } catch (err) {
      port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
});
port.postMessage({ ready: true });
