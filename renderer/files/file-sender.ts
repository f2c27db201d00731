import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FILE_CHUNK_BYTES } from '../../protocol/toolkit-messages';
import { encodeChunk } from './chunk-frame';
import { RateMeter } from './rate-meter';
import type { Outgoing } from './transfer-model';

/** Send while the channel holds less than this; resume when it drains to the low mark. */
export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
/** Files are read in blocks this big and sent as FILE_CHUNK_BYTES chunks. */
const READ_BLOCK = 1024 * 1024;

/**
 * Sends an accepted file's bytes on the files channel with backpressure (`bufferedAmount` / `bufferedamountlow`),
 * hashing as it reads. Returns the SHA-256 of everything sent, or undefined when the transfer stopped meanwhile
 * (cancelled); throws when the channel closes. Its speed counts the bytes that left this side's buffer.
 */
export async function sendFile(channel: RTCDataChannel, t: Outgoing, progress: () => void): Promise<string | undefined> {
  const hash = sha256.create();
  const meter = (t.meter = new RateMeter());
  for (let offset = 0; offset < t.size && t.state === 'sending'; offset += READ_BLOCK) {
    const block = new Uint8Array(await t.file.slice(offset, offset + READ_BLOCK).arrayBuffer());
    hash.update(block);
    for (let at = 0; at < block.length && t.state === 'sending'; at += FILE_CHUNK_BYTES) {
      if (channel.bufferedAmount > HIGH_WATER) await drained(channel);
      if (t.state !== 'sending') break;
      const data = block.subarray(at, at + FILE_CHUNK_BYTES);
      channel.send(encodeChunk(t.n, data));
      t.bytes += data.length;
      t.speed = meter.rate(Math.max(0, t.bytes - channel.bufferedAmount));
      progress();
    }
  }
  if (t.state !== 'sending') return undefined;
  // Every byte has left this side once the buffer is empty: the average ends there, as the live figure did.
  channel.bufferedAmountLowThreshold = 0;
  if (channel.bufferedAmount > 0) await drained(channel);
  channel.bufferedAmountLowThreshold = LOW_WATER;
  t.averageSpeed = meter.rate(t.size);
  return t.state === 'sending' ? bytesToHex(hash.digest()) : undefined;
}

function drained(channel: RTCDataChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      channel.removeEventListener('bufferedamountlow', done);
      channel.removeEventListener('close', closed);
      resolve();
    };
    const closed = () => reject(new Error('The connection closed.'));
    channel.addEventListener('bufferedamountlow', done);
    channel.addEventListener('close', closed, { once: true });
  });
}
