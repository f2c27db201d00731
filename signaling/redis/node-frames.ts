/**
 * What one node publishes to another's channel: a batch of frames, each `uint32 length` then
 * `op \t connection id \t argument \n payload`. A relayed signal's payload is the bytes it came in, so nothing on
 * the way parses or re-encodes it; batching puts every frame bound for one node during one turn of the event loop
 * into one PUBLISH (one Redis command, one reply, one delivery), which is most of what crossing nodes cost.
 */
export type Op = 'send' | 'forward' | 'pair' | 'unpair' | 'unbind' | 'close';

export interface NodeFrame {
  op: Op;
  id: string;
  arg: string;
  payload: Buffer;
}

const NEWLINE = 0x0a;

/** One frame as it goes into a batch. */
export function encodeFrame(op: Op, id: string, arg: string, payload: Buffer | string): Buffer {
  const head = `${op}\t${id}\t${arg}\n`;
  const headBytes = Buffer.byteLength(head);
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const frame = Buffer.allocUnsafe(4 + headBytes + body.length);
  frame.writeUInt32BE(headBytes + body.length, 0);
  frame.write(head, 4);
  body.copy(frame, 4 + headBytes);
  return frame;
}

/** The frames of a received batch; payloads are views into it (no copy). A malformed tail is dropped. */
export function* decodeBatch(batch: Buffer): Generator<NodeFrame> {
  let at = 0;
  while (at + 4 <= batch.length) {
    const end = at + 4 + batch.readUInt32BE(at);
    if (end > batch.length) return;
    const nl = batch.indexOf(NEWLINE, at + 4);
    if (nl < 0 || nl >= end) return;
    const [op, id = '', arg = ''] = batch.toString('utf8', at + 4, nl).split('\t') as [Op, string?, string?];
    yield { op, id, arg, payload: batch.subarray(nl + 1, end) };
    at = end;
  }
}
