import { createHash, randomUUID, type Hash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatSize } from '../../../common/format-size';
import { numberedName, safeFileName } from './safe-file-name';

export interface FileSaveOptions {
  /** The folder the host chose (default: Downloads). */
  folder: () => string;
  /** Largest file accepted, in bytes. */
  maxBytes: () => number;
  /** A file got its name: for the audit log (name as saved, size, SHA-256). */
  onSaved?: (saved: { name: string; path: string; size: number; sha256: string }) => void;
}

interface OpenSave {
  name: string;
  size: number;
  partPath: string;
  file: FileHandle;
  hash: Hash;
  written: number;
}

export type SaveResult = { ok: true; path: string; sha256: string } | { ok: false; reason: string };

/**
 * Received files on the host's disk. Bytes go to `<folder>/.<token>.part` while they arrive; only when the
 * announced size arrived and the SHA-256 of exactly those bytes matches the sender's does the file get its
 * (sanitized, never overwriting) name. Anything else — a cap exceeded, a wrong hash, a cancel, the session
 * ending — deletes the partial file.
 */
export class FileSaveService {
  private readonly open = new Map<string, OpenSave>();

  constructor(private readonly options: FileSaveOptions) {}

  async begin(rawName: string, size: number): Promise<string> {
    if (!Number.isSafeInteger(size) || size < 0) throw new Error('invalid size');
    if (size > this.options.maxBytes()) throw new Error(`larger than the ${formatSize(this.options.maxBytes())} limit`);
    const folder = this.options.folder();
    await mkdir(folder, { recursive: true });
    const token = randomUUID();
    const partPath = join(folder, `.peerdesk-${token}.part`);
    const file = await open(partPath, 'wx', 0o600);
    this.open.set(token, { name: safeFileName(rawName), size, partPath, file, hash: createHash('sha256'), written: 0 });
    return token;
  }

  async write(token: string, bytes: Uint8Array): Promise<void> {
    const save = this.get(token);
    if (save.written + bytes.length > save.size) {
      await this.abort(token);
      throw new Error('more bytes than announced');
    }
    await save.file.write(bytes);
    save.hash.update(bytes);
    save.written += bytes.length;
  }

  async finish(token: string, expectedSha256: string): Promise<SaveResult> {
    const save = this.get(token);
    const sha256 = save.hash.digest('hex');
    if (save.written !== save.size) return this.fail(token, `truncated: ${save.written} of ${save.size} bytes`);
    if (sha256 !== expectedSha256) return this.fail(token, 'the SHA-256 does not match: the file was corrupted on the way');
    await save.file.close();
    this.open.delete(token);
    const path = await this.claimName(save.name);
    await rename(save.partPath, path);
    this.options.onSaved?.({ name: basename(path), path, size: save.size, sha256 });
    return { ok: true, path, sha256 };
  }

  /** Cancelled, declined midway, or the session ended: the partial file goes. */
  async abort(token: string): Promise<void> {
    const save = this.open.get(token);
    if (!save) return;
    this.open.delete(token);
    await save.file.close().catch(() => undefined);
    await rm(save.partPath, { force: true });
  }

  async abortAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((t) => this.abort(t)));
  }

  private async fail(token: string, reason: string): Promise<SaveResult> {
    await this.abort(token);
    return { ok: false, reason };
  }

  /** Creates the final name exclusively (`wx`), so an existing file is never overwritten: `name (1).ext` … */
  private async claimName(name: string): Promise<string> {
    const folder = this.options.folder();
    for (let n = 0; n < 10_000; n++) {
      const path = join(folder, n === 0 ? name : numberedName(name, n));
      try {
        await (await open(path, 'wx', 0o644)).close();
        return path;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new Error('no free file name');
  }

  private get(token: string): OpenSave {
    const save = this.open.get(token);
    if (!save) throw new Error('no such transfer');
    return save;
  }
}
