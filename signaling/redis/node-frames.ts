/**
 * What one node publishes to another's channel: a batch of frames, each `uint32 length` then
 * `op \t connection id \t argument \n payload`. A relayed signal's payload is the bytes it came in, so nothing on
 * the way parses or re-encodes it; batching puts every frame bound for one node during one flush window into one
 * PUBLISH (one Redis command, one reply, one delivery), which is most of what crossing nodes cost.
 */
export type Op = 'send' | 'forward' | 'pair' | 'unpair' | 'unbind' | 'close';

export interface NodeFrame {
  op: Op;
  id: string;
  arg: string;
  payload: Buffer;
}

const NEWLINE = 0x0a;
const TAB = 0x09;

/**
 * The frames bound for one node, written into one buffer when the batch is sent: a frame's head and payload are
 * kept as they are until then (no buffer per frame, no second copy into a concatenation).
 */
export class BatchWriter {
  private readonly heads: string[] = [];
  private readonly payloads: (Buffer | string)[] = [];
  private bytes = 0;

  get size(): number {
    return this.heads.length;
  }

  get byteLength(): number {
    return this.bytes;
  }

  add(op: Op, id: string, arg: string, payload: Buffer | string): void {
    const head = `${op}\t${id}\t${arg}\n`;
    this.heads.push(head);
    this.payloads.push(payload);
    this.bytes += 4 + Buffer.byteLength(head) + (typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length);
  }

  /** The batch as one buffer; the writer is empty afterwards. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.bytes);
    let at = 0;
    for (let i = 0; i < this.heads.length; i++) {
      const start = at;
      at += 4;
      at += out.write(this.heads[i]!, at);
      const payload = this.payloads[i]!;
      at += typeof payload === 'string' ? out.write(payload, at) : payload.copy(out, at);
      out.writeUInt32BE(at - start - 4, start);
    }
    this.heads.length = 0;
    this.payloads.length = 0;
    this.bytes = 0;
    return out;
  }
}

/** One frame on its own (a batch of one). */
export function encodeFrame(op: Op, id: string, arg: string, payload: Buffer | string): Buffer {
  const writer = new BatchWriter();
  writer.add(op, id, arg, payload);
  return writer.take();
}

/**
 * Hands each frame of a received batch to `visit`; payloads are views into the batch (no copy). A malformed tail
 * is dropped. A callback, not a generator or frame objects: every relayed signal passes through here.
 */
export function readBatch(batch: Buffer, visit: (op: Op, id: string, arg: string, payload: Buffer) => void): void {
  let at = 0;
  while (at + 4 <= batch.length) {
    const end = at + 4 + batch.readUInt32BE(at);
    if (end > batch.length) return;
    const nl = batch.indexOf(NEWLINE, at + 4);
    if (nl < 0 || nl >= end) return;
    const tab1 = batch.indexOf(TAB, at + 4);
    const tab2 = tab1 < 0 || tab1 > nl ? -1 : batch.indexOf(TAB, tab1 + 1);
    if (tab2 < 0 || tab2 > nl) return;
    visit(
      batch.toString('latin1', at + 4, tab1) as Op,
      batch.toString('latin1', tab1 + 1, tab2),
      tab2 + 1 === nl ? '' : batch.toString('utf8', tab2 + 1, nl),
      batch.subarray(nl + 1, end),
    );
    at = end;
  }
}

/** The frames of a received batch, as objects (tests and tools; the router uses `readBatch`). */
export function decodeBatch(batch: Buffer): NodeFrame[] {
  const frames: NodeFrame[] = [];
  readBatch(batch, (op, id, arg, payload) => frames.push({ op, id, arg, payload }));
  return frames;
}
