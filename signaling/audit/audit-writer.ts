import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AuditEntry } from './audit-sink';

/** How long `close()` lets the thread close its connection before ending it. */
const CLOSE_TIMEOUT_MS = 2000;

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Where this module was loaded from: ESM (the sources, the standalone server's bundle) or the Electron main's CommonJS bundle. */
function moduleUrl(): string {
  const url = (import.meta as { url?: string }).url;
  return url ?? pathToFileURL(__filename).href;
}

/**
 * The writer thread: `audit-writer-thread.ts` from the sources (loaded through tsx, as the tests and benchmarks
 * run them), or the built `dist/signaling/audit-writer-thread.mjs` beside either bundle (`scripts/build.mjs`).
 */
function startThread(url: string): Worker {
  const here = moduleUrl();
  if (!here.endsWith('.ts')) return new Worker(new URL('../signaling/audit-writer-thread.mjs', here), { workerData: { url } });
  // tsx's ESM API (its import entry: the require one fails under vitest); a worker's execArgv cannot carry `--import tsx`.
  const tsx = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(here).resolve('tsx/package.json'))).href;
  const thread = new URL('./audit-writer-thread.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(thread)}); })`;
  return new Worker(boot, { eval: true, workerData: { url } });
}

/**
 * Appends batches to the trail (`sqlite:` or `postgres://` URL) from a thread of their own with its own connection,
 * so the relay never waits on a commit nor spends its loop on chaining them. Started by
 * the first append; a thread that dies takes its batches with it (rejected: the trail keeps and retries them) and
 * the next append starts another. Where no thread can start at all (a packaging that lacks its file), appends run
 * on this thread through `inThread`, as before.
 */
export class AuditWriter {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private everReady = false;
  private fallback = false;

  constructor(
    private readonly url: string,
    private readonly inThread: (entries: AuditEntry[]) => Promise<void>,
    private readonly log?: Logger,
  ) {}

  append(entries: AuditEntry[]): Promise<void> {
    if (this.fallback) return this.inThread(entries);
    const worker = (this.worker ??= this.start());
    const id = ++this.nextId;
    worker.ref(); // a batch in flight keeps the process alive until it is written (shutdown waits for it)
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, entries });
    });
  }

  /** Lets the thread close its connection (a PostgreSQL session ends cleanly, not as a broken socket), then ends it. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ close: true });
    const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private start(): Worker {
    const worker = startThread(this.url);
    worker.on('message', (m: { ready?: true; warn?: string; id?: number; error?: string }) => {
      if (m.ready) return void (this.everReady = true);
      if (m.warn) return void this.log?.warn({ err: m.warn }, 'audit database connection lost (writer thread)');
      const p = this.pending.get(m.id!);
      this.pending.delete(m.id!);
      if (this.pending.size === 0) worker.unref();
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve();
    });
    worker.on('error', (err) => this.ended(worker, err));
    worker.on('exit', (code) => this.ended(worker, new Error(`the audit writer thread exited (${code})`)));
    return worker;
  }

  private ended(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (!this.everReady) {
      this.fallback = true;
      this.log?.warn({ err: err.message }, 'the audit writer thread did not start; audit records are written on the main thread');
    }
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
