import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FILE_CHUNK_BYTES, FILE_CHUNK_HEADER_BYTES, FILES_CHANNEL_ID, type ToolkitMessage } from '../../protocol/toolkit-messages';
import { displayName } from '../../common/display-text';
import { formatSize } from '../../common/format-size';
import type { ToolkitChannel } from '../net/toolkit-channel';
import type { FileSink } from './file-sinks';

export type TransferState =
  | 'queued'
  | 'offered' // waiting for the other side's Accept
  | 'incoming' // offered to us: Accept or Decline
  | 'sending'
  | 'receiving'
  | 'verifying'
  | 'done'
  | 'declined'
  | 'cancelled'
  | 'failed';

export interface TransferView {
  id: string;
  direction: 'out' | 'in';
  name: string;
  size: number;
  mime: string;
  state: TransferState;
  bytes: number;
  /** Bytes per second over the last second or so. */
  speed: number;
  detail?: string;
  /** Of the bytes sent or received, once verified. */
  sha256?: string;
}

interface Outgoing extends TransferView {
  direction: 'out';
  n: number;
  file: Blob;
}

interface Incoming extends TransferView {
  direction: 'in';
  n: number;
  sink?: FileSink;
  hash?: ReturnType<typeof sha256.create>;
  meter?: SpeedMeter;
  writes: Promise<void>;
  /** The sender's SHA-256, once its `file.done` arrived (the toolkit and files channels are not ordered together). */
  expected?: string;
  stall?: ReturnType<typeof setTimeout>;
}

export interface FileTransfersDeps {
  toolkit: ToolkitChannel;
  pc: RTCPeerConnection;
  /** Where an accepted incoming file goes (the desktop's main process, or a browser download). */
  sinkFor: (name: string, size: number, mime: string) => Promise<FileSink>;
  /** Largest file this side accepts. */
  maxBytes: number;
}

/** Send while the channel holds less than this; resume when it drains to the low mark. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
/** After `file.done`, chunks still in flight on the files channel may take this long to stop arriving. */
const STALL_MS = 30_000;
/** Files are read in blocks this big and sent as FILE_CHUNK_BYTES chunks. */
const READ_BLOCK = 1024 * 1024;
const isFinal = (s: TransferState) => s === 'done' || s === 'declined' || s === 'cancelled' || s === 'failed';

/**
 * File transfers in both directions over one peer connection. Offers, answers and verdicts travel on the toolkit
 * channel; bytes on their own negotiated "files" channel, with backpressure (`bufferedAmount` /
 * `bufferedamountlow`). The receiver must Accept before a byte flows; either side can cancel; the sender's SHA-256
 * of everything it sent is checked against the receiver's own before the file is saved. Outgoing files go one at a
 * time, in the order they were picked.
 */
export class FileTransfers {
  private readonly channel: RTCDataChannel;
  private readonly outgoing: Outgoing[] = [];
  private readonly incoming = new Map<string, Incoming>();
  /** Accepted incoming transfers by the tag their chunks carry (looked up once per chunk). */
  private readonly receivingByN = new Map<number, Incoming>();
  private readonly listeners = new Set<(views: TransferView[]) => void>();
  private nextN = 0;
  private sending = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: FileTransfersDeps) {
    this.channel = deps.pc.createDataChannel('files', { negotiated: true, id: FILES_CHANNEL_ID, ordered: true });
    this.channel.binaryType = 'arraybuffer';
    this.channel.bufferedAmountLowThreshold = LOW_WATER;
    this.channel.onmessage = (e) => this.onChunk(e.data);
    this.unsubscribe = deps.toolkit.on((m) => this.onMessage(m));
  }

  onChange(listener: (views: TransferView[]) => void): () => void {
    this.listeners.add(listener);
    listener(this.views());
    return () => this.listeners.delete(listener);
  }

  views(): TransferView[] {
    const strip = ({ id, direction, name, size, mime, state, bytes, speed, detail, sha256 }: TransferView): TransferView => ({
      id,
      direction,
      name,
      size,
      mime,
      state,
      bytes,
      speed,
      detail,
      sha256,
    });
    return [...this.outgoing, ...this.incoming.values()].map(strip);
  }

  /** Queues files to send; each is offered when the one before it is finished. */
  send(files: File[]): void {
    for (const file of files) {
      const id = crypto.randomUUID().replace(/-/g, '');
      this.outgoing.push({
        id,
        direction: 'out',
        n: this.nextN++,
        file,
        name: file.name,
        size: file.size,
        mime: file.type,
        state: 'queued',
        bytes: 0,
        speed: 0,
      });
    }
    this.changed();
    this.offerNext();
  }

  async accept(id: string): Promise<void> {
    const t = this.incoming.get(id);
    if (!t || t.state !== 'incoming') return;
    try {
      t.sink = await this.deps.sinkFor(t.name, t.size, t.mime);
    } catch (err) {
      this.deps.toolkit.send({ t: 'file.decline', id });
      return this.finish(t, 'failed', `Could not save: ${(err as Error).message}`);
    }
    t.hash = sha256.create();
    t.state = 'receiving';
    this.receivingByN.set(t.n, t);
    this.deps.toolkit.send({ t: 'file.accept', id });
    this.changed();
  }

  decline(id: string): void {
    const t = this.incoming.get(id);
    if (!t || t.state !== 'incoming') return;
    this.deps.toolkit.send({ t: 'file.decline', id });
    this.finish(t, 'declined');
  }

  cancel(id: string): void {
    const t = this.find(id);
    if (!t || isFinal(t.state)) return;
    this.deps.toolkit.send({ t: 'file.cancel', id });
    this.stop(t, 'cancelled', 'You cancelled it.');
  }

  /** Leaving the session: everything unfinished stops, and partial files are thrown away. */
  dispose(): void {
    this.unsubscribe();
    for (const t of [...this.outgoing, ...this.incoming.values()]) if (!isFinal(t.state)) this.stop(t, 'cancelled', 'The session ended.');
  }

  private onMessage(m: ToolkitMessage): void {
    switch (m.t) {
      case 'file.offer': {
        if (this.incoming.has(m.id)) return;
        const t: Incoming = {
          id: m.id,
          direction: 'in',
          n: m.n,
          name: m.name,
          size: m.size,
          mime: m.mime,
          state: 'incoming',
          bytes: 0,
          speed: 0,
          writes: Promise.resolve(),
        };
        this.incoming.set(m.id, t);
        if (m.size > this.deps.maxBytes) {
          this.deps.toolkit.send({ t: 'file.decline', id: m.id });
          return this.finish(t, 'declined', `Too large: this side accepts files up to ${formatSize(this.deps.maxBytes)}.`);
        }
        return this.changed();
      }
      case 'file.accept':
        return void this.transmit(m.id);
      case 'file.decline': {
        const t = this.outgoingById(m.id);
        if (t && t.state === 'offered') this.finish(t, 'declined', 'They declined it; nothing was sent.');
        return this.offerNext();
      }
      case 'file.cancel': {
        const t = this.find(m.id);
        if (t && !isFinal(t.state)) this.stop(t, 'cancelled', 'They cancelled it.');
        return;
      }
      case 'file.done':
        return this.doneAnnounced(m.id, m.sha256);
      case 'file.result': {
        const t = this.outgoingById(m.id);
        if (t && t.state === 'verifying')
          this.finish(t, m.ok ? 'done' : 'failed', m.ok ? 'Delivered and verified.' : m.reason && displayName(m.reason));
        return;
      }
    }
  }

  private offerNext(): void {
    if (this.outgoing.some((t) => t.state === 'offered' || t.state === 'sending' || t.state === 'verifying')) return;
    const next = this.outgoing.find((t) => t.state === 'queued');
    if (!next) return;
    if (
      !this.deps.toolkit.send({ t: 'file.offer', id: next.id, n: next.n, name: next.name, size: next.size, mime: next.mime.slice(0, 200) })
    )
      return this.finish(next, 'failed', 'The connection is not open.');
    next.state = 'offered';
    this.changed();
  }

  private async transmit(id: string): Promise<void> {
    const t = this.outgoingById(id);
    if (!t || t.state !== 'offered' || this.sending) return;
    this.sending = true;
    t.state = 'sending';
    this.changed();
    const hash = sha256.create();
    const meter = new SpeedMeter();
    try {
      for (let offset = 0; offset < t.size && t.state === 'sending'; offset += READ_BLOCK) {
        const block = new Uint8Array(await t.file.slice(offset, offset + READ_BLOCK).arrayBuffer());
        hash.update(block);
        for (let at = 0; at < block.length && t.state === 'sending'; at += FILE_CHUNK_BYTES) {
          if (this.channel.bufferedAmount > HIGH_WATER) await this.drained();
          if (t.state !== 'sending') break;
          const data = block.subarray(at, at + FILE_CHUNK_BYTES);
          const frame = new Uint8Array(FILE_CHUNK_HEADER_BYTES + data.length);
          new DataView(frame.buffer).setUint32(0, t.n);
          frame.set(data, FILE_CHUNK_HEADER_BYTES);
          this.channel.send(frame);
          t.bytes += data.length;
          t.speed = meter.add(data.length);
          this.changedSoon();
        }
      }
      if (t.state !== 'sending') return;
      t.state = 'verifying';
      t.sha256 = bytesToHex(hash.digest());
      this.deps.toolkit.send({ t: 'file.done', id, sha256: t.sha256 });
      this.changed();
    } catch (err) {
      if (!isFinal(t.state)) {
        this.deps.toolkit.send({ t: 'file.cancel', id });
        this.finish(t, 'failed', (err as Error).message);
      }
    } finally {
      this.sending = false;
      this.offerNext();
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.channel.removeEventListener('bufferedamountlow', done);
        this.channel.removeEventListener('close', closed);
        resolve();
      };
      const closed = () => reject(new Error('The connection closed.'));
      this.channel.addEventListener('bufferedamountlow', done);
      this.channel.addEventListener('close', closed, { once: true });
    });
  }

  private onChunk(data: unknown): void {
    if (!(data instanceof ArrayBuffer) || data.byteLength < FILE_CHUNK_HEADER_BYTES) return;
    const n = new DataView(data).getUint32(0);
    const t = this.receivingByN.get(n);
    if (!t || t.state !== 'receiving' || !t.sink || !t.hash) return; // leftovers of a cancelled transfer
    const bytes = new Uint8Array(data, FILE_CHUNK_HEADER_BYTES);
    if (t.bytes + bytes.length > t.size) {
      this.deps.toolkit.send({ t: 'file.cancel', id: t.id });
      return this.stop(t, 'failed', 'More data arrived than was announced.');
    }
    t.hash.update(bytes);
    t.bytes += bytes.length;
    t.speed = (t.meter ??= new SpeedMeter()).add(bytes.length);
    const sink = t.sink;
    t.writes = t.writes.then(() => sink.write(bytes));
    this.changedSoon();
    if (t.expected !== undefined) {
      if (t.bytes === t.size) void this.verify(t);
      else t.stall?.refresh();
    }
  }

  /**
   * The sender is done. Its last chunks may still be on their way (another channel, no ordering between the two),
   * so the check waits for all announced bytes — unless they stop coming, which is a truncated transfer.
   */
  private doneAnnounced(id: string, sha256Hex: string): void {
    const t = this.incoming.get(id);
    if (!t || t.state !== 'receiving' || t.expected !== undefined) return;
    t.expected = sha256Hex;
    if (t.bytes === t.size) return void this.verify(t);
    t.stall = setTimeout(() => void this.verify(t), STALL_MS);
  }

  private async verify(t: Incoming): Promise<void> {
    clearTimeout(t.stall);
    const { id, expected } = t;
    if (t.state !== 'receiving' || !t.sink || !t.hash || expected === undefined) return;
    t.state = 'verifying';
    this.changed();
    let verdict: { ok: true; where: string } | { ok: false; reason: string };
    try {
      await t.writes;
      const actual = bytesToHex(t.hash.digest());
      if (t.bytes !== t.size) verdict = { ok: false, reason: `Truncated: ${t.bytes} of ${t.size} bytes arrived; nothing was saved.` };
      else if (actual !== expected) verdict = { ok: false, reason: 'Corrupted on the way (SHA-256 mismatch); nothing was saved.' };
      else verdict = await t.sink.commit(expected);
    } catch (err) {
      verdict = { ok: false, reason: (err as Error).message };
    }
    if (!verdict.ok) await t.sink.abort().catch(() => undefined);
    this.deps.toolkit.send({ t: 'file.result', id, ok: verdict.ok, ...(verdict.ok ? {} : { reason: verdict.reason.slice(0, 200) }) });
    if (verdict.ok) t.sha256 = expected;
    this.finish(t, verdict.ok ? 'done' : 'failed', verdict.ok ? `Saved to ${verdict.where}. SHA-256 ${expected}` : verdict.reason);
  }

  /** Ends a transfer that may have bytes in flight: a receiver's partial file is thrown away. */
  private stop(t: Outgoing | Incoming, state: TransferState, detail: string): void {
    if (t.direction === 'in') clearTimeout(t.stall);
    if (t.direction === 'in' && t.sink) {
      const sink = t.sink;
      void t.writes.then(() => sink.abort()).catch(() => undefined);
    }
    this.finish(t, state, detail);
    if (t.direction === 'out') this.offerNext();
  }

  private finish(t: Outgoing | Incoming, state: TransferState, detail?: string): void {
    if (t.direction === 'in' && this.receivingByN.get(t.n) === t) this.receivingByN.delete(t.n);
    t.state = state;
    t.speed = 0;
    t.detail = detail;
    this.changed();
  }

  private find(id: string): Outgoing | Incoming | undefined {
    return this.outgoingById(id) ?? this.incoming.get(id);
  }

  private outgoingById(id: string): Outgoing | undefined {
    return this.outgoing.find((t) => t.id === id);
  }

  private timer?: ReturnType<typeof setTimeout>;
  /** Progress redraws at most five times a second. */
  private changedSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed();
    }, 200);
  }

  private changed(): void {
    const views = this.views();
    for (const l of this.listeners) l(views);
  }
}

/** Bytes per second over a sliding window of about a second. */
class SpeedMeter {
  private samples: Array<{ at: number; bytes: number }> = [];

  add(bytes: number): number {
    const now = performance.now();
    this.samples.push({ at: now, bytes });
    while (this.samples.length > 1 && now - this.samples[0]!.at > 1000) this.samples.shift();
    const span = Math.max(now - this.samples[0]!.at, 50) / 1000;
    return this.samples.reduce((sum, s) => sum + s.bytes, 0) / span;
  }
}
