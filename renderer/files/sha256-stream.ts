import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** What the page posts to hash-worker.ts. */
export type HashRequest = { op: 'update'; bytes: Uint8Array } | { op: 'digest' };

/** The worker's script beside the page's bundle (scripts/build.mjs builds it; the CSP's `'self'` allows it). */
export const HASH_WORKER_URL = 'hash-worker.js';

/**
 * An incremental SHA-256 whose work runs in a Worker, so the page's main thread only hands over buffers (JavaScript
 * SHA-256 moves ~100–200 MiB/s on one core: at full transfer speed that was a large part of the send and receive
 * loops). Where no Worker can start (Node, a page without the script) the same hash runs inline. `update` may
 * transfer the buffer (the caller gives it up) or copy it.
 */
export class Sha256Stream {
  private readonly worker?: Worker;
  private readonly inline?: ReturnType<typeof sha256.create>;
  private result?: Promise<string>;
  /** Why the worker cannot give a digest (it failed to load or run, or was stopped); rejects a digest awaited. */
  private failed?: string;
  private rejectDigest?: (err: Error) => void;

  constructor(workerUrl: string | undefined = HASH_WORKER_URL) {
    this.worker = workerUrl ? startWorker(workerUrl) : undefined;
    if (!this.worker) this.inline = sha256.create();
    else this.worker.onerror = (e) => this.fail(e.message || 'the hashing worker failed');
  }

  /** True when the hashing runs off this thread. */
  get offThread(): boolean {
    return this.worker !== undefined;
  }

  /** Adds bytes; with `transfer`, the bytes' whole buffer moves to the worker and is unusable here afterwards. */
  update(bytes: Uint8Array, transfer = false): void {
    if (this.inline) return void this.inline.update(bytes);
    const request: HashRequest = { op: 'update', bytes };
    this.worker!.postMessage(request, transfer ? [bytes.buffer as ArrayBuffer] : []);
  }

  /** The hex digest of everything added; the stream is finished afterwards. */
  digest(): Promise<string> {
    this.result ??= this.inline ? Promise.resolve(bytesToHex(this.inline.digest())) : this.askWorker(this.worker!);
    return this.result;
  }

  /** Stops the worker (a cancelled transfer, or after the digest); a digest still awaited rejects. */
  dispose(): void {
    this.worker?.terminate();
    this.fail('stopped');
  }

  private askWorker(worker: Worker): Promise<string> {
    if (this.failed) return Promise.reject(new Error(`Hashing failed: ${this.failed}`));
    return new Promise<string>((resolve, reject) => {
      this.rejectDigest = reject;
      worker.onmessage = (e: MessageEvent<string>) => {
        this.rejectDigest = undefined;
        worker.terminate();
        resolve(e.data);
      };
      worker.postMessage({ op: 'digest' } satisfies HashRequest);
    });
  }

  private fail(reason: string): void {
    this.failed ??= reason;
    this.rejectDigest?.(new Error(`Hashing failed: ${reason}`));
    this.rejectDigest = undefined;
  }
}

function startWorker(url: string): Worker | undefined {
  if (typeof Worker !== 'function') return undefined;
  try {
    return new Worker(url, { name: 'sha256' });
  } catch {
    return undefined;
  }
}
