import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FILE_CHUNK_HEADER_BYTES } from '../../protocol/toolkit-messages';
import { encodeChunk } from './chunk-frame';
import { RateMeter } from './rate-meter';
import { messageBytesFor, Pacer, type TransferPace } from './transfer-pace';
import type { Outgoing } from './transfer-model';

/** Files are read in blocks this big (memory stays flat whatever the file's size) and sent in messages. */
const READ_BLOCK = 1024 * 1024;

/**
 * Sends an accepted file's bytes on the files channel as its pace says (transfer-pace.ts): messages as large as the
 * setting and the connection allow, backpressure on `bufferedAmount` / `bufferedamountlow`, an optional rate cap.
 * The SHA-256 is computed while the channel has bytes queued anyway (waiting for it to drain or for the pacer), and
 * while the next block is read, so hashing never holds back a send. Returns the SHA-256 of everything sent, or
 * undefined when the transfer stopped meanwhile (cancelled); throws when the channel closes. Its speed counts the
 * bytes that left this side's buffer.
 */
export async function sendFile(
  channel: RTCDataChannel,
  t: Outgoing,
  progress: () => void,
  pace: TransferPace,
  maxMessageSize?: number,
): Promise<string | undefined> {
  const hash = sha256.create();
  const unhashed: Uint8Array[] = [];
  const hashQueued = () => {
    for (const bytes of unhashed.splice(0)) hash.update(bytes);
  };
  const meter = (t.meter = new RateMeter());
  const chunkBytes = messageBytesFor(pace, maxMessageSize, FILE_CHUNK_HEADER_BYTES);
  // A burst of 100 ms' worth: a timer that fires late (a busy machine) costs no rate.
  const pacer = new Pacer(pace.bytesPerSecond, Math.max(2 * chunkBytes, (pace.bytesPerSecond ?? 0) / 10));
  channel.bufferedAmountLowThreshold = pace.lowWater;
  for (let offset = 0; offset < t.size && t.state === 'sending'; offset += READ_BLOCK) {
    const reading = t.file.slice(offset, offset + READ_BLOCK).arrayBuffer();
    hashQueued();
    const block = new Uint8Array(await reading);
    for (let at = 0; at < block.length && t.state === 'sending'; at += chunkBytes) {
      if (channel.bufferedAmount > pace.highWater) {
        hashQueued();
        await drained(channel);
      }
      const data = block.subarray(at, at + chunkBytes);
      const wait = pacer.take(data.length);
      if (wait > 0) {
        hashQueued();
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      if (t.state !== 'sending') break;
      channel.send(encodeChunk(t.n, data));
      unhashed.push(data);
      t.bytes += data.length;
      t.speed = meter.rate(Math.max(0, t.bytes - channel.bufferedAmount));
      progress();
    }
  }
  if (t.state !== 'sending') return undefined;
  hashQueued();
  // Every byte has left this side once the buffer is empty: the average ends there, as the live figure did.
  channel.bufferedAmountLowThreshold = 0;
  if (channel.bufferedAmount > 0) await drained(channel);
  channel.bufferedAmountLowThreshold = pace.lowWater;
  t.averageSpeed = meter.rate(t.size);
  return t.state === 'sending' ? bytesToHex(hash.digest()) : undefined;
}

/**
 * Until the channel's queue has drained to its low mark. The `bufferedamountlow` event is the signal; a slow check
 * beside it catches an event that never comes (seen with node's WebRTC when the mark was crossed between sends).
 */
function drained(channel: RTCDataChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearInterval(check);
      channel.removeEventListener('bufferedamountlow', done);
      channel.removeEventListener('close', closed);
      resolve();
    };
    const closed = () => {
      clearInterval(check);
      reject(new Error('The connection closed.'));
    };
    const check = setInterval(() => channel.bufferedAmount <= channel.bufferedAmountLowThreshold && done(), 100);
    channel.addEventListener('bufferedamountlow', done);
    channel.addEventListener('close', closed, { once: true });
  });
}
