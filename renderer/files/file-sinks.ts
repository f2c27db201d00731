import type { PeerDeskHostApi } from '../../protocol/host-api';
import { saveDownload } from '../ui/save-download';

/** Where a received file's bytes go. `commit` runs only after the SHA-256 matched; `abort` leaves nothing behind. */
export interface FileSink {
  write(bytes: Uint8Array): Promise<void>;
  commit(sha256: string): Promise<{ ok: true; where: string } | { ok: false; reason: string }>;
  abort(): Promise<void>;
}

/** In a browser the file is assembled in memory and handed to the browser's own download. */
export const BROWSER_MAX_FILE_BYTES = 1024 ** 3;

export function browserDownloadSink(name: string, mime: string): FileSink {
  let parts: Uint8Array[] = [];
  return {
    async write(bytes) {
      parts.push(bytes);
    },
    async commit() {
      const blob = new Blob(parts as BlobPart[], { type: mime || 'application/octet-stream' });
      parts = [];
      saveDownload(blob, name);
      return { ok: true, where: 'your downloads' };
    },
    async abort() {
      parts = [];
    },
  };
}

type SaveApi = Required<Pick<PeerDeskHostApi, 'saveFileBegin' | 'saveFileChunk' | 'saveFileFinish' | 'saveFileAbort'>>;

export const hasDesktopSave = (api: PeerDeskHostApi | undefined): api is PeerDeskHostApi & SaveApi =>
  Boolean(api?.saveFileBegin && api.saveFileChunk && api.saveFileFinish && api.saveFileAbort);

/** Received bytes go to main in writes of about this size: one IPC message and one disk write each, not one per chunk. */
export const DESKTOP_WRITE_BYTES = 1024 * 1024;

/** The desktop app: main writes the bytes into the host's download folder and checks the SHA-256 again itself. */
export async function desktopSink(api: SaveApi, name: string, size: number): Promise<FileSink> {
  const token = await api.saveFileBegin(name, size);
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  const flush = async () => {
    if (!held.length) return;
    const parts = held;
    held = [];
    heldBytes = 0;
    await api.saveFileChunk(token, parts.length === 1 ? parts[0]! : concat(parts));
  };
  return {
    // main refuses a write above DESKTOP_WRITE_BYTES: a message that does not divide it evenly (a peer that
    // negotiated 64 KiB sends 65,532 data bytes) is split at the boundary rather than pushing a write past it.
    async write(bytes) {
      for (let at = 0; at < bytes.length;) {
        const part = bytes.subarray(at, at + DESKTOP_WRITE_BYTES - heldBytes);
        held.push(part);
        heldBytes += part.length;
        at += part.length;
        if (heldBytes >= DESKTOP_WRITE_BYTES) await flush();
      }
    },
    async commit(sha256) {
      await flush();
      const result = await api.saveFileFinish(token, sha256);
      return result.ok ? { ok: true, where: result.path } : { ok: false, reason: result.reason };
    },
    abort: () => {
      held = [];
      return api.saveFileAbort(token);
    },
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
