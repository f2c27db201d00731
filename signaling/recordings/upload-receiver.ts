import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The EBML header every WebM file starts with. */
export const WEBM_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

/** The body went past the cap; nothing of it is kept. `cut`: so far past that the connection was cut, not read to its end. */
export class UploadTooLarge extends Error {
  constructor(readonly cut: boolean) {
    super(cut ? 'far over the cap: cut' : 'over the cap');
  }
}

export interface ReceivedUpload {
  size: number;
  /** Lower-case hex, computed here from the bytes written, whatever the client claimed. */
  sha256: string;
  /** The first bytes (up to 4), for the magic check. */
  head: Buffer;
}

/**
 * How far past the cap a body without a declared length is still read (and thrown away) so its client hears the
 * 413 once it has finished sending; a body that goes on beyond this is cut.
 */
export const DISCARD_PAST_CAP_BYTES = 1024 * 1024;

/**
 * Streams a request body into `path` (backpressure: the client is read as fast as the disk takes it), counting and
 * hashing on the way. Past `maxBytes` nothing more is written and it ends with `UploadTooLarge`; the caller
 * deletes the file.
 */
export async function receiveUpload(req: IncomingMessage, path: string, maxBytes: number): Promise<ReceivedUpload> {
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes + DISCARD_PAST_CAP_BYTES) return done(new UploadTooLarge(true));
      if (size > maxBytes) return done();
      if (head.length < WEBM_MAGIC.length) head = Buffer.concat([head, chunk.subarray(0, WEBM_MAGIC.length - head.length)]);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(req, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  if (size > maxBytes) throw new UploadTooLarge(false);
  return { size, sha256: hash.digest('hex'), head };
}

export const isWebm = (head: Buffer) => head.length >= WEBM_MAGIC.length && head.subarray(0, WEBM_MAGIC.length).equals(WEBM_MAGIC);
