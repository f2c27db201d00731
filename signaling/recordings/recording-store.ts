import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, link, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { recordingMetaSchema, type RecordingMeta } from '../../protocol/recordings';

const INCOMING = '.incoming';

/** A recording id taken by an earlier upload. */
export class RecordingExists extends Error {}

/**
 * The recordings directory: `<id>.webm` with its metadata beside it in `<id>.json`, uploads in progress under
 * `.incoming/`. A recording exists once its metadata does: the file is linked into place first and the metadata
 * written (to a temp name, then renamed) last, so a list never names a file that is not there. The directory may be
 * shared by several nodes (one volume): names are the ids, and `link` refuses an id taken by another node.
 */
export class RecordingStore {
  private constructor(
    readonly dir: string,
    private readonly log: Logger,
  ) {}

  /** Creates the directory if needed and removes uploads a crash left half-written. */
  static async open(dir: string, log: Logger): Promise<RecordingStore> {
    await rm(join(dir, INCOMING), { recursive: true, force: true });
    await mkdir(join(dir, INCOMING), { recursive: true, mode: 0o700 });
    return new RecordingStore(dir, log);
  }

  /** A fresh path for an upload to stream into; `commit` or `discard` it. */
  incomingPath(): string {
    return join(this.dir, INCOMING, `${randomBytes(12).toString('hex')}.part`);
  }

  async discard(partPath: string): Promise<void> {
    await rm(partPath, { force: true });
  }

  /** Moves a finished upload into place under its id; `RecordingExists` when the id is taken (the part is removed). */
  async commit(partPath: string, meta: RecordingMeta): Promise<void> {
    const file = this.filePath(meta.id);
    try {
      await link(partPath, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new RecordingExists(meta.id);
      throw err;
    } finally {
      await this.discard(partPath);
    }
    const tmp = join(this.dir, INCOMING, `${meta.id}.json`);
    try {
      await writeFile(tmp, JSON.stringify(meta), { mode: 0o600 });
      await rename(tmp, this.metaPath(meta.id));
    } catch (err) {
      await rm(file, { force: true });
      await rm(tmp, { force: true });
      throw err;
    }
  }

  filePath(id: string): string {
    return join(this.dir, `${id}.webm`);
  }

  private metaPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** One recording's metadata, or undefined (no such id, or metadata that does not read as ours). */
  async find(id: string): Promise<RecordingMeta | undefined> {
    let text: string;
    try {
      text = await readFile(this.metaPath(id), 'utf8');
    } catch {
      return undefined;
    }
    const parsed = recordingMetaSchema.safeParse(safeJson(text));
    if (!parsed.success || parsed.data.id !== id) {
      this.log.warn({ id }, 'recording metadata unreadable; the recording is not listed');
      return undefined;
    }
    return parsed.data;
  }

  /** Every recording (or one technician's, by sign-in email), newest first. */
  async list(byEmail?: string): Promise<RecordingMeta[]> {
    const ids = (await readdir(this.dir)).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
    const metas = (await Promise.all(ids.map((id) => this.find(id)))).filter((m): m is RecordingMeta => m !== undefined);
    return metas
      .filter((m) => byEmail === undefined || m.by.email === byEmail)
      .sort((a, b) => b.storedAt.localeCompare(a.storedAt) || a.id.localeCompare(b.id));
  }

  /**
   * Deletes the recordings stored before `before` (metadata first, so a purged one leaves every list at once), and
   * any file left without metadata (a crash between the two steps) last changed before it. Returns how many went.
   */
  async purgeBefore(before: Date): Promise<number> {
    let purged = 0;
    for (const meta of await this.list()) {
      if (new Date(meta.storedAt) >= before) continue;
      await unlink(this.metaPath(meta.id)).catch(() => undefined);
      await rm(this.filePath(meta.id), { force: true });
      purged++;
    }
    const names = new Set(await readdir(this.dir));
    for (const name of names) {
      if (!name.endsWith('.webm') || names.has(`${name.slice(0, -'.webm'.length)}.json`)) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtime < before) await rm(path, { force: true });
    }
    return purged;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
