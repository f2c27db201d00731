import { FILE_CHUNK_HEADER_BYTES } from '../../protocol/toolkit-messages';
import { encodeChunk } from './chunk-frame';
import { RateMeter } from './rate-meter';
import { Sha256Stream } from './sha256-stream';
import { messageBytesFor, Pacer, SEND_QUEUE_LIMIT, type TransferPace } from './transfer-pace';
import type { Outgoing } from './transfer-model';
import { followVideo, type VideoFrames } from './video-pace';

export interface SendOptions {
  /** What the peer connection negotiated (SCTP max-message-size). */
  maxMessageSize?: number;
  hash?: Sha256Stream;
  /** This side's video frames so far, for a setting that follows the video (video-pace.ts). */
  videoFrames?: () => Promise<VideoFrames | undefined>;
}

/** Files are read in blocks this big (memory stays flat whatever the file's size) and sent in messages. */
const READ_BLOCK = 1024 * 1024;

/**
 * Sends an accepted file's bytes on the files channel as its pace says (transfer-pace.ts): messages as large as the
 * setting and the connection allow, backpressure on `bufferedAmount` / `bufferedamountlow`, an optional rate cap.
 * The SHA-256 runs in a worker (sha256-stream.ts): each block read goes to it whole, after its messages are sent, so
 * this thread only reads, frames and sends. Returns the SHA-256 of everything sent, or undefined when the transfer
 * stopped meanwhile (cancelled); throws when the channel closes. Its speed counts the bytes that left this side's
 * buffer. The next block is read while this one is sent (two blocks in memory at most). A setting that follows the
 * video has its rate set by a sampler of the video's stats for as long as the bytes go.
 */
export async function sendFile(
  channel: RTCDataChannel,
  t: Outgoing,
  progress: () => void,
  pace: TransferPace,
  options: SendOptions = {},
): Promise<string | undefined> {
  const hash = options.hash ?? new Sha256Stream();
  const chunkBytes = messageBytesFor(pace, options.maxMessageSize, FILE_CHUNK_HEADER_BYTES);
  // A burst of 100 ms' worth: a timer that fires late (a busy machine) costs no rate.
  const burst = (rate: number | undefined) => Math.max(2 * chunkBytes, (rate ?? 0) / 10);
  const pacer = new Pacer(pace.bytesPerSecond, burst(pace.bytesPerSecond));
  let follower: { stop(): void } | undefined;
  try {
    if (pace.follow && options.videoFrames)
      follower = await followVideo(
        options.videoFrames,
        pace.follow,
        (rate) => pacer.setRate(rate, burst(rate)),
        () => Math.max(0, t.bytes - channel.bufferedAmount),
      );
    return await sendBlocks(channel, t, progress, pace, chunkBytes, pacer, hash);
  } finally {
    follower?.stop();
    hash.dispose();
  }
}

async function sendBlocks(
  channel: RTCDataChannel,
  t: Outgoing,
  progress: () => void,
  pace: TransferPace,
  chunkBytes: number,
  pacer: Pacer,
  hash: Sha256Stream,
): Promise<string | undefined> {
  const meter = (t.meter = new RateMeter());
  const highWater = Math.min(pace.highWater, SEND_QUEUE_LIMIT - chunkBytes - FILE_CHUNK_HEADER_BYTES);
  channel.bufferedAmountLowThreshold = pace.lowWater;
  const read = (offset: number) => {
    const reading = t.file.slice(offset, offset + READ_BLOCK).arrayBuffer();
    reading.catch(() => undefined); // a read still pending when the transfer stops is never awaited
    return reading;
  };
  let next = read(0);
  for (let offset = 0; offset < t.size && t.state === 'sending'; offset += READ_BLOCK) {
    const block = new Uint8Array(await next);
    if (offset + READ_BLOCK < t.size) next = read(offset + READ_BLOCK);
    for (let at = 0; at < block.length && t.state === 'sending'; at += chunkBytes) {
      const data = block.subarray(at, at + chunkBytes);
      if (channel.bufferedAmount + data.length > highWater) await drained(channel);
      const wait = pacer.take(data.length);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (t.state !== 'sending') break;
      channel.send(encodeChunk(t.n, data));
      t.bytes += data.length;
      t.speed = meter.rate(Math.max(0, t.bytes - channel.bufferedAmount));
      progress();
    }
    // Every message of this block is framed (a copy): the block itself can move to the worker.
    if (t.state === 'sending') hash.update(block, true);
  }
  if (t.state !== 'sending') return undefined;
  // Every byte has left this side once the buffer is empty: the average ends there, as the live figure did.
  channel.bufferedAmountLowThreshold = 0;
  if (channel.bufferedAmount > 0) await drained(channel);
  channel.bufferedAmountLowThreshold = pace.lowWater;
  t.averageSpeed = meter.rate(t.size);
  const sha256Hex = await hash.digest();
  return t.state === 'sending' ? sha256Hex : undefined;
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
