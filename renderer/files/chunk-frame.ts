import { FILE_CHUNK_HEADER_BYTES } from '../../protocol/toolkit-messages';

/** A file chunk on the "files" channel: the transfer's number (4 bytes, big-endian), then the data. */
export function encodeChunk(n: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(FILE_CHUNK_HEADER_BYTES + data.length);
  new DataView(frame.buffer).setUint32(0, n);
  frame.set(data, FILE_CHUNK_HEADER_BYTES);
  return frame;
}

/** The transfer number and data of a received frame; undefined for anything that is not one. */
export function decodeChunk(data: unknown): { n: number; bytes: Uint8Array } | undefined {
  if (!(data instanceof ArrayBuffer) || data.byteLength < FILE_CHUNK_HEADER_BYTES) return undefined;
  return { n: new DataView(data).getUint32(0), bytes: new Uint8Array(data, FILE_CHUNK_HEADER_BYTES) };
}
