import { FILES_CHANNEL_ID, type ToolkitMessage } from '../../protocol/toolkit-messages';
import { displayName } from '../../common/display-text';
import { formatSize } from '../../common/format-size';
import type { ToolkitChannel } from '../net/toolkit-channel';
import { decodeChunk } from './chunk-frame';
import { doneAnnounced, type ReceiverContext, takeChunk } from './file-receiver';
import { sendFile } from './file-sender';
import type { FileSink } from './file-sinks';
import { RateMeter } from './rate-meter';
import { Sha256Stream } from './sha256-stream';
import { DEFAULT_TRANSFER_PACE, TRANSFER_PACES, type TransferPaceName } from './transfer-pace';
import { readVideoFrames } from './video-pace';
import { type Incoming, isFinal, type Outgoing, type TransferState, type TransferView, viewOf } from './transfer-model';

export type { TransferState, TransferView } from './transfer-model';

export interface FileTransfersDeps {
  toolkit: ToolkitChannel;
  pc: RTCPeerConnection;
  /** Where an accepted incoming file goes (the desktop's main process, or a browser download). */
  sinkFor: (name: string, size: number, mime: string) => Promise<FileSink>;
  /** Largest file this side accepts. */
  maxBytes: number;
}

/**
 * File transfers in both directions over one peer connection. Offers, answers and verdicts travel on the toolkit
 * channel; bytes on their own negotiated "files" channel (file-sender.ts, file-receiver.ts). The receiver must
 * Accept before a byte flows; either side can cancel; the sender's SHA-256 of everything it sent is checked against
 * the receiver's own before the file is saved. Outgoing files go one at a time, in the order they were picked.
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
  private readonly receiver: ReceiverContext;
  private timer?: ReturnType<typeof setTimeout>;
  /** How this side sends (transfer-pace.ts); a change applies to the next file. */
  pace: TransferPaceName = DEFAULT_TRANSFER_PACE;

  constructor(private readonly deps: FileTransfersDeps) {
    this.channel = deps.pc.createDataChannel('files', { negotiated: true, id: FILES_CHANNEL_ID, ordered: true });
    this.channel.binaryType = 'arraybuffer';
    this.channel.onmessage = (e) => this.onChunk(e.data);
    this.unsubscribe = deps.toolkit.on((m) => this.onMessage(m));
    this.receiver = {
      toolkit: deps.toolkit,
      changed: () => this.changed(),
      changedSoon: () => this.changedSoon(),
      stop: (t, state, detail) => this.stop(t, state, detail),
      finish: (t, state, detail) => this.finish(t, state, detail),
    };
  }

  onChange(listener: (views: TransferView[]) => void): () => void {
    this.listeners.add(listener);
    listener(this.views());
    return () => this.listeners.delete(listener);
  }

  views(): TransferView[] {
    return [...this.outgoing, ...this.incoming.values()].map(viewOf);
  }

  /** Queues files to send; each is offered when the one before it is finished. */
  send(files: File[]): void {
    for (const file of files) {
      const id = crypto.randomUUID().replace(/-/g, '');
      const t: Outgoing = {
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
      };
      this.outgoing.push(t);
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
    t.hash = new Sha256Stream();
    t.state = 'receiving';
    t.meter = new RateMeter();
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
      case 'file.offer':
        return this.offered(m);
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
      case 'file.done': {
        const t = this.incoming.get(m.id);
        return t && doneAnnounced(t, m.sha256, this.receiver);
      }
      case 'file.result': {
        const t = this.outgoingById(m.id);
        if (t && t.state === 'verifying')
          this.finish(t, m.ok ? 'done' : 'failed', m.ok ? 'Delivered and verified.' : m.reason && displayName(m.reason));
        return;
      }
    }
  }

  private offered(m: Extract<ToolkitMessage, { t: 'file.offer' }>): void {
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
    this.changed();
  }

  private offerNext(): void {
    if (this.outgoing.some((t) => t.state === 'offered' || t.state === 'sending' || t.state === 'verifying')) return;
    const next = this.outgoing.find((t) => t.state === 'queued');
    if (!next) return;
    const offer = { t: 'file.offer', id: next.id, n: next.n, name: next.name, size: next.size, mime: next.mime.slice(0, 200) } as const;
    if (!this.deps.toolkit.send(offer)) return this.finish(next, 'failed', 'The connection is not open.');
    next.state = 'offered';
    this.changed();
  }

  private async transmit(id: string): Promise<void> {
    const t = this.outgoingById(id);
    if (!t || t.state !== 'offered' || this.sending) return;
    this.sending = true;
    t.state = 'sending';
    this.changed();
    try {
      const pace = TRANSFER_PACES[this.pace];
      const sha256Hex = await sendFile(this.channel, t, () => this.changedSoon(), pace, {
        maxMessageSize: this.deps.pc.sctp?.maxMessageSize,
        videoFrames: () => readVideoFrames(this.deps.pc),
      });
      if (sha256Hex === undefined || t.state !== 'sending') return;
      t.state = 'verifying';
      t.sha256 = sha256Hex;
      this.deps.toolkit.send({ t: 'file.done', id, sha256: sha256Hex });
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

  private onChunk(data: unknown): void {
    const chunk = decodeChunk(data);
    const t = chunk && this.receivingByN.get(chunk.n);
    if (t) takeChunk(t, chunk.bytes, this.receiver);
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
    if (t.direction === 'in') t.hash?.dispose();
    t.state = state;
    t.speed = 0;
    if (state !== 'done') t.averageSpeed = undefined;
    t.detail = detail;
    this.changed();
  }

  private find(id: string): Outgoing | Incoming | undefined {
    return this.outgoingById(id) ?? this.incoming.get(id);
  }

  private outgoingById(id: string): Outgoing | undefined {
    return this.outgoing.find((t) => t.id === id);
  }

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
